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
 * - Spearman uses average ranks for ties; AUROC is Mann–Whitney with ties counting 1/2; both come
 *   from the confidence order the columns are built in (one sort per summary, shared by all groups);
 * - a figure undefined for the sample is null, never NaN.
 */
export { CALIBRATION_BIN_COUNT, calibrationBin, LOG_LOSS_EPSILON } from './bins';

import { CALIBRATION_BIN_COUNT } from './bins';
import { confidenceColumns, type PredictionColumns, toColumns } from './columns';
import { AccuracyInputError } from './errors';
import { type Grouping, type GroupSums, type GroupTotals, groupedSums } from './sums';
import type { AccuracyGroup, Interval, MatchedPrediction, ReliabilityBin } from './types';

/** Two-sided 95 % normal quantile (scipy.stats.norm.isf(0.025)). */
export const Z_95 = 1.959963984540054;

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

interface CalibrationFigures {
  readonly ece: number | null;
  readonly mce: number | null;
  readonly reliability: ReliabilityBin[];
}

function calibrationFigures(sums: GroupSums): CalibrationFigures {
  const { n } = sums;
  const reliability: ReliabilityBin[] = [];
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < CALIBRATION_BIN_COUNT; b++) {
    const count = sums.binCount[b] as number;
    const lower = b / CALIBRATION_BIN_COUNT;
    const upper = (b + 1) / CALIBRATION_BIN_COUNT;
    if (count === 0) {
      reliability.push({ bin: b, lower, upper, count, meanConfidence: null, hitRate: null });
      continue;
    }
    const meanConfidence = (sums.binConfidence[b] as number) / count;
    const hitRate = (sums.binHits[b] as number) / count;
    const gap = Math.abs(meanConfidence - hitRate);
    ece += (gap * count) / n;
    if (gap > mce) mce = gap;
    reliability.push({ bin: b, lower, upper, count, meanConfidence, hitRate });
  }
  if (n === 0) return { ece: null, mce: null, reliability };
  // A weighted mean never exceeds its maximum; the min() only absorbs last-bit rounding.
  return { ece: Math.min(ece, mce), mce, reliability };
}

/** AUROC as Mann–Whitney U / (hits · misses) from the rank sum (ties count 1/2); null with one class. */
function aurocOf(sums: GroupSums): number | null {
  const { n, hits } = sums;
  const misses = n - hits;
  if (hits === 0 || misses === 0) return null;
  return (sums.hitRankSum - (hits * (hits + 1)) / 2) / (hits * misses);
}

/**
 * Spearman = Pearson of (rank, hit): Σ(r − r̄)(h − h̄) = Σ_hits r − hits·r̄ and
 * Σ(h − h̄)² = hits·misses / n. Null for one class or constant confidence (all ranks tied).
 */
function spearmanOf(sums: GroupSums): number | null {
  const { n, hits, rankSquares } = sums;
  const misses = n - hits;
  if (hits === 0 || misses === 0 || rankSquares === 0) return null;
  const meanRank = (n + 1) / 2;
  return clampUnit((sums.hitRankSum - hits * meanRank) / Math.sqrt((rankSquares * hits * misses) / n));
}

function clampUnit(r: number): number {
  return Math.min(Math.max(r, -1), 1);
}

/** Every figure of a group from its sums and point-biserial correlation. */
export function groupFromSums(sums: GroupSums, pointBiserial: number | null, pending: number): AccuracyGroup {
  const { n, hits } = sums;
  const calibration = calibrationFigures(sums);
  const mape = sums.errorPctCount === 0 ? null : sums.sumErrorPct / sums.errorPctCount;
  const empty = n === 0;
  return {
    n,
    pending,
    hitRate: empty ? null : hits / n,
    hitRateCi: wilsonInterval(hits, n),
    mae: empty ? null : sums.sumAbsError / n,
    rmse: empty ? null : Math.sqrt(sums.sumSquaredError / n),
    mape,
    meanError: empty ? null : sums.sumError / n,
    meanPriceErrorPct: mape,
    ece: calibration.ece,
    mce: calibration.mce,
    brier: empty ? null : sums.brierSum / n,
    logLoss: empty ? null : sums.logLossSum / n,
    pointBiserial,
    spearman: spearmanOf(sums),
    auroc: aurocOf(sums),
    reliability: calibration.reliability,
  };
}

const ALL_ROWS: readonly Grouping[] = [{ ids: null, count: 1 }];

/** Every figure of a group from its (confidence-ordered) columns. */
export function groupFromColumns(columns: PredictionColumns, pending: number): AccuracyGroup {
  const order = new Int32Array(columns.n);
  for (let k = 0; k < columns.n; k++) order[k] = k;
  const [totals] = groupedSums(columns, order, ALL_ROWS)[0] as GroupTotals[];
  const { sums, pointBiserial } = totals as GroupTotals;
  return groupFromSums(sums, pointBiserial, pending);
}

/** The figures of plain confidence/hit arrays (validated), for the single-figure functions below. */
function figuresOf(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): AccuracyGroup {
  return groupFromColumns(confidenceColumns(confidence, hit), 0);
}

/** ECE over 10 right-closed bins; null when empty. */
export function ece(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  return figuresOf(confidence, hit).ece;
}

/** MCE (largest bin gap) over 10 right-closed bins; null when empty. */
export function mce(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  return figuresOf(confidence, hit).mce;
}

/** Mean squared difference between confidence and the 0/1 hit; null when empty. */
export function brier(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  return figuresOf(confidence, hit).brier;
}

/** Binary log loss, probabilities clipped to [ε, 1 − ε]; null when empty. */
export function logLoss(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  return figuresOf(confidence, hit).logLoss;
}

/** The 10-row reliability table (empty bins: count 0, null means). */
export function reliabilityTable(
  confidence: ArrayLike<number>,
  hit: ArrayLike<number | boolean>,
): readonly ReliabilityBin[] {
  return figuresOf(confidence, hit).reliability;
}

/** Point-biserial correlation (Pearson of confidence with the 0/1 hit); null for one class or constant confidence. */
export function pointBiserial(
  confidence: ArrayLike<number>,
  hit: ArrayLike<number | boolean>,
): number | null {
  return figuresOf(confidence, hit).pointBiserial;
}

/** Spearman correlation of confidence with the hit (average ranks); null for one class or constant confidence. */
export function spearman(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  return figuresOf(confidence, hit).spearman;
}

/** AUROC of confidence as a score for the hit (ties 1/2); null with one class. Constant confidence gives 0.5. */
export function auroc(confidence: ArrayLike<number>, hit: ArrayLike<number | boolean>): number | null {
  return figuresOf(confidence, hit).auroc;
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
