/**
 * The fast path of `summarize`: the rows are written once, straight from the records, into one
 * interleaved buffer in confidence order (a bucket sort on the confidence, then an insertion sort
 * inside each small bucket), so every later pass reads memory sequentially. On a million rows,
 * random access through a sorted index costs far more than the arithmetic.
 */
import { directionHit, priceErrorPct, validateRecord } from './columns';
import {
  addPointBiserialRow,
  addRow,
  allSums,
  endRun,
  type GroupSumsAccumulator,
  type GroupTotals,
  groupSumsAccumulator,
  type PointBiserialAccumulator,
  pointBiserialAccumulator,
  pointBiserialNeeded,
  pointBiserialOf,
} from './sums';
import type { MatchedPrediction } from './types';

/** Float64 slots per row: confidence, error, error %, and two uint32 words (symbol; model, session, hit). */
const STRIDE = 4;
/** Rows per bucket on average; buckets larger than INSERTION_LIMIT are sorted by merging. */
const ROWS_PER_BUCKET = 4;
const INSERTION_LIMIT = 48;

/**
 * Whether model, session and hit fit in the high word of the fourth slot while keeping that slot a
 * finite float64 (below 2^30 its exponent bits are never all ones, so moving it as a number keeps
 * its bits: no NaN canonicalisation).
 */
export function packable(models: number, sessions: number): boolean {
  return 2 * Math.max(models, 1) * Math.max(sessions, 1) <= 2 ** 30;
}

/** Sorts rows [from, to) of the interleaved buffer by confidence, stable (merge sort through a scratch copy). */
function sortBucket(rows: Float64Array, from: number, to: number): void {
  const size = to - from;
  // Often already in order: a bucket holding a single (rounded) confidence, or pre-sorted input.
  let sorted = true;
  for (let k = from + 1; k < to && sorted; k++)
    sorted = !((rows[(k - 1) * STRIDE] as number) > (rows[k * STRIDE] as number));
  if (sorted) return;
  if (size <= INSERTION_LIMIT) {
    for (let k = from + 1; k < to; k++) {
      const c = rows[k * STRIDE] as number;
      if (!((rows[(k - 1) * STRIDE] as number) > c)) continue;
      const e = rows[k * STRIDE + 1] as number;
      const pct = rows[k * STRIDE + 2] as number;
      const packed = rows[k * STRIDE + 3] as number;
      let j = k - 1;
      while (j >= from && (rows[j * STRIDE] as number) > c) {
        rows.copyWithin((j + 1) * STRIDE, j * STRIDE, (j + 1) * STRIDE);
        j--;
      }
      rows[(j + 1) * STRIDE] = c;
      rows[(j + 1) * STRIDE + 1] = e;
      rows[(j + 1) * STRIDE + 2] = pct;
      rows[(j + 1) * STRIDE + 3] = packed;
    }
    return;
  }
  // Large bucket (confidences crowded in a narrow range): stable merge sort of the row blocks.
  let source = rows.slice(from * STRIDE, to * STRIDE);
  let target = new Float64Array(source.length);
  for (let width = 1; width < size; width *= 2) {
    for (let lo = 0; lo < size; lo += 2 * width) {
      const mid = Math.min(lo + width, size);
      const hi = Math.min(lo + 2 * width, size);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Strictly smaller from the right only: equal keys keep their order (stable).
        const take = ((source[j * STRIDE] as number) < (source[i * STRIDE] as number) ? j++ : i++) * STRIDE;
        const at = k++ * STRIDE;
        target[at] = source[take] as number;
        target[at + 1] = source[take + 1] as number;
        target[at + 2] = source[take + 2] as number;
        target[at + 3] = source[take + 3] as number;
      }
      if (i < mid) target.set(source.subarray(i * STRIDE, mid * STRIDE), k * STRIDE);
      else if (j < hi) target.set(source.subarray(j * STRIDE, hi * STRIDE), k * STRIDE);
    }
    [source, target] = [target, source];
  }
  rows.set(source, from * STRIDE);
}

/** Group ids of one grouping: the id of each record and the key of each id (in order of first appearance). */
export interface RecordGroups {
  readonly ids: Int32Array;
  readonly keys: string[];
}

/** What one pass over the records learns: group ids and the confidence buckets' start offsets. */
export interface IndexedRecords {
  readonly symbols: RecordGroups;
  readonly models: RecordGroups;
  readonly sessions: RecordGroups;
  readonly bucketCount: number;
  /** Start of each bucket in confidence order; bucketCount + 1 entries. */
  readonly bucketStarts: Int32Array;
}

function groupId(idOf: Map<string, number>, keys: string[], key: string): number {
  let id = idOf.get(key);
  if (id === undefined) {
    id = keys.length;
    idOf.set(key, id);
    keys.push(key);
  }
  return id;
}

/**
 * One pass over the records (reading a million scattered objects is a large part of the cost):
 * validates each (throwing as `rowFigures` does), gives it its symbol, model and session ids and
 * counts its confidence bucket.
 */
export function indexRecords(records: readonly MatchedPrediction[]): IndexedRecords {
  const n = records.length;
  const bucketCount = Math.max(1, Math.min(2 ** 30, Math.ceil(n / ROWS_PER_BUCKET)));
  const starts = new Int32Array(bucketCount + 1);
  const symbols = { ids: new Int32Array(n), keys: [] as string[] };
  const models = { ids: new Int32Array(n), keys: [] as string[] };
  const sessions = { ids: new Int32Array(n), keys: [] as string[] };
  const symbolIds = new Map<string, number>();
  const modelIds = new Map<string, number>();
  const sessionIds = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = records[i] as MatchedPrediction;
    validateRecord(r, i);
    symbols.ids[i] = groupId(symbolIds, symbols.keys, r.symbol);
    models.ids[i] = groupId(modelIds, models.keys, r.model);
    sessions.ids[i] = groupId(sessionIds, sessions.keys, r.session);
    // Monotone in the confidence (a product by a positive constant, then floor), so buckets are ordered.
    const b = Math.min((r.confidence * bucketCount) | 0, bucketCount - 1);
    starts[b + 1] = (starts[b + 1] as number) + 1;
  }
  for (let b = 0; b < bucketCount; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
  return { symbols, models, sessions, bucketCount, bucketStarts: starts };
}

/** Writes each record's row at its bucket's next slot, then orders every bucket: the rows in confidence order. */
function orderedRows(records: readonly MatchedPrediction[], indexed: IndexedRecords): Float64Array {
  const n = records.length;
  const { bucketCount, bucketStarts: starts, symbols, models, sessions } = indexed;
  const next = starts.slice(0, bucketCount);
  const rows = new Float64Array(n * STRIDE);
  const words = new Uint32Array(rows.buffer);
  const sessionCount = sessions.keys.length;
  for (let i = 0; i < n; i++) {
    const r = records[i] as MatchedPrediction;
    const c = r.confidence;
    const b = Math.min((c * bucketCount) | 0, bucketCount - 1);
    const k = next[b] as number;
    next[b] = k + 1;
    const at = k * STRIDE;
    rows[at] = c;
    rows[at + 1] = r.predictedPrice - r.actualPrice;
    rows[at + 2] = priceErrorPct(r.predictedPrice, r.actualPrice) ?? Number.NaN;
    const hit = directionHit(r.basePrice, r.predictedPrice, r.actualPrice) ? 1 : 0;
    words[2 * at + 6] = symbols.ids[i] as number;
    words[2 * at + 7] = ((models.ids[i] as number) * sessionCount + (sessions.ids[i] as number)) * 2 + hit;
  }
  for (let b = 0; b < bucketCount; b++) {
    const from = starts[b] as number;
    const to = starts[b + 1] as number;
    if (to - from > 1) sortBucket(rows, from, to);
  }
  return rows;
}

function accumulatorOf(groups: RecordGroups): GroupSumsAccumulator {
  const { ids } = groups;
  const totals = new Float64Array(groups.keys.length);
  for (let i = 0; i < ids.length; i++) totals[ids[i] as number] = (totals[ids[i] as number] as number) + 1;
  return groupSumsAccumulator(totals);
}

/** The first pass over the ordered rows: every sum but the point-biserial's. */
function sumRows(
  rows: Float64Array,
  sessionCount: number,
  accumulators: readonly [
    GroupSumsAccumulator,
    GroupSumsAccumulator,
    GroupSumsAccumulator,
    GroupSumsAccumulator,
  ],
): void {
  const [overall, bySymbol, byModel, bySession] = accumulators;
  const words = new Uint32Array(rows.buffer, rows.byteOffset, rows.length * 2);
  const n = rows.length / STRIDE;
  let k = 0;
  while (k < n) {
    const c = rows[k * STRIDE] as number;
    do {
      const at = k * STRIDE;
      const ci = rows[at] as number;
      const e = rows[at + 1] as number;
      const pct = rows[at + 2] as number;
      const packed = words[2 * at + 7] as number;
      const h = packed & 1;
      const modelSession = packed >>> 1;
      const session = modelSession % sessionCount;
      addRow(overall, 0, ci, h, e, pct);
      addRow(bySymbol, words[2 * at + 6] as number, ci, h, e, pct);
      addRow(byModel, (modelSession - session) / sessionCount, ci, h, e, pct);
      addRow(bySession, session, ci, h, e, pct);
      k++;
    } while (k < n && rows[k * STRIDE] === c);
    endRun(overall, c);
    endRun(bySymbol, c);
    endRun(byModel, c);
    endRun(bySession, c);
  }
}

/** The second pass: the point-biserial centred sums, once the first pass has given each group its mean and range. */
function pointBiserialRows(
  rows: Float64Array,
  sessionCount: number,
  correlations: readonly [
    PointBiserialAccumulator,
    PointBiserialAccumulator,
    PointBiserialAccumulator,
    PointBiserialAccumulator,
  ],
): void {
  const [overall, bySymbol, byModel, bySession] = correlations;
  const words = new Uint32Array(rows.buffer, rows.byteOffset, rows.length * 2);
  const n = rows.length / STRIDE;
  for (let k = 0; k < n; k++) {
    const at = k * STRIDE;
    const ci = rows[at] as number;
    const packed = words[2 * at + 7] as number;
    const h = packed & 1;
    const modelSession = packed >>> 1;
    const session = modelSession % sessionCount;
    addPointBiserialRow(overall, 0, ci, h);
    addPointBiserialRow(bySymbol, words[2 * at + 6] as number, ci, h);
    addPointBiserialRow(byModel, (modelSession - session) / sessionCount, ci, h);
    addPointBiserialRow(bySession, session, ci, h);
  }
}

/** The sums of overall, every symbol, model and session, bit-for-bit as `groupedSums` gives them. */
export function packedSummarySums(
  records: readonly MatchedPrediction[],
  indexed: IndexedRecords,
): [GroupTotals[], GroupTotals[], GroupTotals[], GroupTotals[]] {
  const rows = orderedRows(records, indexed);
  const sessionCount = indexed.sessions.keys.length;
  const accumulators = [
    groupSumsAccumulator(new Float64Array([records.length])),
    accumulatorOf(indexed.symbols),
    accumulatorOf(indexed.models),
    accumulatorOf(indexed.sessions),
  ] as const;
  sumRows(rows, sessionCount, accumulators);
  const sums = accumulators.map(allSums);
  const correlations = sums.map(pointBiserialAccumulator) as [
    PointBiserialAccumulator,
    PointBiserialAccumulator,
    PointBiserialAccumulator,
    PointBiserialAccumulator,
  ];
  if (correlations.some(pointBiserialNeeded)) pointBiserialRows(rows, sessionCount, correlations);
  return sums.map((groupSums, w) =>
    groupSums.map((s, g) => ({
      sums: s,
      pointBiserial: pointBiserialOf(correlations[w] as PointBiserialAccumulator, g),
    })),
  ) as [GroupTotals[], GroupTotals[], GroupTotals[], GroupTotals[]];
}
