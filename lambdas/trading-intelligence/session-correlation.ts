/**
 * Which market session and which hour of the ET day the models and their signals do best in.
 * Pure: validation records in, groups out. A record belongs to the session of its target time and to
 * the ET hour (0–23) of its target time. Per group:
 * - `n` validated predictions, `hits` direction hits, `hitRate` = hits / n with its Wilson 95 % interval;
 * - `meanPriceErrorPct` = mean |predicted − actual| / actual × 100;
 * - `signals` = predictions with a direction (not flat), `meanSignalReturnPct` = mean of
 *   sign(predicted return) × actual return over them (see validations.ts).
 * Figures of an empty group are null, never NaN.
 */
import { wilsonInterval } from '../shared/accuracy';
import { etHour, MARKET_SESSIONS, type MarketSession } from '../shared/market';
import { mean, type ValidationRecord } from './validations';

export interface CorrelationGroup {
  readonly n: number;
  readonly hits: number;
  readonly hitRate: number | null;
  /** Wilson 95 % interval [low, high] of the hit rate. */
  readonly hitRateCi: readonly [number, number] | null;
  readonly meanPriceErrorPct: number | null;
  readonly signals: number;
  readonly meanSignalReturnPct: number | null;
}

export interface HourGroup extends CorrelationGroup {
  /** ET hour of the target time, 0–23. */
  readonly hour: number;
}

export interface SessionCorrelation {
  readonly overall: CorrelationGroup;
  readonly bySession: Readonly<Record<MarketSession, CorrelationGroup>>;
  /** 24 entries, hour 0 to 23 (empty hours included, with n = 0). */
  readonly byHour: readonly HourGroup[];
  /** Records whose target time the calendar could not place (a year it does not hold). */
  readonly unplaced: number;
  /**
   * The session with the highest Wilson lower bound of the hit rate among sessions with at least
   * `minSample` records: the lower bound, so one lucky prediction does not make a session "best".
   */
  readonly bestSession: MarketSession | null;
}

export function correlationGroup(records: readonly ValidationRecord[]): CorrelationGroup {
  const n = records.length;
  const hits = records.reduce((s, r) => s + (r.hit ? 1 : 0), 0);
  const signalReturns = records.map((r) => r.signalReturnPct).filter((x): x is number => x !== null);
  return {
    n,
    hits,
    hitRate: n === 0 ? null : hits / n,
    hitRateCi: wilsonInterval(hits, n),
    meanPriceErrorPct: mean(records.map((r) => r.priceErrorPct)),
    signals: signalReturns.length,
    meanSignalReturnPct: mean(signalReturns),
  };
}

function hourOf(record: ValidationRecord): number | null {
  try {
    return etHour(record.targetTime);
  } catch {
    return null;
  }
}

export function sessionCorrelation(records: readonly ValidationRecord[], minSample = 1): SessionCorrelation {
  const sessions = new Map<MarketSession, ValidationRecord[]>(MARKET_SESSIONS.map((s) => [s, []]));
  const hours: ValidationRecord[][] = Array.from({ length: 24 }, () => []);
  let unplaced = 0;
  for (const record of records) {
    const hour = hourOf(record);
    if (record.session === null || hour === null) {
      unplaced++;
      continue;
    }
    sessions.get(record.session)?.push(record);
    hours[hour]?.push(record);
  }
  const bySession = Object.fromEntries(
    MARKET_SESSIONS.map((s) => [s, correlationGroup(sessions.get(s) ?? [])]),
  ) as Record<MarketSession, CorrelationGroup>;
  let bestSession: MarketSession | null = null;
  for (const s of MARKET_SESSIONS) {
    const group = bySession[s];
    const low = group.hitRateCi?.[0];
    if (low === undefined || group.n < minSample) continue;
    if (bestSession === null || low > (bySession[bestSession].hitRateCi?.[0] ?? -1)) bestSession = s;
  }
  return {
    overall: correlationGroup(records),
    bySession,
    byHour: hours.map((group, hour) => ({ hour, ...correlationGroup(group) })),
    unplaced,
    bestSession,
  };
}
