/**
 * From stored data to the opportunity scorer's inputs (pure). No look-ahead: an analysis as of a time
 * uses only validations whose matched price was known by then, predictions made by then, and prices
 * recorded by then, so a past `asOf` (a backtest) sees what a live run would have seen.
 */
import { ece } from '../shared/accuracy';
import { addDays, CalendarRangeError, dayInfo, etDate, etStartOfDay, isoWeekday } from '../shared/market';
import type { StoredPrediction } from '../shared/store';
import { type OpportunityInputs, priceFeatures } from '../shared/trading';
import { mean, returnPct, type ValidationRecord } from './validations';

export interface LookbackWindow {
  /** UTC ISO start: 00:00 ET of the earliest trading day in the window. */
  readonly from: string;
  /** UTC ISO end (asOf). */
  readonly to: string;
  readonly tradingDays: number;
  /**
   * True when the window reached back before the calendar's first year, where weekdays were counted
   * as trading days. It only sizes the window; no session decision is made on those days.
   */
  readonly approximate: boolean;
}

function isTradingDay(date: string): { trading: boolean; approximate: boolean } {
  try {
    return { trading: dayInfo(date).isTradingDay, approximate: false };
  } catch (error) {
    if (!(error instanceof CalendarRangeError)) throw error;
    return { trading: isoWeekday(date) <= 5, approximate: true };
  }
}

/**
 * The last `tradingDays` trading days up to and including asOf's ET date (asOf's own date counts when it
 * is a trading day). Throws `CalendarRangeError` when asOf itself lies outside the calendar.
 */
export function lookbackWindow(asOf: string, tradingDays: number): LookbackWindow {
  let day = etDate(asOf);
  dayInfo(day); // asOf's own year must be in the calendar
  let counted = 0;
  let approximate = false;
  let start = day;
  // Bounded: 10 calendar days per trading day is far more than any holiday cluster needs.
  for (let guard = 0; counted < tradingDays && guard < tradingDays * 10; guard++) {
    const check = isTradingDay(day);
    approximate ||= check.approximate;
    if (check.trading) {
      counted++;
      start = day;
    }
    day = addDays(day, -1);
  }
  return {
    from: etStartOfDay(start),
    to: asOf,
    tradingDays: counted,
    approximate,
  };
}

/**
 * The current prediction at asOf: made at or before asOf, target after asOf. The most recently made
 * one wins; among those made at the same time, the most confident; then the model id (deterministic).
 */
export function currentPrediction(
  predictions: readonly StoredPrediction[],
  asOf: string,
): StoredPrediction | null {
  let best: StoredPrediction | null = null;
  const at = Date.parse(asOf);
  for (const p of predictions) {
    if (Date.parse(p.predictedAt) > at || Date.parse(p.targetTime) <= at) continue;
    if (
      best === null ||
      p.predictedAt > best.predictedAt ||
      (p.predictedAt === best.predictedAt &&
        (p.confidence > best.confidence || (p.confidence === best.confidence && p.model < best.model)))
    ) {
      best = p;
    }
  }
  return best;
}

/** Validations known at asOf: the matched price was recorded by then (no look-ahead). */
export function knownAt(records: readonly ValidationRecord[], asOf: string): ValidationRecord[] {
  const at = Date.parse(asOf);
  return records.filter((r) => Date.parse(r.actualTime ?? r.targetTime) <= at);
}

export interface SymbolEvidence {
  readonly inputs: OpportunityInputs;
  /** The current prediction the predicted move comes from. */
  readonly current: {
    readonly model: string;
    readonly predictedAt: string;
    readonly targetTime: string;
    readonly confidence: number;
  } | null;
  /** Mean signal return (%) of the validated predictions; null when none had a direction. */
  readonly signalReturnPct: number | null;
}

/** The scorer's inputs for one symbol. `prices` oldest first. */
export function opportunityInputs(
  symbol: string,
  validations: readonly ValidationRecord[],
  current: StoredPrediction | null,
  prices: readonly number[],
  momentumLookback: number,
): SymbolEvidence {
  const features = priceFeatures(prices, momentumLookback);
  const confidences = validations.map((r) => r.confidence);
  const hits = validations.map((r) => r.hit);
  return {
    inputs: {
      symbol,
      validatedPredictions: validations.length,
      correctDirections: hits.filter(Boolean).length,
      ece: validations.length === 0 ? null : ece(confidences, hits),
      meanConfidence: mean(confidences),
      predictedMovePct: current ? returnPct(current.basePrice, current.predictedPrice) : null,
      volatilityPct: features.volatilityPct,
      momentumPct: features.momentumPct,
      priceCount: features.priceCount,
    },
    current: current
      ? {
          model: current.model,
          predictedAt: current.predictedAt,
          targetTime: current.targetTime,
          confidence: current.confidence,
        }
      : null,
    signalReturnPct: mean(validations.map((r) => r.signalReturnPct)),
  };
}
