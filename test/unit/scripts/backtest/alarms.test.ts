import {
  buildAlertRules,
  Comparison,
  DEFAULT_ALERT_PARAMS,
  MissingData,
  RuleId,
} from '../../../../lib/alerting/rules';
import { type AlarmDef, buildAlarms, evaluateAlarms } from '../../../../scripts/backtest/alarms';
import { MetricStore, seriesKey } from '../../../../scripts/backtest/metric-store';

const KEY = seriesKey('Test', 'Value', {});

function metricAlarm(
  store: MetricStore,
  overrides: Partial<Extract<AlarmDef, { kind: 'metric' }>> = {},
): AlarmDef {
  return {
    kind: 'metric',
    name: 'a',
    ruleId: 'a',
    severity: 'warning',
    notifies: true,
    periodMinutes: 5,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: 10,
    comparison: Comparison.GT,
    missingData: MissingData.NOT_BREACHING,
    datapoint: (from, to) => store.statistic(KEY, 'Maximum', from, to),
    ...overrides,
  };
}

describe('metric store statistics', () => {
  const store = new MetricStore(['Duration']);
  for (let minute = 0; minute < 10; minute++) store.put('Test', 'Duration', {}, minute, (minute + 1) * 100);
  const key = seriesKey('Test', 'Duration', {});

  it('Sum, SampleCount, Average, Minimum, Maximum over [from, to)', () => {
    expect(store.statistic(key, 'Sum', 0, 4)).toBe(1000);
    expect(store.statistic(key, 'SampleCount', 0, 4)).toBe(4);
    expect(store.statistic(key, 'Average', 2, 4)).toBe(350);
    expect(store.statistic(key, 'Minimum', 5, 10)).toBe(600);
    expect(store.statistic(key, 'Maximum', 0, 5)).toBe(500);
  });

  it('a range without data is missing (null)', () => {
    expect(store.statistic(key, 'Sum', 20, 30)).toBeNull();
    expect(store.statistic(seriesKey('Test', 'Other', {}), 'Sum', 0, 10)).toBeNull();
  });

  it('p95 by nearest rank, PR(:x) as the percentage of values ≤ x', () => {
    expect(store.statistic(key, 'p95', 0, 10)).toBe(1000);
    expect(store.statistic(key, 'p50', 0, 10)).toBe(500);
    expect(store.statistic(key, 'PR(:500)', 0, 10)).toBe(50);
  });

  it('refuses datapoints out of time order', () => {
    expect(() => store.put('Test', 'Duration', {}, 3, 1)).toThrow(/time order/);
  });
});

describe('metric alarm evaluation', () => {
  it('M of N on a sliding window: 2 breaching 5-minute periods of 3 alarm, one does not', () => {
    const store = new MetricStore();
    // One high value at minute 10 only: a single breaching period → no alarm.
    store.put('Test', 'Value', {}, 10, 50);
    // Two high values 6 minutes apart: two breaching periods → alarm.
    store.put('Test', 'Value', {}, 40, 50);
    store.put('Test', 'Value', {}, 46, 50);
    const { alerts, intervals } = evaluateAlarms([metricAlarm(store)], 0, 80);
    expect(alerts.map((a) => a.minute)).toEqual([47]);
    // Sliding: ALARM while the two values sit in two different periods of the last 15 minutes (t = 47 … 55).
    expect(intervals).toEqual([{ alarm: 'a', ruleId: 'a', from: 47, to: 56 }]);
  });

  it('missing data: notBreaching stays OK, breaching alarms, missing is INSUFFICIENT_DATA (no alert)', () => {
    const store = new MetricStore();
    const quiet = (missingData: MissingData) =>
      evaluateAlarms([metricAlarm(store, { missingData, evaluationPeriods: 1, datapointsToAlarm: 1 })], 0, 30)
        .alerts.length;
    expect(quiet(MissingData.NOT_BREACHING)).toBe(0);
    expect(quiet(MissingData.BREACHING)).toBe(1);
    expect(quiet(MissingData.MISSING)).toBe(0);
    expect(quiet(MissingData.IGNORE)).toBe(0);
  });

  it('composite AND needs both members; its suppressor silences it, with the wait and extension periods', () => {
    const store = new MetricStore();
    const other = seriesKey('Test', 'Other', {});
    for (let minute = 10; minute < 40; minute++) store.put('Test', 'Value', {}, minute, 50);
    // The suppressor breaches from minute 11 (within the 2-minute wait) until minute 20.
    for (let minute = 11; minute < 20; minute++) store.put('Test', 'Other', {}, minute, 50);
    const one = { evaluationPeriods: 1, datapointsToAlarm: 1, periodMinutes: 1, notifies: false } as const;
    const defs: AlarmDef[] = [
      metricAlarm(store, { ...one, name: 'suppressor', ruleId: 's' }),
      metricAlarm(store, { ...one, name: 'x' }),
      metricAlarm(store, { ...one, name: 'y' }),
      {
        kind: 'composite',
        name: 'both',
        ruleId: 'c',
        severity: 'warning',
        notifies: true,
        op: 'AND',
        members: ['x', 'y'],
        suppressor: 'suppressor',
      },
    ];
    (defs[0] as { datapoint: unknown }).datapoint = (from: number, to: number) =>
      store.statistic(other, 'Maximum', from, to);
    const { alerts } = evaluateAlarms(defs, 0, 60, { waitMinutes: 2, extensionMinutes: 15 });
    // In ALARM from 11; suppressed from 12 to 20; notified 15 minutes after the suppressor cleared (21 + 15).
    expect(alerts).toEqual([
      { minute: 36, ruleId: 'c', alarm: 'both', severity: 'warning', delayedMinutes: 15 },
    ]);
  });

  it('without the suppressor alarming in the wait period, the composite notifies when the wait ends', () => {
    const store = new MetricStore();
    for (let minute = 10; minute < 40; minute++) store.put('Test', 'Value', {}, minute, 50);
    const one = { evaluationPeriods: 1, datapointsToAlarm: 1, periodMinutes: 1, notifies: false } as const;
    const defs: AlarmDef[] = [
      metricAlarm(store, { ...one, name: 'suppressor', datapoint: () => null }),
      metricAlarm(store, { ...one, name: 'x' }),
      {
        kind: 'composite',
        name: 'c',
        ruleId: 'c',
        severity: 'warning',
        notifies: true,
        op: 'OR',
        members: ['x'],
        suppressor: 'suppressor',
      },
    ];
    const { alerts } = evaluateAlarms(defs, 0, 60, { waitMinutes: 2, extensionMinutes: 15 });
    expect(alerts.map((a) => [a.minute, a.delayedMinutes])).toEqual([[13, 2]]);
  });
});

describe('alarms built from lib/alerting/rules.ts', () => {
  const defs = buildAlarms(buildAlertRules(), DEFAULT_ALERT_PARAMS, new MetricStore());
  const byName = new Map(defs.map((d) => [d.name, d]));

  it('wires the burn-rate tiers as monitoring.ts does: AND of long and short, lower tiers suppressed by higher', () => {
    const fast = byName.get(`${RuleId.AVAILABILITY_SLO}-fast`);
    const slow = byName.get(`${RuleId.AVAILABILITY_SLO}-slow`);
    const ticket = byName.get(`${RuleId.AVAILABILITY_SLO}-ticket`);
    expect(fast).toMatchObject({ kind: 'composite', op: 'AND', notifies: true });
    expect(fast && 'suppressor' in fast ? fast.suppressor : undefined).toBeUndefined();
    expect(slow).toMatchObject({ suppressor: `${RuleId.AVAILABILITY_SLO}-fast` });
    expect(ticket).toMatchObject({ suppressor: `${RuleId.AVAILABILITY_SLO}-any-of-fast-slow` });
  });

  it('warnings that name a suppressor notify through a composite suppressed by it', () => {
    expect(byName.get(RuleId.FUNCTION_ERRORS)).toMatchObject({
      kind: 'composite',
      suppressor: `${RuleId.AVAILABILITY_SLO}-any-of-fast-slow`,
    });
    expect(byName.get(RuleId.CALIBRATION)).toMatchObject({ kind: 'composite', suppressor: RuleId.ACCURACY });
    expect(byName.get(RuleId.MARKET_DATA_STALE)).toMatchObject({ kind: 'composite', op: 'OR' });
    expect(byName.get(RuleId.ACCURACY)).toMatchObject({ kind: 'metric', notifies: true, periodMinutes: 15 });
  });

  it('every alarm a composite names exists before it', () => {
    const seen = new Set<string>();
    for (const def of defs) {
      if (def.kind === 'composite') {
        for (const member of [...def.members, ...(def.suppressor ? [def.suppressor] : [])])
          expect(seen.has(member)).toBe(true);
      }
      seen.add(def.name);
    }
  });
});
