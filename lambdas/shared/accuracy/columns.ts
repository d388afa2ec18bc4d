/**
 * Column (struct-of-arrays) form of matched predictions: the per-prediction figures are derived
 * once, into typed arrays, and every group (overall, symbol, model, session) is computed from them.
 */
import { AccuracyInputError } from './errors';
import type { MatchedPrediction } from './types';

export interface PredictionColumns {
  readonly n: number;
  /** Confidence in [0, 1]. */
  readonly confidence: Float64Array;
  /** Direction hit, 1 or 0. */
  readonly hit: Uint8Array;
  /** Signed price error, predicted − actual. */
  readonly error: Float64Array;
  /** price_error_pct; NaN marks "undefined" (actual ≤ 0) and is skipped by the aggregates. */
  readonly errorPct: Float64Array;
}

/**
 * price_error_pct = |predicted − actual| / actual × 100; null when actual ≤ 0 or an input is not
 * finite (there is no meaningful percentage of a non-positive price).
 */
export function priceErrorPct(predictedPrice: number, actualPrice: number): number | null {
  if (!(actualPrice > 0) || !Number.isFinite(actualPrice) || !Number.isFinite(predictedPrice)) return null;
  return (Math.abs(predictedPrice - actualPrice) / actualPrice) * 100;
}

/**
 * Direction hit: sign(predicted − base) == sign(actual − base), with Math.sign semantics, so a
 * predicted "flat" (predicted == base) is a hit exactly when the price stayed flat, and a
 * predicted move is a miss when the price did not move.
 */
export function directionHit(basePrice: number, predictedPrice: number, actualPrice: number): boolean {
  // Math.sign(-0) is -0 and -0 === 0, so signed zeros compare equal as intended.
  return Math.sign(predictedPrice - basePrice) === Math.sign(actualPrice - basePrice);
}

function invalid(index: number, field: string, value: unknown, why: string): AccuracyInputError {
  return new AccuracyInputError(`prediction ${index}: ${field} ${String(value)} ${why}`);
}

/** Derives the per-prediction figures once. Throws AccuracyInputError on inputs that would yield NaN. */
export function toColumns(records: readonly MatchedPrediction[]): PredictionColumns {
  const n = records.length;
  const confidence = new Float64Array(n);
  const hit = new Uint8Array(n);
  const error = new Float64Array(n);
  const errorPct = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = records[i] as MatchedPrediction;
    const c = r.confidence;
    if (!(c >= 0 && c <= 1)) throw invalid(i, 'confidence', c, 'is not a number in [0, 1]');
    if (!Number.isFinite(r.basePrice)) throw invalid(i, 'basePrice', r.basePrice, 'is not finite');
    if (!Number.isFinite(r.predictedPrice))
      throw invalid(i, 'predictedPrice', r.predictedPrice, 'is not finite');
    if (!Number.isFinite(r.actualPrice)) throw invalid(i, 'actualPrice', r.actualPrice, 'is not finite');
    confidence[i] = c;
    hit[i] = directionHit(r.basePrice, r.predictedPrice, r.actualPrice) ? 1 : 0;
    error[i] = r.predictedPrice - r.actualPrice;
    errorPct[i] = priceErrorPct(r.predictedPrice, r.actualPrice) ?? Number.NaN;
  }
  return { n, confidence, hit, error, errorPct };
}

/** Builds columns from plain arrays (confidence, 0/1 or boolean hits), validating them. */
export function confidenceColumns(
  confidence: ArrayLike<number>,
  hit: ArrayLike<number | boolean>,
): { confidence: Float64Array; hit: Uint8Array } {
  if (confidence.length !== hit.length) {
    throw new AccuracyInputError(
      `confidence and hit differ in length (${confidence.length} vs ${hit.length})`,
    );
  }
  const n = confidence.length;
  const conf = new Float64Array(n);
  const hits = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = confidence[i] as number;
    if (!(c >= 0 && c <= 1)) throw invalid(i, 'confidence', c, 'is not a number in [0, 1]');
    const h = hit[i];
    if (h !== 0 && h !== 1 && h !== true && h !== false)
      throw invalid(i, 'hit', h, 'is not 0/1 or a boolean');
    conf[i] = c;
    hits[i] = h === 1 || h === true ? 1 : 0;
  }
  return { confidence: conf, hit: hits };
}

/**
 * Splits columns into groups by a group id per row (counting sort, one scatter pass): group g's
 * rows become one contiguous block, returned as zero-copy subarray views, in row order.
 */
export function partitionColumns(
  columns: PredictionColumns,
  groupOf: Int32Array,
  groupCount: number,
): PredictionColumns[] {
  const { n } = columns;
  const starts = new Int32Array(groupCount + 1);
  for (let i = 0; i < n; i++) {
    const slot = (groupOf[i] as number) + 1;
    starts[slot] = (starts[slot] as number) + 1;
  }
  for (let g = 0; g < groupCount; g++) starts[g + 1] = (starts[g + 1] as number) + (starts[g] as number);
  const next = starts.slice(0, groupCount);
  const confidence = new Float64Array(n);
  const hit = new Uint8Array(n);
  const error = new Float64Array(n);
  const errorPct = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i] as number;
    const k = next[g] as number;
    next[g] = k + 1;
    confidence[k] = columns.confidence[i] as number;
    hit[k] = columns.hit[i] as number;
    error[k] = columns.error[i] as number;
    errorPct[k] = columns.errorPct[i] as number;
  }
  const groups: PredictionColumns[] = [];
  for (let g = 0; g < groupCount; g++) {
    const from = starts[g] as number;
    const to = starts[g + 1] as number;
    groups.push({
      n: to - from,
      confidence: confidence.subarray(from, to),
      hit: hit.subarray(from, to),
      error: error.subarray(from, to),
      errorPct: errorPct.subarray(from, to),
    });
  }
  return groups;
}
