/**
 * The replayed trading days, tick by tick, as the stack runs them: every 15 minutes the market-data feed
 * posts the new prices (`record_prices`), the models post their predictions (`record_predictions`) and the
 * scheduled `validate_all` checks the last 30 minutes; in the regular session trading-intelligence ranks
 * the symbols (`analyze`, every 15 minutes). With the failures a real day has: a throttled write that the feed
 * retries, a client's bad payload, a price-feed gap that is backfilled later, and a validation that fails
 * on a DynamoDB error (the next run covers its window).
 */
import { recordPredictions, recordPrices, validateAll } from '../../dual-accuracy-tracker/service';
import type { MarketDayInfo } from '../../shared/market';
import { MarketKey } from '../../shared/store';
import type { Prediction, PricePoint, Workload } from '../replay';
import { sendBadPayload } from './bad-payload';
import { dayTicks, etClock, rankingTimes } from './clock';
import { STORY_DEFAULTS, type StoryContext, trackerDeps } from './context';
import { failingWrites, throttledWrites } from './faults';
import { type RankingRun, rankAt } from './trading';
import type { AccuracyReport, FailureReport } from './types';

const MINUTE = 60_000;

/**
 * Where the failures of a real day happen in the replay: on the last five trading days (inside the 7-day
 * validate_all's window); each at the first step of its kind at or after its time.
 */
export interface FaultPlan {
  /** A record_prices write throttled past the SDK's retries; the feed retries the call a minute later. */
  readonly throttledWriteAt: string;
  /** A client posts predictions with an out-of-range confidence and a non-finite price. */
  readonly badPayloadAt: string;
  /** The feed loses one symbol's prices for 90 minutes and backfills them when it recovers. */
  readonly gap: {
    readonly symbol: string;
    readonly from: string;
    readonly to: string;
    readonly backfillAt: string;
  };
  /** validate_all fails: DynamoDB errors on the write of its summary, after the validations are written. */
  readonly validationFailureAt: string;
}

const atEt = (day: MarketDayInfo, hhmm: string): string => {
  // The regular open is 09:30 ET on every trading day: offset from it, whatever the UTC offset.
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(Date.parse(day.open as string) + ((h - 9) * 60 + (m - 30)) * MINUTE).toISOString();
};

export function faultPlan(days: readonly MarketDayInfo[], symbols: readonly string[]): FaultPlan {
  // Counted back from the last day: every failure falls in the 7-day validate_all's window.
  const day = (back: number) => days[Math.max(0, days.length - 1 - back)] as MarketDayInfo;
  const gapSymbol = symbols.includes('AMZN') ? 'AMZN' : (symbols[symbols.length - 1] as string);
  return {
    throttledWriteAt: atEt(day(4), '10:00'),
    badPayloadAt: atEt(day(2), '10:00'),
    gap: {
      symbol: gapSymbol,
      from: atEt(day(3), '11:00'),
      to: atEt(day(3), '12:15'),
      backfillAt: atEt(day(3), '13:00'),
    },
    validationFailureAt: atEt(day(1), '14:00'),
  };
}

export interface DaysResult {
  readonly daily: AccuracyReport['daily'];
  readonly rankings: readonly RankingRun[];
  readonly failures: readonly FailureReport[];
}

interface DayTally {
  runs: number;
  failedRuns: number;
  validations: number;
  hits: number;
  pending: number;
  alerts: Set<string>;
}

/** Replays the days; `rank` adds the scheduled rankings. */
export async function replayDays(ctx: StoryContext, workload: Workload, rank: boolean): Promise<DaysResult> {
  const { deps } = ctx;
  const plan = faultPlan(workload.days, workload.symbols);
  const inGap = (p: PricePoint) =>
    p.symbol === plan.gap.symbol && p.timestamp >= plan.gap.from && p.timestamp <= plan.gap.to;
  const held: PricePoint[] = [];
  // Each failure happens once, at the first occasion at or after its planned time.
  const done = { throttle: false, backfill: false, badPayload: false, validation: false };
  const failures: FailureReport[] = [];
  const daily: Array<AccuracyReport['daily'][number]> = [];
  const rankings: RankingRun[] = [];
  const lookbackMinutes = STORY_DEFAULTS.validationLookbackMinutes;
  const lookbackDays = lookbackMinutes / (24 * 60);
  // Feed and schedule tick together; a sparser replayed price grid (tests) ticks at its own pace.
  const tickMinutes = Math.max(STORY_DEFAULTS.tickMinutes, workload.intervalMinutes);
  // A scheduled run whose window holds no target finds nothing: the replay leaves it out (fewer invocations).
  const targets = workload.predictions.map((p) => Date.parse(p.targetTime)).sort((a, b) => a - b);
  const hasTargetIn = (fromMs: number, toMs: number): boolean => {
    let low = 0;
    let high = targets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((targets[middle] as number) < fromMs) low = middle + 1;
      else high = middle;
    }
    return low < targets.length && (targets[low] as number) <= toMs;
  };

  // Both sorted by time: each tick posts what came due since the previous one.
  let nextPrice = 0;
  let nextPrediction = 0;
  const due = <T>(items: readonly T[], from: number, at: string, time: (item: T) => string) => {
    let end = from;
    while (end < items.length && time(items[end] as T) <= at) end += 1;
    return { batch: items.slice(from, end), next: end };
  };
  for (const [dayIndex, day] of workload.days.entries()) {
    const tally: DayTally = {
      runs: 0,
      failedRuns: 0,
      validations: 0,
      hits: 0,
      pending: 0,
      alerts: new Set(),
    };
    const schedule = new Set(dayTicks(day, tickMinutes, STORY_DEFAULTS.tailMinutes));
    const rankAtTimes = new Set(rank ? rankingTimes(day) : []);
    for (const at of [...new Set([...schedule, ...rankAtTimes])].sort()) {
      // 1. the feed's prices (a gap holds some back until the backfill)
      const prices = due(workload.prices, nextPrice, at, (p) => p.timestamp);
      nextPrice = prices.next;
      let tickPrices = prices.batch.filter((p) => {
        if (!inGap(p)) return true;
        held.push(p);
        return false;
      });
      if (!done.backfill && at >= plan.gap.backfillAt) {
        done.backfill = true;
        failures.push({
          kind: 'price_feed_gap',
          at: plan.gap.from,
          what: `the feed lost ${plan.gap.symbol}'s prices ${etClock(plan.gap.from)}–${etClock(plan.gap.to)} and backfilled the ${held.length} missing at ${etClock(at)}`,
          outcome:
            'predictions due in the gap stayed pending in the scheduled runs (a 30-minute window had passed by ' +
            'the backfill); the 7-day validate_all validated them',
        });
        tickPrices = [...held, ...tickPrices];
      }
      if (tickPrices.length > 0) {
        const throttled = !done.throttle && at >= plan.throttledWriteAt;
        if (throttled) done.throttle = true;
        await recordPricesAt(ctx, at, tickPrices, throttled, failures);
      }
      // 2. the models' predictions
      const predictions = due(workload.predictions, nextPrediction, at, (p) => p.predictedAt);
      nextPrediction = predictions.next;
      if (predictions.batch.length > 0) await recordPredictionsAt(ctx, at, predictions.batch);
      if (!done.badPayload && at >= plan.badPayloadAt) {
        done.badPayload = true;
        failures.push(await sendBadPayload(ctx, at));
      }
      // 3. the scheduled validate_all
      const atMs = Date.parse(at);
      if (schedule.has(at) && hasTargetIn(atMs - lookbackMinutes * MINUTE, atMs)) {
        const failing = !done.validation && at >= plan.validationFailureAt;
        if (failing) done.validation = true;
        await validateAt(ctx, at, lookbackDays, failing, tally, failures);
      }
      // 4. the scheduled ranking
      if (rankAtTimes.has(at)) rankings.push(await rankAt(ctx, at));
    }
    daily.push({
      date: day.date,
      runs: tally.runs,
      failedRuns: tally.failedRuns,
      validations: tally.validations,
      hitRate: tally.validations > 0 ? tally.hits / tally.validations : null,
      pending: tally.pending,
      alerts: [...tally.alerts],
    });
    deps.onProgress?.({ step: 'replay trading days', done: dayIndex + 1, total: workload.days.length });
  }
  return { daily, rankings, failures };
}

async function recordPricesAt(
  ctx: StoryContext,
  at: string,
  items: readonly PricePoint[],
  throttle: boolean,
  failures: FailureReport[],
): Promise<void> {
  const { deps, kept } = ctx;
  const id = `record_prices@${at}`;
  const call = { fn: 'dual-accuracy-tracker', action: 'record_prices', id, at } as const;
  if (throttle) {
    const throttled = throttledWrites(deps.market);
    try {
      await deps.invoke(call, () => recordPrices(trackerDeps(deps, at, id, throttled), items));
    } catch (error) {
      kept.error(id);
      const retryAt = new Date(Date.parse(at) + MINUTE).toISOString();
      const retryId = `${id}#retry`;
      const retried = await deps.invoke({ ...call, id: retryId, at: retryAt }, () =>
        recordPrices(trackerDeps(deps, retryAt, retryId), items),
      );
      failures.push({
        kind: 'throttled_write',
        at,
        what: `record_prices of ${items.length} prices failed: ${(error as Error).name} (DynamoDB throttled the batch write past the SDK's retries)`,
        outcome: `the feed retried the same batch at ${etClock(retryAt)}: ${retried.recorded} recorded, keyed by symbol and time, so nothing is counted twice`,
        errorStep: id,
      });
      return;
    }
  }
  await deps.invoke(call, () => recordPrices(trackerDeps(deps, at, id), items));
}

async function recordPredictionsAt(
  ctx: StoryContext,
  at: string,
  items: readonly Prediction[],
): Promise<void> {
  const { deps } = ctx;
  const id = `record_predictions@${at}`;
  await deps.invoke({ fn: 'dual-accuracy-tracker', action: 'record_predictions', id, at }, () =>
    recordPredictions(trackerDeps(deps, at, id), items),
  );
}

async function validateAt(
  ctx: StoryContext,
  at: string,
  lookbackDays: number,
  failing: boolean,
  tally: DayTally,
  failures: FailureReport[],
): Promise<void> {
  const { deps, kept, seed } = ctx;
  const id = `validate_all@${at}`;
  const store = failing ? failingWrites(deps.market, MarketKey.summary(deps.market.namespace)) : deps.market;
  tally.runs += 1;
  try {
    const result = await deps.invoke({ fn: 'dual-accuracy-tracker', action: 'validate_all', id, at }, () =>
      validateAll(trackerDeps(deps, at, `demo-${seed}-${id}`, store), {
        action: 'validate_all',
        lookback_days: lookbackDays,
      }),
    );
    const { overall } = result.summary;
    tally.validations += overall.n;
    tally.hits += Math.round((overall.hitRate ?? 0) * overall.n);
    tally.pending += overall.pending;
    for (const alert of result.summary.alerts) {
      tally.alerts.add(alert.scope === alert.key ? alert.scope : `${alert.scope} ${alert.key}`);
    }
    if (result.summary.alerts.length > 0) kept.valuable(id);
  } catch (error) {
    if (!failing) throw error;
    tally.failedRuns += 1;
    kept.error(id);
    failures.push({
      kind: 'validation_exception',
      at,
      what: `validate_all failed: ${(error as Error).name} from DynamoDB on the write of its summary (the validations were written)`,
      outcome:
        'the invocation failed (its trace is an error trace, kept whole); the next run 15 minutes later covered ' +
        'its window, rewriting no validation that was already stored',
      errorStep: id,
    });
  }
}
