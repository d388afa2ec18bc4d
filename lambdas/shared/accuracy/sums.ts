/**
 * The sums every figure of a group needs, for all groups of a grouping at once (one group for
 * `overall`, one per symbol, model or session), gathered while the rows are visited once in
 * confidence order. No group's rows are ever copied out: each row adds to its own group's slots.
 *
 * Each group sees exactly the operations, in exactly the order, of a pass over that group's own
 * confidence-ordered rows, so the figures are bit-for-bit those of the group computed alone.
 */
import { CALIBRATION_BIN_COUNT, calibrationBin, LOG_LOSS_EPSILON } from './bins';

/** Every sum the figures of one group need. */
export interface GroupSums {
  readonly n: number;
  readonly hits: number;
  readonly sumConfidence: number;
  readonly brierSum: number;
  readonly logLossSum: number;
  readonly binCount: Float64Array;
  readonly binConfidence: Float64Array;
  readonly binHits: Float64Array;
  readonly sumAbsError: number;
  readonly sumSquaredError: number;
  readonly sumError: number;
  readonly sumErrorPct: number;
  readonly errorPctCount: number;
  /** Σ of the average ranks of the hits (ranks by ascending confidence, ties averaged). */
  readonly hitRankSum: number;
  /** Σ (rank − mean rank)² over all rows. */
  readonly rankSquares: number;
  /** Lowest and highest confidence (null when empty). */
  readonly minConfidence: number | null;
  readonly maxConfidence: number | null;
}

/**
 * Sums of many groups. Feed it rows in confidence order with `addRow`, and call `endRun` after
 * each run of equal confidences: a run shares its calibration bin, its log terms and its average
 * rank, so those are settled once per run and group; the per-row work is a few additions.
 * (A plain object literal, not a class instance: a literal's shape outlives its instances, so a
 * garbage collection between calls does not throw away the optimised code that uses it.)
 */
export interface GroupSumsAccumulator {
  readonly groupCount: number;
  /** Rows per group, known up front (the mean rank needs it). */
  readonly total: Float64Array;
  /** Rows of the group before its current run (its rank offset). */
  readonly seen: Float64Array;
  readonly runSize: Float64Array;
  readonly runHits: Float64Array;
  /** Groups with rows in the current run; the count is in touchedCount[0]. */
  readonly touched: Int32Array;
  readonly touchedCount: Int32Array;
  readonly hits: Float64Array;
  readonly sumConfidence: Float64Array;
  readonly brierSum: Float64Array;
  readonly logLossSum: Float64Array;
  readonly sumAbsError: Float64Array;
  readonly sumSquaredError: Float64Array;
  readonly sumError: Float64Array;
  readonly sumErrorPct: Float64Array;
  readonly errorPctCount: Float64Array;
  readonly hitRankSum: Float64Array;
  readonly rankSquares: Float64Array;
  readonly firstConfidence: Float64Array;
  readonly lastConfidence: Float64Array;
  readonly binCount: Float64Array;
  readonly binConfidence: Float64Array;
  readonly binHits: Float64Array;
}

export function groupSumsAccumulator(totals: Float64Array): GroupSumsAccumulator {
  const groups = totals.length;
  return {
    groupCount: groups,
    total: totals,
    seen: new Float64Array(groups),
    runSize: new Float64Array(groups),
    runHits: new Float64Array(groups),
    touched: new Int32Array(groups),
    touchedCount: new Int32Array(1),
    hits: new Float64Array(groups),
    sumConfidence: new Float64Array(groups),
    brierSum: new Float64Array(groups),
    logLossSum: new Float64Array(groups),
    sumAbsError: new Float64Array(groups),
    sumSquaredError: new Float64Array(groups),
    sumError: new Float64Array(groups),
    sumErrorPct: new Float64Array(groups),
    errorPctCount: new Float64Array(groups),
    hitRankSum: new Float64Array(groups),
    rankSquares: new Float64Array(groups),
    firstConfidence: new Float64Array(groups),
    lastConfidence: new Float64Array(groups),
    binCount: new Float64Array(groups * CALIBRATION_BIN_COUNT),
    binConfidence: new Float64Array(groups * CALIBRATION_BIN_COUNT),
    binHits: new Float64Array(groups * CALIBRATION_BIN_COUNT),
  };
}

/** One row of group `g` (rows arrive in confidence order). */
export function addRow(
  acc: GroupSumsAccumulator,
  g: number,
  confidence: number,
  hit: number,
  error: number,
  errorPct: number,
): void {
  const size = acc.runSize[g] as number;
  if (size === 0) {
    const t = acc.touchedCount[0] as number;
    acc.touched[t] = g;
    acc.touchedCount[0] = t + 1;
    if (acc.seen[g] === 0) acc.firstConfidence[g] = confidence;
  }
  acc.lastConfidence[g] = confidence;
  acc.runSize[g] = size + 1;
  acc.runHits[g] = (acc.runHits[g] as number) + hit;
  acc.sumAbsError[g] = (acc.sumAbsError[g] as number) + Math.abs(error);
  acc.sumSquaredError[g] = (acc.sumSquaredError[g] as number) + error * error;
  acc.sumError[g] = (acc.sumError[g] as number) + error;
  // NaN (actual ≤ 0) fails the comparison and is left out of the percentage means.
  if (errorPct >= 0) {
    acc.sumErrorPct[g] = (acc.sumErrorPct[g] as number) + errorPct;
    acc.errorPctCount[g] = (acc.errorPctCount[g] as number) + 1;
  }
}

/**
 * Closes the run of confidence `c` in every group that had rows in it. (0 and −0 tie and give
 * the same terms, so the run's first confidence stands for all of its rows.)
 */
export function endRun(acc: GroupSumsAccumulator, c: number): void {
  const b = calibrationBin(c);
  const p = Math.min(Math.max(c, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
  const logP = Math.log(p);
  const logNotP = Math.log(1 - p);
  const notC = 1 - c;
  const touchedCount = acc.touchedCount[0] as number;
  for (let t = 0; t < touchedCount; t++) {
    const g = acc.touched[t] as number;
    const size = acc.runSize[g] as number;
    const groupHits = acc.runHits[g] as number;
    const groupMisses = size - groupHits;
    const slot = g * CALIBRATION_BIN_COUNT + b;
    acc.binCount[slot] = (acc.binCount[slot] as number) + size;
    acc.binConfidence[slot] = (acc.binConfidence[slot] as number) + c * size;
    acc.binHits[slot] = (acc.binHits[slot] as number) + groupHits;
    acc.hits[g] = (acc.hits[g] as number) + groupHits;
    acc.sumConfidence[g] = (acc.sumConfidence[g] as number) + c * size;
    acc.brierSum[g] = (acc.brierSum[g] as number) + (groupHits * notC * notC + groupMisses * c * c);
    let logLoss = acc.logLossSum[g] as number;
    if (groupHits > 0) logLoss -= groupHits * logP;
    if (groupMisses > 0) logLoss -= groupMisses * logNotP;
    acc.logLossSum[g] = logLoss;
    // Ranks seen+1 … seen+size share their average; half-integers, so these sums are exact in float64.
    const seen = acc.seen[g] as number;
    const rank = seen + (size + 1) / 2;
    acc.hitRankSum[g] = (acc.hitRankSum[g] as number) + rank * groupHits;
    const d = rank - ((acc.total[g] as number) + 1) / 2;
    acc.rankSquares[g] = (acc.rankSquares[g] as number) + size * d * d;
    acc.seen[g] = seen + size;
    acc.runSize[g] = 0;
    acc.runHits[g] = 0;
  }
  acc.touchedCount[0] = 0;
}

export function sumsOf(acc: GroupSumsAccumulator, g: number): GroupSums {
  const n = acc.total[g] as number;
  const from = g * CALIBRATION_BIN_COUNT;
  const to = from + CALIBRATION_BIN_COUNT;
  return {
    n,
    hits: acc.hits[g] as number,
    sumConfidence: acc.sumConfidence[g] as number,
    brierSum: acc.brierSum[g] as number,
    logLossSum: acc.logLossSum[g] as number,
    binCount: acc.binCount.subarray(from, to),
    binConfidence: acc.binConfidence.subarray(from, to),
    binHits: acc.binHits.subarray(from, to),
    sumAbsError: acc.sumAbsError[g] as number,
    sumSquaredError: acc.sumSquaredError[g] as number,
    sumError: acc.sumError[g] as number,
    sumErrorPct: acc.sumErrorPct[g] as number,
    errorPctCount: acc.errorPctCount[g] as number,
    hitRankSum: acc.hitRankSum[g] as number,
    rankSquares: acc.rankSquares[g] as number,
    minConfidence: n === 0 ? null : (acc.firstConfidence[g] as number),
    maxConfidence: n === 0 ? null : (acc.lastConfidence[g] as number),
  };
}

/** The sums of every group of an accumulator. */
export function allSums(acc: GroupSumsAccumulator): GroupSums[] {
  const sums: GroupSums[] = [];
  for (let g = 0; g < acc.groupCount; g++) sums.push(sumsOf(acc, g));
  return sums;
}

/**
 * The centred sums of the point-biserial correlation (a second pass in the same order, once the
 * first has given each group its mean and range): Pearson is invariant under
 * x → (x − min) / range, and working in [0, 1] keeps the centred sums O(1) even for subnormal
 * spreads (whose squares would underflow to 0). An approximate mean suffices: the corrected
 * two-pass formula removes its error exactly.
 */
export interface PointBiserialAccumulator {
  readonly sums: readonly GroupSums[];
  readonly min: Float64Array;
  readonly range: Float64Array;
  readonly approxMean: Float64Array;
  readonly meanHit: Float64Array;
  readonly sd: Float64Array;
  readonly sdd: Float64Array;
  readonly sdh: Float64Array;
  readonly defined: Uint8Array;
}

export function pointBiserialAccumulator(sums: readonly GroupSums[]): PointBiserialAccumulator {
  const groups = sums.length;
  const acc: PointBiserialAccumulator = {
    sums,
    min: new Float64Array(groups),
    range: new Float64Array(groups),
    approxMean: new Float64Array(groups),
    meanHit: new Float64Array(groups),
    sd: new Float64Array(groups),
    sdd: new Float64Array(groups),
    sdh: new Float64Array(groups),
    defined: new Uint8Array(groups),
  };
  for (let g = 0; g < groups; g++) {
    const { n, hits, minConfidence, maxConfidence, sumConfidence } = sums[g] as GroupSums;
    // Exact constancy test: a centred sum of a constant column need not be exactly 0 in floating point.
    if (n < 2 || hits === 0 || hits === n || minConfidence === null || minConfidence === maxConfidence)
      continue;
    const min = minConfidence;
    const range = (maxConfidence as number) - min;
    acc.defined[g] = 1;
    acc.min[g] = min;
    acc.range[g] = range;
    acc.approxMean[g] = (sumConfidence / n - min) / range;
    acc.meanHit[g] = hits / n;
  }
  return acc;
}

/** Whether any group has a defined correlation (otherwise the second pass can be skipped). */
export function pointBiserialNeeded(acc: PointBiserialAccumulator): boolean {
  return acc.defined.includes(1);
}

export function addPointBiserialRow(
  acc: PointBiserialAccumulator,
  g: number,
  confidence: number,
  hit: number,
): void {
  if (acc.defined[g] === 0) return;
  const d = (confidence - (acc.min[g] as number)) / (acc.range[g] as number) - (acc.approxMean[g] as number);
  acc.sd[g] = (acc.sd[g] as number) + d;
  acc.sdd[g] = (acc.sdd[g] as number) + d * d;
  acc.sdh[g] = (acc.sdh[g] as number) + d * (hit - (acc.meanHit[g] as number));
}

/** Pearson correlation of confidence with the 0/1 hit; null for one class or constant confidence. */
export function pointBiserialOf(acc: PointBiserialAccumulator, g: number): number | null {
  if (acc.defined[g] === 0) return null;
  const { n, hits } = acc.sums[g] as GroupSums;
  const sd = acc.sd[g] as number;
  const sxx = (acc.sdd[g] as number) - (sd * sd) / n;
  const syy = (hits * (n - hits)) / n;
  const r = (acc.sdh[g] as number) / Math.sqrt(sxx * syy);
  return Number.isFinite(r) ? Math.min(Math.max(r, -1), 1) : null;
}

/** Per-row figures in any order, visited through `order` (ascending confidence, stable). */
export interface RowsInOrder {
  readonly n: number;
  readonly confidence: Float64Array;
  readonly hit: Uint8Array;
  readonly error: Float64Array;
  readonly errorPct: Float64Array;
}

/** A way of grouping rows: the group of each row (in the rows' own indexing), or every row in group 0. */
export interface Grouping {
  readonly ids: Int32Array | null;
  readonly count: number;
}

export interface GroupTotals {
  readonly sums: GroupSums;
  readonly pointBiserial: number | null;
}

/**
 * The sums of every group of every grouping, in two passes over the rows in confidence order
 * (sums, then the centred sums of the point-biserial correlation). Returns, per grouping, one
 * entry per group id.
 */
export function groupedSums(
  rows: RowsInOrder,
  order: Int32Array,
  groupings: readonly Grouping[],
): GroupTotals[][] {
  const { n, confidence, hit, error, errorPct } = rows;
  const accumulators = groupings.map(({ ids, count }) => {
    const totals = new Float64Array(count);
    if (ids === null) totals[0] = n;
    else for (let i = 0; i < n; i++) totals[ids[i] as number] = (totals[ids[i] as number] as number) + 1;
    return groupSumsAccumulator(totals);
  });
  const ids = groupings.map((grouping) => grouping.ids);
  const width = groupings.length;
  let k = 0;
  while (k < n) {
    const c = confidence[order[k] as number] as number;
    do {
      const i = order[k] as number;
      const ci = confidence[i] as number;
      const h = hit[i] as number;
      const e = error[i] as number;
      const pct = errorPct[i] as number;
      for (let w = 0; w < width; w++) {
        const groupIds = ids[w] as Int32Array | null;
        addRow(
          accumulators[w] as GroupSumsAccumulator,
          groupIds === null ? 0 : (groupIds[i] as number),
          ci,
          h,
          e,
          pct,
        );
      }
      k++;
    } while (k < n && confidence[order[k] as number] === c);
    for (let w = 0; w < width; w++) endRun(accumulators[w] as GroupSumsAccumulator, c);
  }
  const sums = accumulators.map(allSums);
  const correlations = sums.map(pointBiserialAccumulator);
  if (correlations.some(pointBiserialNeeded)) {
    for (let k2 = 0; k2 < n; k2++) {
      const i = order[k2] as number;
      const ci = confidence[i] as number;
      const h = hit[i] as number;
      for (let w = 0; w < width; w++) {
        const groupIds = ids[w] as Int32Array | null;
        addPointBiserialRow(
          correlations[w] as PointBiserialAccumulator,
          groupIds === null ? 0 : (groupIds[i] as number),
          ci,
          h,
        );
      }
    }
  }
  return sums.map((groupSums, w) =>
    groupSums.map((s, g) => ({
      sums: s,
      pointBiserial: pointBiserialOf(correlations[w] as PointBiserialAccumulator, g),
    })),
  );
}
