import {
  buildWorkload,
  matchActualPrice,
  type Prediction,
  type PricePoint,
  predict,
  replayPrices,
  WorkloadOptionsError,
} from '../../../../../lambdas/observability-demo/replay';
import { MarketSession, sessionAt } from '../../../../../lambdas/shared/market';
import { predictionSchema } from '../../../../../lambdas/shared/schemas';
import * as z from '../../../../../lambdas/shared/zod';

// 60 trading days of all six symbols: 23 040 prices, ~43 000 predictions; enough for ±3-point checks.
const prices = replayPrices({ endDate: '2026-11-24', tradingDays: 60, seed: 3 });

/** The tracker's rule, written independently: first price at or after targetTime within 60 minutes. */
function actualPrices(points: readonly PricePoint[]): (prediction: Prediction) => number | null {
  const bySymbol = new Map<string, { ms: number; price: number }[]>();
  for (const point of points) {
    const list = bySymbol.get(point.symbol) ?? [];
    list.push({ ms: Date.parse(point.timestamp), price: point.price });
    bySymbol.set(point.symbol, list);
  }
  for (const list of bySymbol.values()) list.sort((a, b) => a.ms - b.ms);
  return (prediction) => {
    const target = Date.parse(prediction.targetTime);
    const list = bySymbol.get(prediction.symbol) ?? [];
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((list[middle]?.ms ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    const match = list[low];
    return match && match.ms - target <= 60 * 60_000 ? match.price : null;
  };
}
const actualOf = actualPrices(prices);

interface Score {
  n: number;
  hitRate: number;
  meanConfidence: number;
}

function score(predictions: readonly Prediction[]): Score {
  let hits = 0;
  let confidence = 0;
  let n = 0;
  for (const prediction of predictions) {
    const actual = actualOf(prediction);
    if (actual === null) continue;
    n++;
    confidence += prediction.confidence;
    if (
      Math.sign(prediction.predictedPrice - prediction.basePrice) === Math.sign(actual - prediction.basePrice)
    ) {
      hits++;
    }
  }
  return { n, hitRate: hits / n, meanConfidence: confidence / n };
}

const ofModel = (predictions: readonly Prediction[], model: string) =>
  predictions.filter((prediction) => prediction.model === model);

const baseline = predict({ prices, seed: 9 });

describe('predict', () => {
  it('predicts at every resolvable point, 60 minutes ahead, from the price at predictedAt', () => {
    // 64 points a day; the last four after-hours points (19:00–19:45) have no price within 60 minutes.
    expect(baseline).toHaveLength(2 * 6 * 60 * 60);
    const priceAt = new Map(prices.map((point) => [`${point.symbol}|${point.timestamp}`, point.price]));
    for (const prediction of baseline.slice(0, 2000)) {
      expect(Date.parse(prediction.targetTime) - Date.parse(prediction.predictedAt)).toBe(60 * 60_000);
      expect(prediction.basePrice).toBe(priceAt.get(`${prediction.symbol}|${prediction.predictedAt}`));
    }
    const sample = baseline.filter((_, index) => index % 20 === 0);
    expect(z.array(predictionSchema).parse(sample)).toEqual(sample);
  });

  it('hits the default skill of each model within 3 points', () => {
    const lstm = score(ofModel(baseline, 'lstm-v3'));
    const xgb = score(ofModel(baseline, 'xgb-v2'));
    expect(lstm.n).toBe(21_600);
    expect(Math.abs(lstm.hitRate - 0.68)).toBeLessThan(0.03);
    expect(Math.abs(xgb.hitRate - 0.6)).toBeLessThan(0.03);
  });

  it.each([0.55, 0.8, 0.9])('hits a requested skill of %d within 3 points', (skill) => {
    const result = score(predict({ prices, models: ['m'], skill, seed: 4 }));
    expect(Math.abs(result.hitRate - skill)).toBeLessThan(0.03);
  });

  it('takes per-model skills', () => {
    const predictions = predict({ prices, skill: { 'lstm-v3': 0.75 }, seed: 5 });
    expect(Math.abs(score(ofModel(predictions, 'lstm-v3')).hitRate - 0.75)).toBeLessThan(0.03);
    expect(Math.abs(score(ofModel(predictions, 'xgb-v2')).hitRate - 0.6)).toBeLessThan(0.03);
  });

  it('is calibrated without a bias: mean confidence matches the hit rate, and in both confidence halves', () => {
    for (const model of ['lstm-v3', 'xgb-v2']) {
      const predictions = ofModel(baseline, model);
      const overall = score(predictions);
      expect(Math.abs(overall.meanConfidence - overall.hitRate)).toBeLessThan(0.05);
      const sorted = [...predictions].sort((a, b) => a.confidence - b.confidence);
      const low = score(sorted.slice(0, sorted.length / 2));
      const high = score(sorted.slice(sorted.length / 2));
      expect(high.hitRate - low.hitRate).toBeGreaterThan(0.05);
      expect(Math.abs(low.meanConfidence - low.hitRate)).toBeLessThan(0.05);
      expect(Math.abs(high.meanConfidence - high.hitRate)).toBeLessThan(0.05);
    }
  });

  it('inflates confidence by confidenceBias without changing the hit rate', () => {
    const biased = predict({ prices, seed: 9, confidenceBias: 0.15 });
    const lstm = score(ofModel(biased, 'lstm-v3'));
    expect(lstm.hitRate).toBe(score(ofModel(baseline, 'lstm-v3')).hitRate);
    expect(lstm.meanConfidence - lstm.hitRate).toBeGreaterThan(0.12);
    expect(lstm.meanConfidence - lstm.hitRate).toBeLessThan(0.18);
    expect(Math.max(...biased.map((prediction) => prediction.confidence))).toBeLessThanOrEqual(0.99);
  });

  it('degrades the hit rate to degrade.skill after degrade.after, for the chosen models only', () => {
    const after = '2026-10-15T00:00:00.000Z';
    const predictions = predict({ prices, seed: 9, degrade: { after, models: ['lstm-v3'] } });
    const lstm = ofModel(predictions, 'lstm-v3');
    const before = score(lstm.filter((prediction) => prediction.predictedAt < after));
    const later = score(lstm.filter((prediction) => prediction.predictedAt >= after));
    expect(later.n).toBeGreaterThan(5000);
    expect(Math.abs(before.hitRate - 0.68)).toBeLessThan(0.03);
    expect(Math.abs(later.hitRate - 0.5)).toBeLessThan(0.03);
    // Confidence does not know: the degraded model becomes over-confident.
    expect(later.meanConfidence - later.hitRate).toBeGreaterThan(0.12);
    const xgbLater = score(
      ofModel(predictions, 'xgb-v2').filter((prediction) => prediction.predictedAt >= after),
    );
    expect(Math.abs(xgbLater.hitRate - 0.6)).toBeLessThan(0.03);
  });

  it('shifts skill per symbol and per session while staying calibrated', () => {
    const month = prices.filter((point) => point.timestamp >= '2026-10-26');
    const predictions = predict({
      prices: month,
      models: ['m'],
      skill: 0.65,
      seed: 6,
      symbolSkillOffsets: { GOOG: 0.15 },
      sessionSkillOffsets: { pre_market: -0.1 },
    });
    const goog = predictions.filter((prediction) => prediction.symbol === 'GOOG');
    const others = predictions.filter((prediction) => prediction.symbol !== 'GOOG');
    const isPreMarket = (prediction: Prediction) =>
      sessionAt(prediction.predictedAt) === MarketSession.PreMarket;
    const googRegular = score(goog.filter((prediction) => !isPreMarket(prediction)));
    const othersRegular = score(others.filter((prediction) => !isPreMarket(prediction)));
    const othersPre = score(others.filter(isPreMarket));
    expect(Math.abs(googRegular.hitRate - 0.8)).toBeLessThan(0.05);
    expect(Math.abs(othersRegular.hitRate - 0.65)).toBeLessThan(0.03);
    expect(Math.abs(othersPre.hitRate - 0.55)).toBeLessThan(0.03);
    expect(Math.abs(othersPre.meanConfidence - othersPre.hitRate)).toBeLessThan(0.05);
    expect(() => predict({ prices: month, sessionSkillOffsets: { premarket: 0.1 } as object })).toThrow(
      /sessionSkillOffsets.premarket: not a session/,
    );
    expect(() => predict({ prices: month, symbolSkillOffsets: { GOOG: Number.NaN } })).toThrow(
      /symbolSkillOffsets.GOOG/,
    );
  });

  it('is deterministic and independent of the other symbols in the run', () => {
    const small = replayPrices({ endDate: '2026-11-24', tradingDays: 5, seed: 3 });
    const all = predict({ prices: small, seed: 2 });
    expect(predict({ prices: small, seed: 2 })).toEqual(all);
    expect(predict({ prices: small, seed: 3 })).not.toEqual(all);
    const aapl = small.filter((point) => point.symbol === 'AAPL');
    expect(predict({ prices: aapl, seed: 2 })).toEqual(
      all.filter((prediction) => prediction.symbol === 'AAPL'),
    );
  });

  it('thins with every, and keeps unresolved predictions on request', () => {
    const small = replayPrices({ symbols: ['SPX'], endDate: '2026-11-24', tradingDays: 2, seed: 3 });
    expect(small).toHaveLength(128);
    expect(predict({ prices: small, models: ['m'], every: 4 })).toHaveLength(30);
    const withUnresolved = predict({ prices: small, models: ['m'], includeUnresolved: true });
    expect(withUnresolved).toHaveLength(128);
    expect(
      withUnresolved.filter((prediction) => matchActualPrice(small, prediction.targetTime) === null),
    ).toHaveLength(8);
  });

  it('predicts "no move" correctly on a flat target and never a zero move when wrong', () => {
    const flat: PricePoint[] = Array.from({ length: 400 }, (_, index) => ({
      symbol: 'FLAT',
      timestamp: new Date(Date.UTC(2026, 10, 2, 9) + index * 15 * 60_000).toISOString(),
      price: 100,
    }));
    const predictions = predict({ prices: flat, models: ['m'], skill: 0.7, seed: 1 });
    const correct = predictions.filter((prediction) => prediction.predictedPrice === 100).length;
    expect(Math.abs(correct / predictions.length - 0.7)).toBeLessThan(0.08);
  });

  it.each([
    [{ skill: 1.2 }, /skill of lstm-v3/],
    [{ horizonMinutes: 0 }, /horizonMinutes/],
    [{ every: 0 }, /every/],
    [{ degrade: { after: 'not a time' } }, /degrade.after/],
    [{ matchToleranceMinutes: -1 }, /matchToleranceMinutes/],
  ])('rejects %j', (options, message) => {
    expect(() => predict({ prices: prices.slice(0, 10), ...(options as object) })).toThrow(
      WorkloadOptionsError,
    );
    expect(() => predict({ prices: prices.slice(0, 10), ...(options as object) })).toThrow(message);
  });
});

describe('buildWorkload', () => {
  it('is demo-sized by default: 6 symbols, 10 days of 15-minute points, two models', () => {
    const workload = buildWorkload({ endDate: '2026-11-24' });
    expect(workload.prices).toHaveLength(3840);
    expect(workload.predictions).toHaveLength(7200);
    expect(workload.days).toHaveLength(10);
    expect(workload.models).toEqual(['lstm-v3', 'xgb-v2']);
    expect(workload.sources.map((source) => [source.symbol, source.lastSourceDate])).toEqual([
      ['AAPL', '2018-05-11'],
      ['SPX', '2020-04-17'],
      ['MSFT', '2010-03-01'],
      ['AMZN', '2010-03-01'],
      ['IBM', '2010-03-01'],
      ['GOOG', '2010-03-01'],
    ]);
    expect(buildWorkload({ endDate: '2026-11-24' })).toEqual(workload);
  });
});
