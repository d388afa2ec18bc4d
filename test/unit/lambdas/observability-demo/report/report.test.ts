import { headline } from '../../../../../lambdas/dual-accuracy-tracker/headline';
import { validationWindow } from '../../../../../lambdas/dual-accuracy-tracker/service';
import { formatReport } from '../../../../../lambdas/observability-demo/report';
import type { DemoResult, TradingReport } from '../../../../../lambdas/observability-demo/story';
import { type MatchedPrediction, summarize } from '../../../../../lambdas/shared/accuracy';

const window = validationWindow(new Date('2026-12-03T21:00:00.000Z'), 7);

/** n predictions of which `hits` got the direction right (base 100, predicted 101, actual 101 or 99). */
function predictions(n: number, hits: number): MatchedPrediction[] {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.parse('2026-12-01T15:00:00.000Z') + i * 1000).toISOString();
    return {
      symbol: 'AAPL',
      model: 'lstm-v3',
      predictedAt: at,
      targetTime: at,
      basePrice: 100,
      predictedPrice: 101,
      confidence: 0.65,
      actualPrice: i < hits ? 101 : 99,
      actualTime: at,
      session: 'regular',
    };
  });
}

const base: Omit<DemoResult, 'steps'> = {
  ok: true,
  demo_type: 'full_demo',
  namespace: 'demo',
  seed: 42,
  clock: { endDate: '2026-12-03', now: '2026-12-04T01:00:00.000Z' },
};

describe('formatReport', () => {
  it('rounds 2255/3456 once: the headline and the "all" row both say 65.2 %', () => {
    const summary = summarize(predictions(3456, 2255), [], { window });
    expect(summary.overall.hitRate).toBe(2255 / 3456);
    const group = {
      n: summary.overall.n,
      pending: 0,
      hitRate: summary.overall.hitRate,
      hitRateCi: summary.overall.hitRateCi,
      meanPriceErrorPct: summary.overall.meanPriceErrorPct,
      ece: summary.overall.ece,
      brier: summary.overall.brier,
      auroc: summary.overall.auroc,
    };
    const report = formatReport({
      ...base,
      steps: [],
      accuracy: {
        window: { from: window.from, to: window.to, lookbackDays: 7 },
        headline: headline(summary),
        overall: { ...group, mape: null, mce: null, logLoss: null, spearman: null, pointBiserial: null },
        bySymbol: { AAPL: group },
        byModel: {},
        reliability: [],
        alerts: [],
        daily: [],
      },
    });
    expect(report).toContain('hit rate 65.2 %');
    const all = report.split('\n').find((line) => line.trimStart().startsWith('all '));
    expect(all).toContain(' 65.2 % ');
    expect(report).not.toContain('65.3 %');
  });

  it('says when the ranking shown was cut', () => {
    const entry = (rank: number) => ({
      rank,
      symbol: `S${rank}`,
      score: 60 - rank,
      isOpportunity: false,
      breakdown: [],
    });
    const trading: TradingReport = {
      asOf: '2026-12-03T20:45:00.000Z',
      threshold: 70,
      scored: 6,
      opportunitiesFound: 0,
      top: [1, 2, 3, 4, 5].map(entry),
      rankings: [],
      runs: 7,
      runsWithOpportunity: 0,
    };
    expect(formatReport({ ...base, steps: [], trading })).toContain(
      '6 symbols scored, 0 opportunities (score ≥ 70); top 5 of 6 shown',
    );
    expect(formatReport({ ...base, steps: [], trading: { ...trading, scored: 5 } })).toContain('all 5 shown');
  });
});
