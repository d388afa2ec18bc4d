/**
 * Column (struct-of-arrays) form of matched predictions. The per-prediction figures are derived
 * once, into typed arrays sorted by confidence, and every group (overall, symbol, model, session)
 * is computed from them: the partitions are stable, so each group inherits the order and the
 * ranks (Spearman, AUROC) never need another sort.
 */
import { AccuracyInputError } from './errors';
import type { MatchedPrediction } from './types';

export interface PredictionColumns {
  readonly n: number;
  /** Confidence in [0, 1], ascending (the invariant every builder here keeps). */
  readonly confidence: Float64Array;
  /** Direction hit, 1 or 0. */
  readonly hit: Uint8Array;
  /** Signed price error, predicted − actual. */
  readonly error: Float64Array;
  /** price_error_pct; NaN marks "undefined" (actual ≤ 0) and is skipped by the aggregates. */
  readonly errorPct: Float64Array;
  /** Index of each row in the builder's input (records, or the plain arrays). */
  readonly source: Int32Array;
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

/** Run length sorted by insertion before merging. */
const INSERTION_RUN = 24;

/**
 * Row order by ascending confidence, stable among ties: a bottom-up merge sort of (value, row)
 * pairs held in typed arrays (sequential memory, no comparator calls), O(n log n) worst case.
 */
function confidenceOrder(confidence: Float64Array): Int32Array {
  const n = confidence.length;
  let keys = confidence.slice();
  let rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  for (let lo = 0; lo < n; lo += INSERTION_RUN) {
    const hi = Math.min(lo + INSERTION_RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const key = keys[i] as number;
      const row = rows[i] as number;
      let j = i - 1;
      while (j >= lo && (keys[j] as number) > key) {
        keys[j + 1] = keys[j] as number;
        rows[j + 1] = rows[j] as number;
        j--;
      }
      keys[j + 1] = key;
      rows[j + 1] = row;
    }
  }
  let keysOut = new Float64Array(n);
  let rowsOut = new Int32Array(n);
  for (let width = INSERTION_RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Strictly smaller from the right only: equal keys keep their order (stable).
        if ((keys[j] as number) < (keys[i] as number)) {
          keysOut[k] = keys[j] as number;
          rowsOut[k++] = rows[j++] as number;
        } else {
          keysOut[k] = keys[i] as number;
          rowsOut[k++] = rows[i++] as number;
        }
      }
      while (i < mid) {
        keysOut[k] = keys[i] as number;
        rowsOut[k++] = rows[i++] as number;
      }
      while (j < hi) {
        keysOut[k] = keys[j] as number;
        rowsOut[k++] = rows[j++] as number;
      }
    }
    [keys, keysOut] = [keysOut, keys];
    [rows, rowsOut] = [rowsOut, rows];
  }
  return rows;
}

/** Columns in confidence order from unordered per-row arrays. */
function sortedColumns(
  confidence: Float64Array,
  hit: Uint8Array,
  error: Float64Array,
  errorPct: Float64Array,
): PredictionColumns {
  const n = confidence.length;
  const order = confidenceOrder(confidence);
  const out: PredictionColumns = {
    n,
    confidence: new Float64Array(n),
    hit: new Uint8Array(n),
    error: new Float64Array(n),
    errorPct: new Float64Array(n),
    source: order,
  };
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    out.confidence[k] = confidence[i] as number;
    out.hit[k] = hit[i] as number;
    out.error[k] = error[i] as number;
    out.errorPct[k] = errorPct[i] as number;
  }
  return out;
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
  return sortedColumns(confidence, hit, error, errorPct);
}

/** Columns from plain arrays (confidence, 0/1 or boolean hits) for the calibration-only functions; no price error. */
export function confidenceColumns(
  confidence: ArrayLike<number>,
  hit: ArrayLike<number | boolean>,
): PredictionColumns {
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
  return sortedColumns(conf, hits, new Float64Array(n), new Float64Array(n));
}

/**
 * Splits columns into groups by a group id per row (counting sort, one scatter pass). Stable, so
 * each group stays in confidence order; returned as zero-copy subarray views.
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
  const source = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i] as number;
    const k = next[g] as number;
    next[g] = k + 1;
    confidence[k] = columns.confidence[i] as number;
    hit[k] = columns.hit[i] as number;
    error[k] = columns.error[i] as number;
    errorPct[k] = columns.errorPct[i] as number;
    source[k] = columns.source[i] as number;
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
      source: source.subarray(from, to),
    });
  }
  return groups;
}
