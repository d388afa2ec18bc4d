/**
 * summarize(): grouping, pending counts, price-metric reference values (reference_values.py,
 * PRICE_ROWS) and the evidence-based accuracy alerts.
 */
import {
  AccuracyOptionsError,
  type AccuracyWindow,
  AlertScope,
  MarketSession,
  type MatchedPrediction,
  type PendingPrediction,
  summarize,
} from '../../../../../lambdas/shared/accuracy';

const TOL = 1e-12;
function expectClose(actual: number | null | undefined, expected: number): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(TOL);
}

const window: AccuracyWindow = {
  start: '2026-11-13T00:00:00.000Z',
  end: '2026-11-20T00:00:00.000Z',
  lookbackDays: 7,
};

type Row = [string, string, MarketSession, number, number, number, number];
/** Same rows as PRICE_ROWS in reference_values.py: symbol, model, session, base, predicted, confidence, actual. */
const PRICE_ROWS: Row[] = [
  ['AAPL', 'lstm-v3', MarketSession.Regular, 187.2, 189.9, 0.74, 188.4],
  ['AAPL', 'lstm-v3', MarketSession.Regular, 188.4, 187.0, 0.61, 189.1],
  ['AAPL', 'xgb-v1', MarketSession.PreMarket, 189.1, 189.1, 0.55, 189.1],
  ['AAPL', 'xgb-v1', MarketSession.AfterHours, 189.1, 189.1, 0.52, 190.0],
  ['MSFT', 'lstm-v3', MarketSession.Regular, 410.0, 405.5, 0.83, 402.25],
  ['MSFT', 'xgb-v1', MarketSession.Regular, 402.25, 404.0, 0.9, 401.0],
  ['MSFT', 'xgb-v1', MarketSession.AfterHours, 401.0, 403.75, 0.66, 403.75],
];

function toMatched(
  [symbol, model, session, basePrice, predictedPrice, confidence, actualPrice]: Row,
  i: number,
) {
  return {
    symbol,
    model,
    session,
    basePrice,
    predictedPrice,
    confidence,
    actualPrice,
    predictedAt: `2026-11-19T14:${String(i).padStart(2, '0')}:00.000Z`,
    targetTime: `2026-11-19T15:${String(i).padStart(2, '0')}:00.000Z`,
    actualTime: `2026-11-19T15:${String(i).padStart(2, '0')}:05.000Z`,
  } satisfies MatchedPrediction;
}

const PENDING: PendingPrediction[] = [
  { symbol: 'AAPL', model: 'lstm-v3', targetTime: '2026-11-19T23:00:00.000Z', session: MarketSession.Closed },
  { symbol: 'NVDA', model: 'tft-v1', targetTime: '2026-11-19T23:30:00.000Z', session: MarketSession.Closed },
  {
    symbol: 'NVDA',
    model: 'lstm-v3',
    targetTime: '2026-11-19T19:00:00.000Z',
    session: MarketSession.AfterHours,
  },
];

describe('summarize: price metrics pinned to reference_values.py', () => {
  const summary = summarize(PRICE_ROWS.map(toMatched), PENDING, { window });

  it('echoes the window and has the contract shape', () => {
    expect(summary.window).toEqual(window);
    expect(Object.keys(summary).sort()).toEqual([
      'alerts',
      'byModel',
      'bySession',
      'bySymbol',
      'overall',
      'window',
    ]);
    expect(summary.alerts).toEqual([]);
  });

  it('overall', () => {
    const g = summary.overall;
    expect(g.n).toBe(7);
    expect(g.pending).toBe(3);
    expectClose(g.hitRate, 0.5714285714285714);
    expectClose(g.hitRateCi?.[0], 0.2504583645276572);
    expectClose(g.hitRateCi?.[1], 0.8417801447485302);
    expectClose(g.mae, 1.5357142857142858);
    expectClose(g.rmse, 1.9651426702114307);
    expectClose(g.meanError, 0.6785714285714286);
    expectClose(g.mape, 0.5623530020739207);
    expectClose(g.meanPriceErrorPct, 0.5623530020739207);
    expectClose(g.ece, 0.19);
    expectClose(g.mce, 0.365);
    expectClose(g.brier, 0.2667285714285714);
    expectClose(g.logLoss, 0.7827071319464846);
    expectClose(g.auroc, 0.5833333333333334);
    expectClose(g.spearman, 0.14433756729740643);
    expectClose(g.pointBiserial, 0.06873926032954474);
  });

  it('per symbol', () => {
    const aapl = summary.bySymbol.AAPL;
    expect(aapl?.n).toBe(4);
    expect(aapl?.pending).toBe(1);
    expectClose(aapl?.hitRate, 0.5);
    expectClose(aapl?.mae, 1.125);
    expectClose(aapl?.rmse, 1.3665650368716435);
    expectClose(aapl?.meanError, -0.375);
    expectClose(aapl?.mape, 0.5950965217494588);
    const msft = summary.bySymbol.MSFT;
    expect(msft?.n).toBe(3);
    expect(msft?.pending).toBe(0);
    expectClose(msft?.hitRate, 2 / 3);
    expectClose(msft?.mae, 2.0833333333333335);
    expectClose(msft?.rmse, 2.553592241007427);
    expectClose(msft?.meanError, 2.0833333333333335);
    expectClose(msft?.mape, 0.51869497583987);
  });

  it('a symbol with only pending predictions is listed with null figures', () => {
    expect(Object.keys(summary.bySymbol)).toEqual(['AAPL', 'MSFT', 'NVDA']);
    expect(summary.bySymbol.NVDA).toMatchObject({ n: 0, pending: 2, hitRate: null, mae: null, ece: null });
  });

  it('per model', () => {
    expect(Object.keys(summary.byModel)).toEqual(['lstm-v3', 'tft-v1', 'xgb-v1']);
    const xgb = summary.byModel['xgb-v1'];
    expect(xgb?.n).toBe(4);
    expectClose(xgb?.hitRate, 0.5);
    expectClose(xgb?.mae, 0.9750000000000014);
    expectClose(xgb?.rmse, 1.5660459763365833);
    expectClose(xgb?.meanError, 0.5249999999999986);
    expectClose(xgb?.mape, 0.30545347158419817);
    expect(summary.byModel['lstm-v3']).toMatchObject({ n: 3, pending: 2 });
  });

  it('per market session', () => {
    expect(Object.keys(summary.bySession)).toEqual(['after_hours', 'closed', 'pre_market', 'regular']);
    expect(summary.bySession.regular).toMatchObject({ n: 4, pending: 0 });
    expect(summary.bySession.pre_market).toMatchObject({ n: 1, pending: 0, hitRate: 1 });
    expect(summary.bySession.after_hours).toMatchObject({ n: 2, pending: 1 });
    expect(summary.bySession.closed).toMatchObject({ n: 0, pending: 2, hitRate: null });
  });
});

describe('summarize: accuracy alerts only on evidence', () => {
  /** `n` predictions of one symbol and model, the first `hits` of which get the direction right. */
  function batch(symbol: string, model: string, n: number, hits: number): MatchedPrediction[] {
    return Array.from({ length: n }, (_, i) =>
      toMatched([symbol, model, MarketSession.Regular, 100, 101, 0.7, i < hits ? 101.5 : 99.5], i),
    );
  }
  // BAD: 10/40 → Wilson upper ≈ 0.40 < 0.6, n ≥ 30: alert.
  // GOOD: 36/40: no alert. BORDER: 15/30 = 50 % but Wilson upper ≈ 0.67 ≥ 0.6: no alert.
  // TINY: 0/5, upper ≈ 0.43 < 0.6 but n < 30: no alert. Overall 61/115 ≈ 53 %, upper ≈ 0.62: no alert.
  const matched = [
    ...batch('BAD', 'm-bad', 40, 10),
    ...batch('GOOD', 'm-good', 40, 36),
    ...batch('BORDER', 'm-good', 30, 15),
    ...batch('TINY', 'm-tiny', 5, 0),
  ];

  it('fires for a large, significantly bad symbol and its model, and for nothing else', () => {
    const { alerts, overall } = summarize(matched, [], { window, minSampleForAlert: 30 });
    expect(overall.hitRateCi?.[1]).toBeGreaterThan(0.6);
    expect(alerts.map((a) => [a.scope, a.key])).toEqual([
      [AlertScope.Symbol, 'BAD'],
      [AlertScope.Model, 'm-bad'],
    ]);
    const [bad] = alerts;
    expect(bad).toMatchObject({ n: 40, threshold: 0.6, hitRate: 0.25 });
    expect(bad?.hitRateCi[1]).toBeLessThan(0.6);
    expect(bad?.message).toBe(
      'Directional accuracy of symbol BAD is 25.0 % (95 % Wilson interval 14.2 %–40.2 %, n = 40), ' +
        'significantly below the 60.0 % threshold.',
    );
  });

  it('a lower minimum sample lets the small sample alert; overall alerts when it is itself bad', () => {
    const small = summarize(matched, [], { window, minSampleForAlert: 5 });
    expect(small.alerts.map((a) => a.key)).toEqual(['BAD', 'TINY', 'm-bad', 'm-tiny']);

    const allBad = summarize(batch('BAD', 'm-bad', 60, 12), [], { window });
    expect(allBad.alerts.map((a) => a.scope)).toEqual([
      AlertScope.Overall,
      AlertScope.Symbol,
      AlertScope.Model,
    ]);
    expect(allBad.alerts[0]?.message).toMatch(/^Overall directional accuracy is 20\.0 %/);
  });

  it('the threshold is configurable', () => {
    const strict = summarize(matched, [], { window, alertThreshold: 0.95, minSampleForAlert: 30 });
    // GOOD (36/40) stays out: its Wilson upper bound 0.960 is not below 0.95.
    expect(strict.alerts.map((a) => a.key)).toEqual(['overall', 'BAD', 'BORDER', 'm-bad', 'm-good']);
    expect(strict.alerts.every((a) => a.threshold === 0.95)).toBe(true);
  });

  it('rejects nonsensical options', () => {
    expect(() => summarize([], [], { window, alertThreshold: 1.5 })).toThrow(AccuracyOptionsError);
    expect(() => summarize([], [], { window, alertThreshold: Number.NaN })).toThrow(AccuracyOptionsError);
    expect(() => summarize([], [], { window, minSampleForAlert: 0 })).toThrow(AccuracyOptionsError);
    expect(() => summarize([], [], { window, minSampleForAlert: 2.5 })).toThrow(AccuracyOptionsError);
  });

  it('an empty window summarises to nulls, no alerts', () => {
    const s = summarize([], [], { window });
    expect(s.overall).toMatchObject({ n: 0, pending: 0, hitRate: null, hitRateCi: null });
    expect([s.bySymbol, s.byModel, s.bySession, s.alerts]).toEqual([{}, {}, {}, []]);
  });
});
