/**
 * Validation outcomes as trading-intelligence reads them: one item per matched prediction, written by
 * dual-accuracy-tracker's `validate_all` (pk `ns#VAL#symbol`, sk `targetTime#model#predictedAt`).
 *
 * Definitions (percentages, signed):
 * - predicted return = (predictedPrice − basePrice) / basePrice × 100
 * - actual return    = (actualPrice − basePrice) / basePrice × 100
 * - signal return    = sign(predicted return) × actual return: what acting on the prediction's
 *   direction at basePrice and closing at the matched price would have returned (long when the model
 *   predicts a rise, short when it predicts a fall), before costs. A flat prediction (sign 0) is no
 *   signal: it has no signal return and is left out of signal-return means.
 * Stored figures are used when present and finite; missing ones are derived from the prices.
 */
import { directionHit, priceErrorPct } from '../shared/accuracy';
import { isMarketSession, type MarketSession, sessionAt } from '../shared/market';

export interface ValidationRecord {
  readonly symbol: string;
  readonly model: string;
  readonly predictedAt: string;
  readonly targetTime: string;
  readonly actualTime: string | null;
  readonly basePrice: number;
  readonly predictedPrice: number;
  readonly actualPrice: number;
  readonly confidence: number;
  /** Session of the target time (as stored by the tracker, else derived from targetTime). */
  readonly session: MarketSession | null;
  readonly hit: boolean;
  readonly priceErrorPct: number | null;
  readonly predictedReturnPct: number;
  readonly actualReturnPct: number;
  /** sign(predicted return) × actual return; null for a flat prediction. */
  readonly signalReturnPct: number | null;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function returnPct(from: number, to: number): number {
  return ((to - from) / from) * 100;
}

/** sign(predicted) × actual, null when the prediction is flat or an input is not finite. */
export function signalReturnPct(predictedReturnPct: number, actualReturnPct: number): number | null {
  if (!Number.isFinite(predictedReturnPct) || !Number.isFinite(actualReturnPct)) return null;
  const direction = Math.sign(predictedReturnPct);
  return direction === 0 ? null : direction * actualReturnPct + 0;
}

function sessionOf(stored: unknown, targetTime: string): MarketSession | null {
  if (isMarketSession(stored)) return stored;
  try {
    return sessionAt(targetTime);
  } catch {
    return null; // a year the calendar does not hold: counted, but in no session
  }
}

/** A stored validation item as a record, or null when it lacks what every figure needs. */
export function toValidationRecord(item: Readonly<Record<string, unknown>>): ValidationRecord | null {
  const { symbol, model, predictedAt, targetTime, basePrice, predictedPrice, actualPrice, confidence } = item;
  if (!text(symbol) || !text(model) || !text(predictedAt) || !text(targetTime)) return null;
  if (!finite(basePrice) || !finite(predictedPrice) || !finite(actualPrice)) return null;
  if (basePrice <= 0 || predictedPrice <= 0 || actualPrice <= 0) return null;
  if (!finite(confidence) || confidence < 0 || confidence > 1) return null;
  const predictedReturn = finite(item.predictedReturnPct)
    ? item.predictedReturnPct
    : returnPct(basePrice, predictedPrice);
  const actualReturn = finite(item.actualReturnPct)
    ? item.actualReturnPct
    : returnPct(basePrice, actualPrice);
  return {
    symbol,
    model,
    predictedAt,
    targetTime,
    actualTime: text(item.actualTime) ? item.actualTime : null,
    basePrice,
    predictedPrice,
    actualPrice,
    confidence,
    session: sessionOf(item.session, targetTime),
    hit: typeof item.hit === 'boolean' ? item.hit : directionHit(basePrice, predictedPrice, actualPrice),
    priceErrorPct: finite(item.priceErrorPct)
      ? item.priceErrorPct
      : priceErrorPct(predictedPrice, actualPrice),
    predictedReturnPct: predictedReturn,
    actualReturnPct: actualReturn,
    signalReturnPct: signalReturnPct(predictedReturn, actualReturn),
  };
}

/** Parses items, counting the ones that could not be read (reported, never guessed). */
export function toValidationRecords(items: readonly Readonly<Record<string, unknown>>[]): {
  records: ValidationRecord[];
  unreadable: number;
} {
  const records: ValidationRecord[] = [];
  let unreadable = 0;
  for (const item of items) {
    const record = toValidationRecord(item);
    if (record) records.push(record);
    else unreadable++;
  }
  return { records, unreadable };
}

/** Mean of the finite values; null when there are none. */
export function mean(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) continue;
    sum += value;
    n++;
  }
  return n === 0 ? null : sum / n;
}
