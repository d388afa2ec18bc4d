/**
 * Property tests (fast-check, fixed seeds): bounds, invariants and agreement with naive
 * O(n²) / sort-based implementations written here independently of the module.
 */
import fc from 'fast-check';
import {
  type AccuracyGroup,
  auroc,
  computeGroup,
  MarketSession,
  type MatchedPrediction,
  type PendingPrediction,
  pointBiserial,
  spearman,
  summarize,
  wilsonInterval,
} from '../../../../../lambdas/shared/accuracy';

const RUNS = { seed: 42, numRuns: 200 } as const;

/** Confidences with many ties and exact bin edges, plus arbitrary doubles in [0, 1]. */
const confidenceArb = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map((k) => k / 20),
  fc.constantFrom(0, 0.1, 0.30000000000000004, 0.6000000000000001, 0.7, 0.9, 1),
  fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true }),
);
const sampleArb = fc.array(fc.tuple(confidenceArb, fc.boolean()), { maxLength: 80 });

/** Prices on a 0.1 grid so flat predictions and flat outcomes occur. */
const priceArb = fc.integer({ min: 990, max: 1010 }).map((x) => x / 10);
const recordArb: fc.Arbitrary<MatchedPrediction> = fc.record({
  symbol: fc.constantFrom('AAPL', 'MSFT', 'NVDA'),
  model: fc.constantFrom('lstm-v3', 'xgb-v1'),
  predictedAt: fc.constant('2026-11-19T14:30:00.000Z'),
  targetTime: fc.constant('2026-11-19T15:30:00.000Z'),
  basePrice: priceArb,
  predictedPrice: priceArb,
  confidence: confidenceArb,
  actualPrice: priceArb,
  actualTime: fc.constant('2026-11-19T15:30:00.000Z'),
  session: fc.constantFrom(...Object.values(MarketSession)),
});
const recordsArb = fc.array(recordArb, { maxLength: 60 });
const pendingArb: fc.Arbitrary<PendingPrediction[]> = fc.array(
  fc.record({
    symbol: fc.constantFrom('AAPL', 'TSLA'),
    model: fc.constantFrom('lstm-v3', 'tft-v1'),
    targetTime: fc.constant('2026-11-19T23:00:00.000Z'),
    session: fc.constantFrom(...Object.values(MarketSession)),
  }),
  { maxLength: 10 },
);

function isFigure(v: unknown): boolean {
  return v === null || (typeof v === 'number' && Number.isFinite(v));
}

function naiveAuroc(conf: number[], hit: boolean[]): number | null {
  let score = 0;
  let pairs = 0;
  conf.forEach((p, i) => {
    if (!hit[i]) return;
    conf.forEach((q, j) => {
      if (hit[j]) return;
      pairs++;
      score += p > q ? 1 : p === q ? 0.5 : 0;
    });
  });
  return pairs === 0 ? null : score / pairs;
}

/** Textbook Pearson on x rescaled to [0, 1] (so subnormal spreads do not underflow). */
function naivePearson(raw: number[], y: number[]): number | null {
  const n = raw.length;
  if (n < 2) return null;
  const lo = Math.min(...raw);
  const hi = Math.max(...raw);
  const x = raw.map((v) => (v - lo) / (hi - lo));
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

function averageRanks(x: number[]): number[] {
  const order = x.map((_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number));
  const ranks = new Array<number>(x.length).fill(0);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1] as number] === x[order[i] as number]) j++;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

const distinctCount = (x: number[]): number => new Set(x).size;

describe('calibration and correlation bounds', () => {
  it('0 ≤ ECE ≤ MCE ≤ 1, 0 ≤ Brier ≤ 1, log loss ≥ 0, reliability counts sum to n', () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        const g = computeGroup(records);
        expect(g.reliability.reduce((s, r) => s + r.count, 0)).toBe(records.length);
        if (records.length === 0) return;
        const [ece, mce, brier, logLoss] = [g.ece, g.mce, g.brier, g.logLoss] as [
          number,
          number,
          number,
          number,
        ];
        expect(ece).toBeGreaterThanOrEqual(0);
        expect(ece).toBeLessThanOrEqual(mce);
        expect(mce).toBeLessThanOrEqual(1);
        expect(brier).toBeGreaterThanOrEqual(0);
        expect(brier).toBeLessThanOrEqual(1);
        expect(logLoss).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('AUROC in [0, 1] and equal to the pairwise count; Spearman and point-biserial in [−1, 1] and equal to naive Pearson', () => {
    fc.assert(
      fc.property(sampleArb, (sample) => {
        const conf = sample.map(([c]) => c);
        const hit = sample.map(([, h]) => h);
        const h01 = hit.map((h) => (h ? 1 : 0));
        const a = auroc(conf, hit);
        const expectedA = naiveAuroc(conf, hit);
        if (expectedA === null) expect(a).toBeNull();
        else {
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThanOrEqual(1);
          expect(Math.abs((a as number) - expectedA)).toBeLessThanOrEqual(1e-12);
        }
        const oneClass = new Set(hit).size < 2;
        const constant = distinctCount(conf) < 2;
        const s = spearman(conf, hit);
        const pb = pointBiserial(conf, hit);
        if (oneClass || constant) {
          expect(s).toBeNull();
          expect(pb).toBeNull();
          return;
        }
        const expectedS = naivePearson(averageRanks(conf), averageRanks(h01)) as number;
        const expectedPb = naivePearson(conf, h01) as number;
        for (const [got, want] of [
          [s, expectedS],
          [pb, expectedPb],
        ] as const) {
          expect(got).toBeGreaterThanOrEqual(-1);
          expect(got).toBeLessThanOrEqual(1);
          expect(Math.abs((got as number) - want)).toBeLessThanOrEqual(1e-9);
        }
      }),
      RUNS,
    );
  });
  it('agrees with the naive implementations on larger samples (several merge levels of the shared sort)', () => {
    const large = fc.array(fc.tuple(confidenceArb, fc.boolean()), { minLength: 100, maxLength: 600 });
    fc.assert(
      fc.property(large, (sample) => {
        const conf = sample.map(([c]) => c);
        const hit = sample.map(([, h]) => h);
        const expectedA = naiveAuroc(conf, hit);
        const a = auroc(conf, hit);
        if (expectedA === null) expect(a).toBeNull();
        else expect(Math.abs((a as number) - expectedA)).toBeLessThanOrEqual(1e-12);
        if (new Set(hit).size < 2) return;
        const expectedS = naivePearson(
          averageRanks(conf),
          hit.map((h) => (h ? 1 : 0)),
        ) as number;
        expect(Math.abs((spearman(conf, hit) as number) - expectedS)).toBeLessThanOrEqual(1e-9);
      }),
      { seed: 7, numRuns: 40 },
    );
  });
});

describe('Wilson interval', () => {
  it('contains p̂ and stays within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 100_000 })
          .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([k, n]) => {
          const ci = wilsonInterval(k, n);
          expect(ci).not.toBeNull();
          const [low, high] = ci as [number, number];
          const p = k / n;
          expect(low).toBeGreaterThanOrEqual(0);
          expect(high).toBeLessThanOrEqual(1);
          expect(low).toBeLessThanOrEqual(p);
          expect(high).toBeGreaterThanOrEqual(p);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('invariants', () => {
  it('every figure is permutation invariant and never NaN', () => {
    fc.assert(
      fc.property(
        recordsArb.chain((records) =>
          fc.tuple(
            fc.constant(records),
            fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }),
          ),
        ),
        ([records, shuffled]) => {
          const a = computeGroup(records, 2);
          const b = computeGroup(shuffled, 2);
          for (const key of Object.keys(a) as (keyof AccuracyGroup)[]) {
            const x = a[key];
            const y = b[key];
            if (key === 'reliability') {
              expect(b.reliability.map((r) => r.count)).toEqual(a.reliability.map((r) => r.count));
              a.reliability.forEach((r, i) => {
                const other = b.reliability[i];
                for (const f of ['meanConfidence', 'hitRate'] as const) {
                  const u = r[f];
                  const v = other?.[f];
                  if (u === null) expect(v).toBeNull();
                  else expect(Math.abs(u - (v as number))).toBeLessThanOrEqual(1e-12);
                }
              });
            } else if (key === 'hitRateCi') {
              expect(y).toEqual(x);
            } else {
              expect(isFigure(x)).toBe(true);
              if (x === null) expect(y).toBeNull();
              // Sums in another order may differ in the last bits only.
              else expect(Math.abs((x as number) - (y as number))).toBeLessThanOrEqual(1e-9);
            }
          }
        },
      ),
      RUNS,
    );
  });

  it('groups partition the sample: symbol, model and session n (and pending) sum to overall', () => {
    fc.assert(
      fc.property(recordsArb, pendingArb, (matched, pending) => {
        const s = summarize(matched, pending, {
          window: { start: 'a', end: 'b', lookbackDays: 7 },
          minSampleForAlert: 1,
        });
        expect(s.overall.n).toBe(matched.length);
        expect(s.overall.pending).toBe(pending.length);
        for (const groups of [s.bySymbol, s.byModel, s.bySession]) {
          const all = Object.values(groups) as AccuracyGroup[];
          expect(all.reduce((t, g) => t + g.n, 0)).toBe(s.overall.n);
          expect(all.reduce((t, g) => t + g.pending, 0)).toBe(s.overall.pending);
          expect(all.every((g) => g.n + g.pending > 0)).toBe(true);
        }
        for (const alert of s.alerts) {
          expect(alert.hitRateCi[1]).toBeLessThan(alert.threshold);
          expect(alert.hitRate).toBeLessThan(alert.threshold);
        }
        // Each group equals the group computed on its own records (rows are not mixed across groups).
        for (const [key, group] of Object.entries(s.bySymbol)) {
          const own = computeGroup(
            matched.filter((m) => m.symbol === key),
            pending.filter((p) => p.symbol === key).length,
          );
          expect(group.n).toBe(own.n);
          expect(group.pending).toBe(own.pending);
          expect(group.hitRateCi).toEqual(own.hitRateCi);
          for (const f of ['mae', 'rmse', 'meanError', 'mape', 'ece', 'brier', 'logLoss', 'auroc'] as const) {
            if (own[f] === null) expect(group[f]).toBeNull();
            else expect(Math.abs((group[f] as number) - (own[f] as number))).toBeLessThanOrEqual(1e-9);
          }
        }
        // The summary is plain JSON: it survives a round trip unchanged (no NaN, no undefined).
        expect(JSON.parse(JSON.stringify(s))).toEqual(s);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
