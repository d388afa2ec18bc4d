import {
  DEFAULT_SCORE_CONFIG,
  DEFAULT_SCORE_WEIGHTS,
  InvalidScoreConfigError,
  resolveScoreConfig,
  type ScoreWeights,
  scoreOpportunity,
  validateScoreWeights,
} from '../../../../../lambdas/shared/trading';

const W = DEFAULT_SCORE_WEIGHTS;

describe('validateScoreWeights (strict)', () => {
  it('accepts the defaults and sums within 1e-9 of 1', () => {
    expect(validateScoreWeights(W)).toEqual(W);
    expect(validateScoreWeights({ ...W, confidence: 0.15 + 5e-10 })).toBeDefined();
  });

  it.each([
    ['NaN', { ...W, calibration: Number.NaN }, /weight calibration must be a finite number, got NaN/],
    ['Infinity', { ...W, momentum: Number.POSITIVE_INFINITY }, /weight momentum must be a finite number/],
    ['negative', { ...W, momentum: -0.05, confidence: 0.35 }, /weight momentum must be ≥ 0, got -0.05/],
    ['sum 0.9', { ...W, confidence: 0.05 }, /must sum to 1 \(±1e-9\), got 0.9/],
    ['sum 1 + 1e-8', { ...W, confidence: 0.15 + 1e-8 }, /must sum to 1/],
    [
      'all zero',
      { ...W, directional_accuracy: 0, calibration: 0, predicted_move: 0, momentum: 0, confidence: 0 },
      /sum to 1/,
    ],
    [
      'missing factor',
      { directional_accuracy: 0.5, calibration: 0.5 },
      /weight predicted_move must be a finite number, got undefined/,
    ],
    ['unknown factor', { ...W, sentiment: 0 }, /unknown weight\(s\) sentiment/],
    ['string weight', { ...W, confidence: '0.15' }, /finite number/],
    ['not an object', [0.2, 0.2, 0.2, 0.2, 0.2], /must be an object/],
  ])('rejects %s', (_name, weights, message) => {
    expect(() => validateScoreWeights(weights)).toThrow(InvalidScoreConfigError);
    expect(() => validateScoreWeights(weights)).toThrow(message);
  });

  it('scoreOpportunity refuses bad weights instead of guessing', () => {
    const inputs = {
      symbol: 'A',
      validatedPredictions: 20,
      correctDirections: 12,
      ece: 0.1,
      meanConfidence: 0.6,
      predictedMovePct: 1,
      volatilityPct: 1,
      momentumPct: 1,
      priceCount: 30,
    };
    const weights = { ...W, momentum: Number.NaN } as ScoreWeights;
    expect(() => scoreOpportunity(inputs, { weights })).toThrow(InvalidScoreConfigError);
  });
});

describe('resolveScoreConfig', () => {
  it('overlays defaults', () => {
    expect(resolveScoreConfig({ opportunityThreshold: 80 })).toEqual({
      ...DEFAULT_SCORE_CONFIG,
      opportunityThreshold: 80,
    });
  });

  it.each([
    [{ opportunityThreshold: 101 }, /opportunityThreshold must be in \[0, 100\]/],
    [{ opportunityThreshold: Number.NaN }, /opportunityThreshold/],
    [{ minValidatedPredictions: 0 }, /minValidatedPredictions must be an integer ≥ 1/],
    [{ minPrices: 20 }, /minPrices must be an integer ≥ 3 and > momentumLookback \(20\), got 20/],
    [{ minPrices: 2, momentumLookback: 1 }, /minPrices/],
    [{ wilsonZ: 0 }, /wilsonZ must be > 0/],
    [{ moveVolatilityMultiple: -1 }, /moveVolatilityMultiple/],
    [{ minVolatilityPct: 0 }, /minVolatilityPct/],
    [{ momentumCapPct: Number.POSITIVE_INFINITY }, /momentumCapPct/],
  ])('rejects %o', (partial, message) => {
    expect(() => resolveScoreConfig(partial)).toThrow(InvalidScoreConfigError);
    expect(() => resolveScoreConfig(partial)).toThrow(message);
  });
});
