/**
 * summarize() computes every group in one pass over rows laid out in confidence order (bucket
 * sort + in-bucket ordering, or a radix-sorted index when model × session ids do not pack).
 * Each of its groups must equal, exactly, the group computed alone from that group's records
 * (computeGroup), whatever path the rows took: ties, −0, crowded buckets, unpriced rows.
 */
import fc from 'fast-check';
import {
  type AccuracyGroup,
  computeGroup,
  MarketSession,
  type MatchedPrediction,
  summarize,
  toColumns,
} from '../../../../../lambdas/shared/accuracy';

const window = { start: '2026-11-13T00:00:00.000Z', end: '2026-11-20T00:00:00.000Z', lookbackDays: 7 };
const SESSIONS = [MarketSession.Regular, MarketSession.PreMarket, MarketSession.AfterHours] as const;

function record(
  i: number,
  confidence: number,
  move: number,
  symbol = `S${i % 5}`,
  model = `m${i % 3}`,
): MatchedPrediction {
  const base = 100 + (i % 7);
  return {
    symbol,
    model,
    session: SESSIONS[i % 3] as MarketSession,
    predictedAt: '2026-11-19T14:30:00.000Z',
    targetTime: '2026-11-19T15:30:00.000Z',
    actualTime: '2026-11-19T15:30:00.000Z',
    basePrice: base,
    predictedPrice: base + ((i * 7) % 5) - 2,
    confidence,
    // Every 11th row has no meaningful percentage error (actual ≤ 0).
    actualPrice: i % 11 === 0 ? -1 : base + move,
  };
}

/** Every group of the summary equals the group computed alone from its records. */
function expectGroupsMatch(records: readonly MatchedPrediction[]): void {
  const summary = summarize(records, [], { window });
  expect(summary.overall).toEqual(computeGroup(records));
  const check = (
    groups: Readonly<Record<string, AccuracyGroup | undefined>>,
    keyOf: (r: MatchedPrediction) => string,
  ) => {
    const keys = [...new Set(records.map(keyOf))].sort();
    expect(Object.keys(groups)).toEqual(keys);
    for (const key of keys) {
      expect(groups[key]).toEqual(computeGroup(records.filter((r) => keyOf(r) === key)));
    }
  };
  check(summary.bySymbol, (r) => r.symbol);
  check(summary.byModel, (r) => r.model);
  check(summary.bySession, (r) => r.session);
}

describe('summarize: every group as if computed alone', () => {
  it('on random records with ties, −0, subnormals and exact bin edges (fast-check)', () => {
    const confidence = fc.oneof(
      fc.integer({ min: 0, max: 10 }).map((k) => k / 10),
      fc.constantFrom(0, -0, Number.MIN_VALUE, 0.30000000000000004, 1),
      fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(confidence, fc.integer({ min: -3, max: 3 })), { maxLength: 200 }),
        (rows) => expectGroupsMatch(rows.map(([c, move], i) => record(i, c, move))),
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('when distinct confidences crowd one bucket in reverse order (the merge path)', () => {
    // 600 distinct confidences within 1e-9 of 0.5, descending: one bucket, fully out of order.
    const records = Array.from({ length: 600 }, (_, i) => record(i, 0.5 + (600 - i) * 1e-12, (i % 5) - 2));
    expectGroupsMatch(records);
  });

  it('when model × session ids are too many to pack (the sorted-index path)', () => {
    // 2 · 24 000 models · 23 200 sessions > 2^30.
    const n = 24_000;
    const records = Array.from({ length: n }, (_, i) => ({
      ...record(i, ((i * 7919) % 1000) / 1000, (i % 5) - 2, `S${i % 4}`, `m${i}`),
      session: `s${i % 23_200}` as MarketSession,
    }));
    const summary = summarize(records, [], { window });
    expect(summary.overall).toEqual(computeGroup(records));
    for (const symbol of ['S0', 'S1', 'S2', 'S3']) {
      expect(summary.bySymbol[symbol]).toEqual(computeGroup(records.filter((r) => r.symbol === symbol)));
    }
    expect(summary.byModel.m17).toEqual(computeGroup([records[17] as MatchedPrediction]));
    expect(Object.keys(summary.byModel)).toHaveLength(n);
    expect(Object.keys(summary.bySession)).toHaveLength(23_200);
  });
});

describe('toColumns order', () => {
  it('is ascending in confidence and stable among ties (−0 ties with 0)', () => {
    const values = [0.3, -0, 0.1, 0, 1, 0.3, Number.MIN_VALUE, 0.1, 0.30000000000000004, -0, 0.3];
    const columns = toColumns(values.map((c, i) => record(i, c, 1)));
    expect(Array.from(columns.source)).toEqual([1, 3, 9, 6, 2, 7, 0, 5, 10, 8, 4]);
    expect(Array.from(columns.confidence)).toEqual([
      -0,
      0,
      -0,
      Number.MIN_VALUE,
      0.1,
      0.1,
      0.3,
      0.3,
      0.3,
      0.30000000000000004,
      1,
    ]);
  });
});
