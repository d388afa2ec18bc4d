/** Seeded synthetic matched predictions for the metrics-core benchmark (same data in every run). */
import { MarketSession, type MatchedPrediction } from '../../lambdas/shared/accuracy';

/** A small seeded generator (the workload must be the same in every run). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SYMBOLS = Array.from({ length: 50 }, (_, i) => `SYM${i}`);
export const MODELS = ['lstm-v3', 'xgb-v2', 'prophet-v1', 'naive-v1'];
const SESSIONS = [
  MarketSession.PreMarket,
  MarketSession.Regular,
  MarketSession.AfterHours,
  MarketSession.Closed,
];

/** Predictions on a one-minute grid (timestamps repeat across symbols and models, as stored items do). */
const GRID_MINUTES = 10_000;

export function matchedPredictions(n: number, seed = 42): MatchedPrediction[] {
  const random = lcg(seed);
  const start = Date.parse('2026-11-02T14:30:00.000Z');
  const grid = Array.from({ length: GRID_MINUTES + 30 }, (_, m) =>
    new Date(start + m * 60_000).toISOString(),
  );
  const out: MatchedPrediction[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const base = 50 + random() * 450;
    const minute = i % GRID_MINUTES;
    const target = grid[minute + 30] as string;
    out[i] = {
      symbol: SYMBOLS[i % SYMBOLS.length] as string,
      model: MODELS[(i >> 3) % MODELS.length] as string,
      predictedAt: grid[minute] as string,
      targetTime: target,
      basePrice: base,
      predictedPrice: base * (1 + (random() - 0.5) * 0.04),
      confidence: Math.round(random() * 1000) / 1000,
      actualPrice: base * (1 + (random() - 0.5) * 0.04),
      actualTime: target,
      session: SESSIONS[i % 7 === 0 ? (i >> 4) % 4 : 1] as MarketSession,
    };
  }
  return out;
}
