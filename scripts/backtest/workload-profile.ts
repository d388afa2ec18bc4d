/**
 * The replayed platform's profile: the workload's knobs, how long each kind of invocation takes, the span
 * volume's shape through the day, and the minute and time helpers the simulation and its report share.
 */
import { DateTime } from 'luxon';
import type { Rng } from '../../lambdas/observability-demo/replay';
import type { ExpressionRule } from '../../lib/alerting/rules';
import { OFF_HOURS_FACTOR } from './tracing-cost';

export const MINUTE_MS = 60_000;

/** The workload's knobs; the backtest uses `WORKLOAD_DEFAULTS`. */
export const WORKLOAD_DEFAULTS = {
  /** The models' healthy hit rate (the issue's "~70 %"). */
  skill: 0.7,
  horizonMinutes: 60,
  /** How often validate_all runs (the tracker's schedule). */
  validateEveryMinutes: 15,
  /**
   * Window of target times validate_all summarises when the rule does not name one (`lookbackMinutes` on the
   * accuracy rule): short, so a degraded model shows within an hour of its first resolved predictions.
   */
  defaultLookbackMinutes: 30,
  /** Transient failures of healthy invocations (well inside the 99.9 % SLO). */
  baseErrorRate: 0.0001,
  /** Share of fast invocations that are cold starts (+0.6–1.2 s). */
  coldStartRate: 0.003,
  /** The ingestion key is rotated every this many days (policy: before the 90-day alarm). */
  keyRotationDays: 60,
  /** Seconds between a price's timestamp and record_prices receiving it, uniform in [min, max]. */
  feedDelaySeconds: [2, 10] as const,
  /** Share of per-symbol feed calls that are skipped (a quiet tick): the lag alarm must not mind. */
  feedSkipRate: 0.002,
} as const;

/** Median duration (ms) and log-sd of each kind of invocation. */
export const DURATIONS = {
  recordPrices: [60, 0.35],
  recordPredictions: [90, 0.35],
  readRankings: [45, 0.3],
  scheduledRankings: [1_800, 0.3],
  /** validate_all: a fixed part plus per validated prediction (see `validateAllDuration`). */
  validateAll: [250, 0.3],
  optimize: [250, 0.25],
  keyAgeCheck: [120, 0.3],
} as const satisfies Record<string, readonly [number, number]>;

/** The lookback the accuracy rule asks validate_all for (`lookbackMinutes` on the rule), else the default. */
export function lookbackMinutesOf(rule: ExpressionRule): number {
  const value = (rule as ExpressionRule & { lookbackMinutes?: unknown }).lookbackMinutes;
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? value
    : WORKLOAD_DEFAULTS.defaultLookbackMinutes;
}

export interface Session {
  readonly open: number;
  readonly close: number;
}

export const lognormal = (rng: Rng, [median, sigma]: readonly [number, number]) =>
  median * Math.exp(rng.normal(0, sigma));

/** Relative span volume: a U shape through the session (×1.25 at the open and close), low off-hours, ±5 % noise. */
export function volumeFactor(minute: number, session: Session, inSession: boolean, rng: Rng): number {
  const noise = Math.exp(rng.normal(0, 0.05));
  if (!inSession) return OFF_HOURS_FACTOR * noise;
  const x = (minute - session.open) / Math.max(1, session.close - session.open);
  return (1 + 0.25 * (2 * x - 1) ** 2) * noise;
}

export const etTime = (ms: number): string =>
  DateTime.fromMillis(ms, { zone: 'America/New_York' }).toFormat("yyyy-MM-dd HH:mm 'ET'");
