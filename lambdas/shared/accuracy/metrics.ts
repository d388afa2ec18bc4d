/**
 * Pure accuracy, calibration and confidence–correctness metrics (no AWS, no I/O).
 *
 * Conventions (pinned by test/unit/accuracy against independently computed reference values):
 * - calibration bins: 10 equal-width bins, right-closed (lo, hi] with bin 0 also holding 0, as
 *   scikit-learn's `calibration_curve` (`np.searchsorted(bins[1:-1], y_prob)`, side 'left'); the
 *   edges are the float64 values of `np.linspace(0, 1, 11)`, i.e. `i * 0.1`, so 0.3 falls in
 *   (0.2, 0.30000000000000004] exactly as in scikit-learn;
 * - ECE = Σ_b (n_b / n)·|mean confidence_b − hit rate_b|, MCE = max over non-empty bins;
 * - log loss clips probabilities to [ε, 1 − ε] with ε = float64 machine epsilon (scikit-learn);
 * - Spearman uses average ranks for ties; AUROC is Mann–Whitney with ties counting 1/2;
 * - a figure undefined for the sample is null, never NaN.
 */
import { confidenceColumns, type PredictionColumns, toColumns } from './columns';
import { AccuracyInputError } from './errors';
import type { AccuracyGroup, Interval, MatchedPrediction, ReliabilityBin } from './types';

/** Two-sided 95 % normal quantile (scipy.stats.norm.isf(0.025)). */
export const Z_95 = 1.959963984540054;
export const CALIBRATION_BIN_COUNT = 10;
/** np.finfo(np.float64).eps, scikit-learn's clip for log loss. */
export const LOG_LOSS_EPSILON = Number.EPSILON;

/** Inner bin edges as float64 `np.linspace(0, 1, 11)` produces them (i * 0.1, not i / 10). */
const EDGES: readonly number[] = Array.from({ length: CALIBRATION_BIN_COUNT + 1 }, (_, i) =>
  i === CALIBRATION_BIN_COUNT ? 1 : i * 0.1,
);

/**
 * Calibration bin of a confidence: the number of inner edges strictly below it (searchsorted
 * 'left'), so bins are (edge_b, edge_b+1] and 0 → bin 0, 0.1 → bin 0, 1 → bin 9.
 */
export function calibrationBin(confidence: number): number {
  // ceil(10c) − 1 is right up to one step of rounding; the exact edges settle it.
  let b = Math.ceil(confidence * CALIBRATION_BIN_COUNT) - 1;
  if (b < 0) b = 0;
  else if (b > CALIBRATION_BIN_COUNT - 1) b = CALIBRATION_BIN_COUNT - 1;
  if (b > 0 && confidence <= (EDGES[b] as number)) b--;
  else if (b < CALIBRATION_BIN_COUNT - 1 && confidence > (EDGES[b + 1] as number)) b++;
  return b;
}

/**
 * Wilson score interval for a binomial proportion (default 95 %). Null for n = 0. The ends are
 * exactly 0 (no successes) and 1 (all successes), and stay within [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): Interval | null {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new AccuracyInputError(`wilsonInterval: need integers 0 ≤ successes ≤ n, got ${successes}/${n}`);
  }
  if (!(z > 0) || !Number.isFinite(z)) throw new AccuracyInputError(`wilsonInterval: z ${z} is not positive`);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  const low = successes === 0 ? 0 : Math.max(0, center - half);
  const high = successes === n ? 1 : Math.min(1, center + half);
  return [low, high];
}

/** One pass over confidence and hits: the reliability bins plus every sum the calibration figures need. */
interface CalibrationPass {
  readonly n: number;
  readonly hits: number;
  readonly sumConfidence: number;
  readonly minConfidence: number;
  readonly maxConfidence: number;
  readonly brierSum: number;
  readonly logLossSum: number;
  readonly binCount: Float64Array;
  readonly binConfidence: Float64Array;
  readonly binHits: Float64Array;
}

function calibrationPass(confidence: Float64Array, hit: Uint8Array): CalibrationPass {
  const n = confidence.length;
  const binCount = new Float64Array(CALIBRATION_BIN_COUNT);
  const binConfidence = new Float64Array(CALIBRATION_BIN_COUNT);
  const binHits = new Float64Array(CALIBRATION_BIN_COUNT);
  let hits = 0;
  let sumConfidence = 0;
  let minConfidence = Number.POSITIVE_INFINITY;
  let maxConfidence = Number.NEGATIVE_INFINITY;
  let brierSum = 0;
  let logLossSum = 0;
  const lo = LOG_LOSS_EPSILON;
  const hi = 1 - LOG_LOSS_EPSILON;
  for (let i = 0; i < n; i++) {
    const c = confidence[i] as number;
    const h = hit[i] as number;
    const b = calibrationBin(c);
    binCount[b] = (binCount[b] as number) + 1;
    binConfidence[b] = (binConfidence[b] as number) + c;
    binHits[b] = (binHits[b] as number) + h;
    hits += h;
    sumConfidence += c;
    if (c < minConfidence) minConfidence = c;
    if (c > maxConfidence) maxConfidence = c;
    const d = c - h;
    brierSum += d * d;
    const p = Math.min(Math.max(c, lo), hi);
    logLossSum -= h === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return {
    n,
    hits,
    sumConfidence,
    minConfidence,
    maxConfidence,
    brierSum,
    logLossSum,
    binCount,
    binConfidence,
    binHits,
  };
}

interface CalibrationFigures {
  readonly ece: number | null;
  readonly mce: number | null;
  readonly brier: number | null;
  readonly logLoss: number | null;
  readonly reliability: ReliabilityBin[];
}

function calibrationFigures(pass: CalibrationPass): CalibrationFigures {
  const { n } = pass;
  const reliability: ReliabilityBin[] = [];
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < CALIBRATION_BIN_COUNT; b++) {
    const count = pass.binCount[b] as number;
    const lower = b / CALIBRATION_BIN_COUNT;
    const upper = (b + 1) / CALIBRATION_BIN_COUNT;
    if (count === 0) {
      reliability.push({ bin: b, lower, upper, count, meanConfidence: null, hitRate: null });
      continue;
    }
    const meanConfidence = (pass.binConfidence[b] as number) / count;
    const hitRate = (pass.binHits[b] as number) / count;
    const gap = Math.abs(meanConfidence - hitRate);
    ece += (gap * count) / n;
    if (gap > mce) mce = gap;
    reliability.push({ bin: b, lower, upper, count, meanConfidence, hitRate });
  }
  if (n === 0) return { ece: null, mce: null, brier: null, logLoss: null, reliability };
  return {
    // A weighted mean never exceeds its maximum; the min() only absorbs last-bit rounding.
    ece: Math.min(ece, mce),
    mce,
    brier: pass.brierSum / n,
    logLoss: pass.logLossSum / n,
    reliability,
  };
}

/** Pearson correlation of confidence with the 0/1 hit; null for one class or constant confidence. */
function pointBiserialOf(confidence: Float64Array, hit: Uint8Array, pass: CalibrationPass): number | null {
  const { n, hits } = pass;
  // Exact constancy test: a centred sum of a constant column need not be exactly 0 in floating point.
  if (n < 2 || hits === 0 || hits === n || pass.minConfidence === pass.maxConfidence) return null;
  // Pearson is invariant under x → (x − min) / range; working in [0, 1] with min → 0 and max → 1
  // keeps the centred sums O(1) even for subnormal spreads (whose squares would underflow to 0).
  const min = pass.minConfidence;
  const range = pass.maxConfidence - min;
  // An approximate mean suffices: the corrected two-pass formula removes its error exactly.
  const approxMean = (pass.sumConfidence / n - min) / range;
  const meanH = hits / n;
  let sd = 0;
  let sdd = 0;
  let sdh = 0;
  for (let i = 0; i < n; i++) {
    const d = ((confidence[i] as number) - min) / range - approxMean;
    sd += d;
    sdd += d * d;
    sdh += d * ((hit[i] as number) - meanH);
  }
  const sxx = sdd - (sd * sd) / n;
  const syy = (hits * (n - hits)) / n;
  const r = sdh / Math.sqrt(sxx * syy);
  return Number.isFinite(r) ? clampUnit(r) : null;
}

interface RankFigures {
  readonly spearman: number | null;
  readonly auroc: number | null;
}

/**
 * Spearman and AUROC from one ordering: hits' and misses' confidences are sorted separately
 * (native typed-array sort) and merged, tie group by tie group, assigning average ranks.
 * Ranks are half-integers, so the rank sums are exact in float64.
 */
function rankFigures(confidence: Float64Array, hit: Uint8Array, hits: number): RankFigures {
  const n = confidence.length;
  const misses = n - hits;
  if (hits === 0 || misses === 0) return { spearman: null, auroc: null };
  const pos = new Float64Array(hits);
  const neg = new Float64Array(misses);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (hit[i] === 1) pos[p++] = confidence[i] as number;
    else neg[q++] = confidence[i] as number;
  }
  pos.sort();
  neg.sort();
  const meanRank = (n + 1) / 2;
  let i = 0;
  let j = 0;
  let before = 0;
  let positiveRankSum = 0;
  let rankSquares = 0;
  while (i < hits || j < misses) {
    const a = i < hits ? (pos[i] as number) : Number.POSITIVE_INFINITY;
    const b = j < misses ? (neg[j] as number) : Number.POSITIVE_INFINITY;
    const v = Math.min(a, b);
    let gp = 0;
    while (i < hits && pos[i] === v) {
      i++;
      gp++;
    }
    let gn = 0;
    while (j < misses && neg[j] === v) {
      j++;
      gn++;
    }
    const g = gp + gn;
    const rank = before + (g + 1) / 2;
    positiveRankSum += rank * gp;
    const d = rank - meanRank;
    rankSquares += g * d * d;
    before += g;
  }
  const u = positiveRankSum - (hits * (hits + 1)) / 2;
  const auroc = u / (hits * misses);
  // Pearson of (rank, hit): Σ(r − r̄)(h − h̄) = Σ_hits r − hits·r̄; Σ(h − h̄)² = hits·misses / n.
  const spearman =
    rankSquares === 0
      ? null
      : clampUnit((positiveRankSum - hits * meanRank) / Math.sqrt((rankSquares * hits * misses) / n));
  return { spearman, auroc };
}

function clampUnit(r: number): number {
  return Math.min(Math.max(r, -1), 1);
}

/** ECE over 10 right-closed bins; null when empty. */
export function ece(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  const c = confidenceColumns(confidence, hit);
  return calibrationFigures(calibrationPass(c.confidence, c.hit)).ece;
}

/** MCE (largest bin gap) over 10 right-closed bins; null when empty. */
export function mce(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  const c = confidenceColumns(confidence, hit);
  return calibrationFigures(calibrationPass(c.confidence, c.hit)).mce;
}

/** Mean squared difference between confidence and the 0/1 hit; null when empty. */
export function brier(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  const c = confidenceColumns(confidence, hit);
  return calibrationFigures(calibrationPass(c.confidence, c.hit)).brier;
}

/** Binary log loss, probabilities clipped to [ε, 1 − ε]; null when empty. */
export function logLoss(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  const c = confidenceColumns(confidence, hit);
  return calibrationFigures(calibrationPass(c.confidence, c.hit)).logLoss;
}

/** The 10-row reliability table (empty bins: count 0, null means). */
export function reliabilityTable(
  confidence: ArrayLike<number>,
  hit: ArrayLike<number | boolean>,
): ReliabilityBin[] {
  const c = confidenceColumns(confidence, hit);
  return calibrationFigures(calibrationPass(c.confidence, c.hit)).reliability;
}

/** Point-biserial correlation (Pearson of confidence with the 0/1 hit); null for one class or constant confidence. */
export function pointBiserial(
  confidence: ArrayLike<number>,
  hit: ArrayLike<number | boolean>,
): number | null {
  const c = confidenceColumns(confidence, hit);
  return pointBiserialOf(c.confidence, c.hit, calibrationPass(c.confidence, c.hit));
}

/** Spearman correlation of confidence with the hit (average ranks); null for one class or constant confidence. */
export function spearman(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  const c = confidenceColumns(confidence, hit);
  let hits = 0;
  for (const h of c.hit) hits += h;
  return rankFigures(c.confidence, c.hit, hits).spearman;
}

/** AUROC of confidence as a score for the hit (ties 1/2); null with one class. Constant confidence gives 0.5. */
export function auroc(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  const c = confidenceColumns(confidence, hit);
  let hits = 0;
  for (const h of c.hit) hits += h;
  return rankFigures(c.confidence, c.hit, hits).auroc;
}

/** Every figure of a group from its columns: one price pass, one calibration pass, one centred pass, one ranking. */
export function groupFromColumns(columns: PredictionColumns, pending: number): AccuracyGroup {
  const { n, confidence, hit, error, errorPct } = columns;
  let sumAbs = 0;
  let sumSq = 0;
  let sumSigned = 0;
  let sumPct = 0;
  let pctCount = 0;
  for (let i = 0; i < n; i++) {
    const e = error[i] as number;
    sumAbs += Math.abs(e);
    sumSq += e * e;
    sumSigned += e;
    const pct = errorPct[i] as number;
    // NaN (actual ≤ 0) fails the comparison and is left out of the percentage means.
    if (pct >= 0) {
      sumPct += pct;
      pctCount++;
    }
  }
  const pass = calibrationPass(confidence, hit);
  const calibration = calibrationFigures(pass);
  const ranks = rankFigures(confidence, hit, pass.hits);
  const mape = pctCount === 0 ? null : sumPct / pctCount;
  return {
    n,
    pending,
    hitRate: n === 0 ? null : pass.hits / n,
    hitRateCi: wilsonInterval(pass.hits, n),
    mae: n === 0 ? null : sumAbs / n,
    rmse: n === 0 ? null : Math.sqrt(sumSq / n),
    mape,
    meanError: n === 0 ? null : sumSigned / n,
    meanPriceErrorPct: mape,
    ece: calibration.ece,
    mce: calibration.mce,
    brier: calibration.brier,
    logLoss: calibration.logLoss,
    pointBiserial: pointBiserialOf(confidence, hit, pass),
    spearman: ranks.spearman,
    auroc: ranks.auroc,
    reliability: calibration.reliability,
  };
}

/**
 * The accuracy figures of one group of matched predictions; `pending` is the number of
 * predictions of the same group still waiting for a price. Throws AccuracyInputError on a
 * non-finite price or a confidence outside [0, 1].
 */
export function computeGroup(records: readonly MatchedPrediction[], pending = 0): AccuracyGroup {
  if (!Number.isInteger(pending) || pending < 0) {
    throw new AccuracyInputError(`pending ${pending} is not a non-negative integer`);
  }
  return groupFromColumns(toColumns(records), pending);
}
