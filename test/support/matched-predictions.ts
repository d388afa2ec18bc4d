/** Deterministic matched predictions for the tracker's unit tests (independent of the code under test). */
import type { MatchedPrediction } from '../../lambdas/shared/accuracy';

export const TEST_SYMBOLS = ['AAPL', 'MSFT', 'IBM', 'AMZN', 'GOOG', 'TSLA', 'NVDA'] as const;
export const TEST_MODELS = ['lstm-v3', 'xgb-v1', 'prophet-v2'] as const;

/** `n` predictions cycling through the symbols and `models`: xgb-v1 hits 1 in 4, every other model 4 in 5. */
export function matchedSet(n: number, models: readonly string[] = TEST_MODELS): MatchedPrediction[] {
  return Array.from({ length: n }, (_, i) => {
    const model = models[i % models.length] as string;
    const hit = model === 'xgb-v1' ? i % 4 === 0 : i % 5 !== 0;
    return {
      symbol: TEST_SYMBOLS[i % TEST_SYMBOLS.length] as string,
      model,
      predictedAt: '2026-11-24T14:00:00.000Z',
      targetTime: '2026-11-24T15:00:00.000Z',
      basePrice: 100,
      predictedPrice: 101 + (i % 3),
      confidence: ((i * 37) % 100) / 100,
      actualPrice: hit ? 100.5 + (i % 7) / 10 : 99.5,
      actualTime: '2026-11-24T15:01:00.000Z',
      session: 'regular',
    };
  });
}
