/**
 * Matching predictions to recorded prices (pure: no AWS, no I/O).
 * A prediction is matched with the FIRST recorded price of its symbol at or after its target time,
 * provided that price is no later than target time + tolerance (the bound is inclusive: a price
 * exactly `toleranceMinutes` after the target still matches). No such price → pending.
 */

import { sessionAt } from '../market/calendar';
import { CalendarRangeError } from '../market/errors';
import { MarketSession } from '../market/session';
import type { PredictionInput } from '../schemas';
import { directionHit, priceErrorPct } from './columns';
import { AccuracyOptionsError } from './errors';
import type { MatchedPrediction, PendingPrediction } from './types';

/** A prediction as stored (the fields `record_predictions` accepts). */
export type PredictionToMatch = PredictionInput;

/** A recorded price (the fields `record_prices` accepts). */
export interface PriceToMatch {
  readonly symbol: string;
  readonly timestamp: string;
  readonly price: number;
}

export const MatchDefaults = {
  toleranceMinutes: 60,
} as const;

export interface MatchOptions {
  /** How long after the target time a price still counts as the outcome. @default 60 */
  readonly toleranceMinutes?: number;
  /** Only predictions whose target time lies in [from, to] (ISO or ms) are considered. @default all */
  readonly window?: { readonly from: string | number; readonly to: string | number };
  /** Session of a target time; undefined → `closed`, counted in `outsideCalendar`. @default calendarSession */
  readonly sessionOf?: (targetTime: string) => MarketSession | undefined;
}

export interface MatchResult {
  /** In input order (of the predictions that are in the window). */
  readonly matched: MatchedPrediction[];
  readonly pending: PendingPrediction[];
  /** Predictions whose target time lies outside the window (ignored). */
  readonly outsideWindow: number;
  /** Predictions whose session could not be determined (outside the calendar) and were put in `closed`. */
  readonly outsideCalendar: number;
}

/** One symbol's prices, sorted once by time (parallel arrays: binary search touches numbers only). */
export interface PriceSeries {
  /** Epoch milliseconds, ascending. */
  readonly times: Float64Array;
  readonly prices: Float64Array;
  readonly timestamps: readonly string[];
}

/**
 * The NYSE session at `targetTime`, or undefined when the time is outside the calendar's years
 * (the calendar is maintained for a fixed range; validation must not crash past it).
 */
export function calendarSession(targetTime: string): MarketSession | undefined {
  try {
    return sessionAt(targetTime);
  } catch (error) {
    if (error instanceof CalendarRangeError) return undefined;
    throw error;
  }
}

function toMillis(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/** Sorts each symbol's prices by time once. Prices with an unparseable timestamp or a non-finite price are skipped. */
export function priceSeriesBySymbol(prices: readonly PriceToMatch[]): Map<string, PriceSeries> {
  const bySymbol = new Map<string, Array<{ t: number; price: number; timestamp: string }>>();
  for (const p of prices) {
    const t = Date.parse(p.timestamp);
    if (!Number.isFinite(t) || !Number.isFinite(p.price)) continue;
    let list = bySymbol.get(p.symbol);
    if (!list) {
      list = [];
      bySymbol.set(p.symbol, list);
    }
    list.push({ t, price: p.price, timestamp: p.timestamp });
  }
  const series = new Map<string, PriceSeries>();
  for (const [symbol, list] of bySymbol) {
    list.sort((a, b) => a.t - b.t);
    series.set(symbol, {
      times: Float64Array.from(list, (p) => p.t),
      prices: Float64Array.from(list, (p) => p.price),
      timestamps: list.map((p) => p.timestamp),
    });
  }
  return series;
}

/** Index of the first element ≥ t in ascending `times` (times.length when there is none). */
export function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Matches predictions with prices. Throws AccuracyOptionsError on a negative or non-finite tolerance
 * or an unreadable window.
 */
export function matchPredictions(
  predictions: readonly PredictionToMatch[],
  prices: readonly PriceToMatch[] | ReadonlyMap<string, PriceSeries>,
  options: MatchOptions = {},
): MatchResult {
  const toleranceMinutes = options.toleranceMinutes ?? MatchDefaults.toleranceMinutes;
  if (!(toleranceMinutes >= 0) || !Number.isFinite(toleranceMinutes)) {
    throw new AccuracyOptionsError(`toleranceMinutes ${toleranceMinutes} is not a finite number ≥ 0`);
  }
  const toleranceMs = toleranceMinutes * 60_000;
  const from = options.window ? toMillis(options.window.from) : Number.NEGATIVE_INFINITY;
  const to = options.window ? toMillis(options.window.to) : Number.POSITIVE_INFINITY;
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw new AccuracyOptionsError('window bounds must be ISO-8601 times or epoch milliseconds');
  }
  const sessionOf = options.sessionOf ?? calendarSession;
  const series = 'get' in prices ? prices : priceSeriesBySymbol(prices);

  const matched: MatchedPrediction[] = [];
  const pending: PendingPrediction[] = [];
  let outsideWindow = 0;
  let outsideCalendar = 0;
  for (const p of predictions) {
    const target = Date.parse(p.targetTime);
    if (!(target >= from && target <= to)) {
      outsideWindow += 1;
      continue;
    }
    let session = sessionOf(p.targetTime);
    if (session === undefined) {
      outsideCalendar += 1;
      session = MarketSession.Closed;
    }
    const own = series.get(p.symbol);
    const index = own ? lowerBound(own.times, target) : 0;
    if (own && index < own.times.length && (own.times[index] as number) - target <= toleranceMs) {
      matched.push({
        symbol: p.symbol,
        model: p.model,
        predictedAt: p.predictedAt,
        targetTime: p.targetTime,
        basePrice: p.basePrice,
        predictedPrice: p.predictedPrice,
        confidence: p.confidence,
        actualPrice: own.prices[index] as number,
        actualTime: own.timestamps[index] as string,
        session,
      });
    } else {
      pending.push({ symbol: p.symbol, model: p.model, targetTime: p.targetTime, session });
    }
  }
  return { matched, pending, outsideWindow, outsideCalendar };
}

/** The per-prediction outcome persisted as a validation item and carried by the prediction's span. */
export interface PredictionOutcome extends MatchedPrediction {
  readonly hit: boolean;
  /** |predicted − actual| / actual × 100; null when it is undefined. */
  readonly priceErrorPct: number | null;
  /** (predicted − base) / base × 100; null when base is not positive. */
  readonly predictedReturnPct: number | null;
  /** (actual − base) / base × 100; null when base is not positive. */
  readonly actualReturnPct: number | null;
}

function returnPct(from: number, to: number): number | null {
  if (!(from > 0) || !Number.isFinite(from) || !Number.isFinite(to)) return null;
  return ((to - from) / from) * 100;
}

export function predictionOutcome(m: MatchedPrediction): PredictionOutcome {
  return {
    ...m,
    hit: directionHit(m.basePrice, m.predictedPrice, m.actualPrice),
    priceErrorPct: priceErrorPct(m.predictedPrice, m.actualPrice),
    predictedReturnPct: returnPct(m.basePrice, m.predictedPrice),
    actualReturnPct: returnPct(m.basePrice, m.actualPrice),
  };
}
