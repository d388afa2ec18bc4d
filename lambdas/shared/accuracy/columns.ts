/**
 * Column (struct-of-arrays) form of matched predictions: the per-prediction figures derived once,
 * into typed arrays sorted by confidence (stable), so the ranks (Spearman, AUROC) of any stable
 * subset need no other sort. `computeGroup` and the single-figure functions use these columns;
 * `summarize` lays its rows out itself (packed.ts) and shares the validation and figures here.
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

/** Bits per radix digit: 6 passes cover a float64, and the 2 048-slot histograms stay cheap for small inputs. */
const DIGIT_BITS = 11;
const DIGIT_SLOTS = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGIT_SLOTS - 1;
const DIGITS = 6;
/** Which 32-bit half of a float64 holds the sign and exponent (typed arrays use the platform's byte order). */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW_WORD = 1 - HIGH_WORD;

/** Radix digit `d` (0 = least significant) of the 64-bit key (high, low); the sign bit is left out. */
function digitOf(high: number, low: number, d: number): number {
  switch (d) {
    case 0:
      return low & DIGIT_MASK;
    case 1:
      return (low >>> 11) & DIGIT_MASK;
    case 2:
      return (low >>> 22) | ((high & 1) << 10);
    case 3:
      return (high >>> 1) & DIGIT_MASK;
    case 4:
      return (high >>> 12) & DIGIT_MASK;
    default:
      return (high >>> 23) & 0xff;
  }
}

/**
 * Row order by ascending confidence, stable among ties: an LSD radix sort of the row indices on
 * the bits of the confidences. For non-negative floats the bit pattern orders like the value;
 * confidences are in [0, 1], so the sign bit is set only on −0, and leaving it out ties −0 with 0
 * as `<` does. Each pass is a counting sort (stable); a digit that is the same on every row is
 * skipped. O(n), no comparisons, two index buffers.
 */
export function confidenceOrder(confidence: Float64Array): Int32Array {
  const n = confidence.length;
  const words = new Uint32Array(confidence.buffer, confidence.byteOffset, 2 * n);
  const counts = new Int32Array(DIGITS * DIGIT_SLOTS);
  for (let i = 0; i < n; i++) {
    const high = words[2 * i + HIGH_WORD] as number;
    const low = words[2 * i + LOW_WORD] as number;
    for (let d = 0; d < DIGITS; d++) {
      const slot = d * DIGIT_SLOTS + digitOf(high, low, d);
      counts[slot] = (counts[slot] as number) + 1;
    }
  }
  let rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  if (n < 2) return rows;
  let next = new Int32Array(n);
  const firstHigh = words[HIGH_WORD] as number;
  const firstLow = words[LOW_WORD] as number;
  for (let d = 0; d < DIGITS; d++) {
    const base = d * DIGIT_SLOTS;
    if (counts[base + digitOf(firstHigh, firstLow, d)] === n) continue;
    // Counts → start offsets.
    let offset = 0;
    for (let s = base; s < base + DIGIT_SLOTS; s++) {
      const count = counts[s] as number;
      counts[s] = offset;
      offset += count;
    }
    for (let k = 0; k < n; k++) {
      const row = rows[k] as number;
      const slot =
        base + digitOf(words[2 * row + HIGH_WORD] as number, words[2 * row + LOW_WORD] as number, d);
      const at = counts[slot] as number;
      counts[slot] = at + 1;
      next[at] = row;
    }
    [rows, next] = [next, rows];
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

/** Throws AccuracyInputError on a record whose figures would be NaN (`i` is its index, for the message). */
export function validateRecord(r: MatchedPrediction, i: number): void {
  const c = r.confidence;
  if (!(c >= 0 && c <= 1)) throw invalid(i, 'confidence', c, 'is not a number in [0, 1]');
  if (!Number.isFinite(r.basePrice)) throw invalid(i, 'basePrice', r.basePrice, 'is not finite');
  if (!Number.isFinite(r.predictedPrice))
    throw invalid(i, 'predictedPrice', r.predictedPrice, 'is not finite');
  if (!Number.isFinite(r.actualPrice)) throw invalid(i, 'actualPrice', r.actualPrice, 'is not finite');
}

/** The per-prediction figures in input order (before the confidence sort). */
export interface RowFigures {
  readonly n: number;
  readonly confidence: Float64Array;
  readonly hit: Uint8Array;
  readonly error: Float64Array;
  /** NaN marks "undefined" (actual ≤ 0). */
  readonly errorPct: Float64Array;
}

/** Derives the per-prediction figures once, in input order. Throws AccuracyInputError on inputs that would yield NaN. */
export function rowFigures(records: readonly MatchedPrediction[]): RowFigures {
  const n = records.length;
  const confidence = new Float64Array(n);
  const hit = new Uint8Array(n);
  const error = new Float64Array(n);
  const errorPct = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = records[i] as MatchedPrediction;
    validateRecord(r, i);
    const c = r.confidence;
    confidence[i] = c;
    hit[i] = directionHit(r.basePrice, r.predictedPrice, r.actualPrice) ? 1 : 0;
    error[i] = r.predictedPrice - r.actualPrice;
    errorPct[i] = priceErrorPct(r.predictedPrice, r.actualPrice) ?? Number.NaN;
  }
  return { n, confidence, hit, error, errorPct };
}

/** Derives the per-prediction figures once, sorted by confidence. Throws AccuracyInputError on inputs that would yield NaN. */
export function toColumns(records: readonly MatchedPrediction[]): PredictionColumns {
  const { confidence, hit, error, errorPct } = rowFigures(records);
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
