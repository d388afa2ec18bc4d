import { StepFailedError } from '../../../../../lambdas/observability-demo/errors';
import { faultPlan } from '../../../../../lambdas/observability-demo/story/days';
import { resetPartition } from '../../../../../lambdas/observability-demo/story/reset';
import { dayInfo, easternClock, easternIsoDate, toEastern } from '../../../../../lambdas/shared/market';
import type { StoreContext } from '../../../../../lambdas/shared/store';

const context = (namespace: string): StoreContext =>
  ({ client: {} as StoreContext['client'], table: 't', namespace, rawTtlDays: 30 }) as StoreContext;

describe('resetPartition', () => {
  it('refuses the live partition before touching the store', async () => {
    await expect(resetPartition(context('live'), context('demo'))).rejects.toThrow(StepFailedError);
    await expect(resetPartition(context('demo'), context('live'))).rejects.toThrow(/live partition/);
  });
});

describe('faultPlan', () => {
  // 2026-11-26 is Thanksgiving and 11-27 closes at 13:00: the plan must still land on trading hours.
  const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-27', '2026-11-30', '2026-12-01'].map(
    dayInfo,
  );
  const plan = faultPlan(days, ['AAPL', 'AMZN', 'GOOG']);
  const et = (iso: string) => `${easternIsoDate(toEastern(iso))} ${easternClock(toEastern(iso))}`;

  it('puts every failure on a whole hour of a replayed trading day', () => {
    expect(et(plan.throttledWriteAt)).toBe('2026-11-24 10:00');
    expect(et(plan.gap.from)).toBe('2026-11-25 11:00');
    expect(et(plan.gap.to)).toBe('2026-11-25 12:15');
    expect(et(plan.gap.backfillAt)).toBe('2026-11-25 13:00');
    expect(et(plan.badPayloadAt)).toBe('2026-11-27 10:00');
    expect(et(plan.validationFailureAt)).toBe('2026-11-30 14:00');
    expect(plan.gap.symbol).toBe('AMZN');
  });
});
