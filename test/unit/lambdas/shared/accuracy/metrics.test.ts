/**
 * Reference values for the pure accuracy metrics. Expected numbers come from
 * reference_values.py (plain Python, different algorithms) and from the issue; tolerance 1e-12.
 */
import {
  AccuracyInputError,
  auroc,
  brier,
  CALIBRATION_BIN_COUNT,
  calibrationBin,
  computeGroup,
  directionHit,
  ece,
  LOG_LOSS_EPSILON,
  logLoss,
  MarketSession,
  type MatchedPrediction,
  mce,
  pointBiserial,
  priceErrorPct,
  reliabilityTable,
  spearman,
  wilsonInterval,
} from '../../../../../lambdas/shared/accuracy';

const TOL = 1e-12;

function expectClose(actual: number | null | undefined, expected: number, tol = TOL): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol);
}

const CONF = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.3, 0.7, 0.9, 0.62, 0.88];
const HIT = [1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0];

/** Matched predictions whose confidence and direction hit reproduce CONF/HIT exactly. */
function referenceRecords(): MatchedPrediction[] {
  return CONF.map((confidence, i) => ({
    symbol: 'AAPL',
    model: 'lstm-v3',
    predictedAt: '2026-11-20T14:30:00.000Z',
    targetTime: '2026-11-20T15:30:00.000Z',
    basePrice: 100,
    predictedPrice: 101,
    confidence,
    actualPrice: HIT[i] === 1 ? 102 : 99,
    actualTime: '2026-11-20T15:30:00.000Z',
    session: MarketSession.Regular,
  }));
}

describe('reference values from the issue (1e-12)', () => {
  it.each([
    ['ece', ece, 0.22066666666666665],
    ['mce', mce, 0.5],
    ['brier', brier, 0.22475333333333328],
    ['logLoss', logLoss, 0.6549093195322494],
    ['spearman', spearman, 0.3313110699774545],
    ['pointBiserial', pointBiserial, 0.3379150071361493],
    ['auroc', auroc, 0.6944444444444444],
  ] as const)('%s', (_name, fn, expected) => {
    expectClose(fn(CONF, HIT), expected);
    // booleans are accepted as hits too
    expectClose(
      fn(
        CONF,
        HIT.map((h) => h === 1),
      ),
      expected,
    );
  });

  it('Wilson 95 % for 9/15', () => {
    const ci = wilsonInterval(9, 15);
    expectClose(ci?.[0], 0.357468301206246);
    expectClose(ci?.[1], 0.8017550385865841);
  });

  it('reliability table matches the per-bin means (scikit-learn calibration_curve bins)', () => {
    const table = reliabilityTable(CONF, HIT);
    expect(table).toHaveLength(CALIBRATION_BIN_COUNT);
    expect(table.map((r) => r.count)).toEqual([0, 0, 1, 0, 1, 2, 4, 2, 4, 1]);
    const expected: Record<number, [number, number]> = {
      2: [0.3, 0],
      4: [0.5, 0],
      5: [0.575, 0.5],
      6: [0.6675, 0.75],
      7: [0.775, 1],
      8: [0.8825000000000001, 0.5],
      9: [0.95, 1],
    };
    for (const row of table) {
      expectClose(row.lower, row.bin / 10);
      expectClose(row.upper, (row.bin + 1) / 10);
      const want = expected[row.bin];
      if (want === undefined) {
        expect(row).toMatchObject({ count: 0, meanConfidence: null, hitRate: null });
      } else {
        expectClose(row.meanConfidence, want[0]);
        expectClose(row.hitRate, want[1]);
      }
    }
  });

  it('computeGroup on matched predictions gives the same calibration figures', () => {
    const g = computeGroup(referenceRecords(), 3);
    expect(g.n).toBe(15);
    expect(g.pending).toBe(3);
    expectClose(g.hitRate, 9 / 15);
    expectClose(g.hitRateCi?.[0], 0.357468301206246);
    expectClose(g.hitRateCi?.[1], 0.8017550385865841);
    expectClose(g.ece, 0.22066666666666665);
    expectClose(g.mce, 0.5);
    expectClose(g.brier, 0.22475333333333328);
    expectClose(g.logLoss, 0.6549093195322494);
    expectClose(g.spearman, 0.3313110699774545);
    expectClose(g.pointBiserial, 0.3379150071361493);
    expectClose(g.auroc, 0.6944444444444444);
    // predicted 101 vs actual 102 (9 hits) or 99 (6 misses)
    expectClose(g.mae, (9 * 1 + 6 * 2) / 15);
    expectClose(g.meanError, (9 * -1 + 6 * 2) / 15);
    expectClose(g.rmse, Math.sqrt((9 * 1 + 6 * 4) / 15));
    expectClose(g.mape, ((9 * 1) / 102 + (6 * 2) / 99) * (100 / 15));
    expect(g.meanPriceErrorPct).toBe(g.mape);
  });

  it('the group has exactly the contract fields', () => {
    const g = computeGroup(referenceRecords());
    expect(Object.keys(g).sort()).toEqual(
      [
        'n',
        'pending',
        'hitRate',
        'hitRateCi',
        'mae',
        'rmse',
        'mape',
        'meanError',
        'meanPriceErrorPct',
        'ece',
        'mce',
        'brier',
        'logLoss',
        'pointBiserial',
        'spearman',
        'auroc',
        'reliability',
      ].sort(),
    );
    for (const row of g.reliability) {
      expect(Object.keys(row).sort()).toEqual([
        'bin',
        'count',
        'hitRate',
        'lower',
        'meanConfidence',
        'upper',
      ]);
    }
  });
});

describe('per-prediction definitions', () => {
  it('price_error_pct = |predicted − actual| / actual × 100', () => {
    expectClose(priceErrorPct(189.9, 188.4), 0.7961783439490446);
    expectClose(priceErrorPct(187.0, 189.1), 1.1105235325224718);
    expect(priceErrorPct(100, 100)).toBe(0);
    expect(priceErrorPct(100, 0)).toBeNull();
    expect(priceErrorPct(100, -5)).toBeNull();
    expect(priceErrorPct(Number.NaN, 5)).toBeNull();
  });

  it.each([
    ['up, went up', 100, 101, 102, true],
    ['up, went down', 100, 101, 99, false],
    ['down, went down', 100, 99, 98, true],
    ['down, went up', 100, 99, 101, false],
    ['flat, stayed flat (sign 0 == sign 0)', 100, 100, 100, true],
    ['flat, moved', 100, 100, 100.01, false],
    ['up, stayed flat', 100, 101, 100, false],
  ] as const)('direction hit: %s', (_label, base, predicted, actual, hit) => {
    expect(directionHit(base, predicted, actual)).toBe(hit);
  });
});

describe('calibration bins are right-closed like scikit-learn (float64 linspace edges)', () => {
  it.each([
    [0, 0],
    [0.1, 0],
    [0.10000000000000003, 1],
    [0.2, 1],
    [0.3, 2],
    [0.30000000000000004, 2],
    [0.5, 4],
    [0.6, 5],
    [0.6000000000000001, 5],
    [0.7, 6],
    [0.8, 7],
    [0.9, 8],
    [0.95, 9],
    [1, 9],
  ])('confidence %p → bin %p', (confidence, bin) => {
    expect(calibrationBin(confidence)).toBe(bin);
  });

  it('edge confidences 0, 0.1 and 1.0 land in the first and last bins of the table', () => {
    const table = reliabilityTable([0, 0.1, 1.0], [0, 1, 1]);
    expect(table.map((r) => r.count)).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expectClose(table[0]?.meanConfidence, 0.05);
    expectClose(table[0]?.hitRate, 0.5);
    expectClose(ece([0, 0.1, 1.0], [0, 1, 1]), (2 / 3) * 0.45);
    expectClose(mce([0, 0.1, 1.0], [0, 1, 1]), 0.45);
  });
});

describe('log loss clips like scikit-learn (ε = float64 machine epsilon)', () => {
  it('confident and wrong is large but finite', () => {
    expect(LOG_LOSS_EPSILON).toBe(2 ** -52);
    expectClose(logLoss([0], [1]), 36.04365338911715);
    expectClose(logLoss([1], [0]), 36.04365338911715);
    expectClose(logLoss([1, 0], [1, 0]), -Math.log(1 - 2 ** -52));
  });
});

describe('Wilson interval', () => {
  it('is null for no trials and pinned at 0/1 at the extremes', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    const none = wilsonInterval(0, 20);
    expect(none?.[0]).toBe(0);
    expectClose(none?.[1], 0.16112515805281938);
    const all = wilsonInterval(20, 20);
    expect(all?.[1]).toBe(1);
    expectClose(all?.[0], 1 - 0.16112515805281938);
  });

  it('reproduces 4/7 (reference_values.py)', () => {
    const ci = wilsonInterval(4, 7);
    expectClose(ci?.[0], 0.2504583645276572);
    expectClose(ci?.[1], 0.8417801447485302);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(AccuracyInputError);
    expect(() => wilsonInterval(-1, 2)).toThrow(AccuracyInputError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(AccuracyInputError);
    expect(() => wilsonInterval(1, 2, 0)).toThrow(AccuracyInputError);
  });
});

function expectNoNaN(value: unknown): void {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(/NaN|Infinity/);
  // JSON.stringify writes NaN/Infinity as null; compare with a walk to be sure none were there.
  const walk = (v: unknown): void => {
    if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
}

describe('edge cases give null, never NaN', () => {
  const record = (confidence: number, hit: boolean): MatchedPrediction => ({
    symbol: 'MSFT',
    model: 'xgb-v1',
    predictedAt: '2026-11-20T14:30:00.000Z',
    targetTime: '2026-11-20T15:30:00.000Z',
    basePrice: 400,
    predictedPrice: 404,
    confidence,
    actualPrice: hit ? 401 : 398,
    actualTime: '2026-11-20T15:31:00.000Z',
    session: MarketSession.AfterHours,
  });

  it('empty group', () => {
    const g = computeGroup([], 4);
    expect(g).toMatchObject({
      n: 0,
      pending: 4,
      hitRate: null,
      hitRateCi: null,
      mae: null,
      rmse: null,
      mape: null,
      meanError: null,
      meanPriceErrorPct: null,
      ece: null,
      mce: null,
      brier: null,
      logLoss: null,
      pointBiserial: null,
      spearman: null,
      auroc: null,
    });
    expect(g.reliability.map((r) => r.count)).toEqual(new Array(10).fill(0));
    expectNoNaN(g);
    for (const fn of [ece, mce, brier, logLoss, pointBiserial, spearman, auroc])
      expect(fn([], [])).toBeNull();
  });

  it('one prediction', () => {
    const g = computeGroup([record(0.7, true)]);
    expect(g.n).toBe(1);
    expect(g.hitRate).toBe(1);
    expect(g.hitRateCi?.[1]).toBe(1);
    expectClose(g.ece, 0.30000000000000004);
    expectClose(g.mce, 0.30000000000000004);
    expectClose(g.brier, 0.09);
    expectClose(g.logLoss, -Math.log(0.7));
    expect(g.pointBiserial).toBeNull();
    expect(g.spearman).toBeNull();
    expect(g.auroc).toBeNull();
    expectClose(g.mae, 3);
    expectClose(g.meanError, 3);
    expectClose(g.rmse, 3);
    expectClose(g.mape, (3 / 401) * 100);
    expectNoNaN(g);
  });

  it('all hits and all misses: no ranking figures, interval pinned to 1 and 0', () => {
    const hits = computeGroup([record(0.9, true), record(0.6, true), record(0.8, true)]);
    expect(hits.hitRate).toBe(1);
    expect(hits.hitRateCi?.[1]).toBe(1);
    expect([hits.auroc, hits.spearman, hits.pointBiserial]).toEqual([null, null, null]);
    expectClose(hits.brier, (0.01 + 0.16 + 0.04) / 3);
    expectNoNaN(hits);

    const misses = computeGroup([record(0.9, false), record(0.6, false)]);
    expect(misses.hitRate).toBe(0);
    expect(misses.hitRateCi?.[0]).toBe(0);
    expect([misses.auroc, misses.spearman, misses.pointBiserial]).toEqual([null, null, null]);
    expectClose(misses.logLoss, -(Math.log(0.1) + Math.log(0.4)) / 2);
    expectNoNaN(misses);
  });

  it('constant confidence: correlations null, AUROC 0.5 (all ties)', () => {
    // 0.1 three times: a centred variance in floating point is not exactly 0 here.
    const g = computeGroup([record(0.1, true), record(0.1, false), record(0.1, false)]);
    expect(g.pointBiserial).toBeNull();
    expect(g.spearman).toBeNull();
    expect(g.auroc).toBe(0.5);
    expectClose(g.ece, Math.abs(0.1 - 1 / 3));
    expectNoNaN(g);
  });

  it('a non-positive actual price has no percentage error and is left out of MAPE only', () => {
    const zero = { ...record(0.5, true), basePrice: 1, predictedPrice: 0.5, actualPrice: 0 };
    const g = computeGroup([zero, record(0.5, true)]);
    expect(g.n).toBe(2);
    expectClose(g.mape, (3 / 401) * 100);
    expectClose(g.mae, (0.5 + 3) / 2);
  });

  it('rejects unscorable input instead of producing NaN', () => {
    expect(() => computeGroup([record(1.2, true)])).toThrow(AccuracyInputError);
    expect(() => computeGroup([record(Number.NaN, true)])).toThrow(/confidence NaN/);
    expect(() => computeGroup([{ ...record(0.5, true), actualPrice: Number.POSITIVE_INFINITY }])).toThrow(
      AccuracyInputError,
    );
    expect(() => computeGroup([], -1)).toThrow(AccuracyInputError);
    expect(() => ece([0.5, 0.6], [1])).toThrow(/differ in length/);
    expect(() => ece([0.5], [2])).toThrow(AccuracyInputError);
  });
});
