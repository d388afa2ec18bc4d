import {
  DEFAULT_SCORE_CONFIG,
  DEFAULT_SCORE_WEIGHTS,
  InvalidScoreConfigError,
  loadScoreConfig,
  normaliseWeights,
  resolveScoreConfig,
  type ScoreWeights,
  scoreOpportunity,
  validateScoreWeights,
} from '../../../lambdas/shared/trading';

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

describe('loadScoreConfig (deployment config: repaired with warnings)', () => {
  it('no environment → defaults, no warnings', () => {
    const warnings: string[] = [];
    expect(loadScoreConfig({}, (m) => warnings.push(m))).toEqual(DEFAULT_SCORE_CONFIG);
    expect(warnings).toEqual([]);
  });

  it('reads weights, threshold and minimums', () => {
    const weights = {
      directional_accuracy: 0.4,
      calibration: 0.1,
      predicted_move: 0.2,
      momentum: 0.1,
      confidence: 0.2,
    };
    const cfg = loadScoreConfig({
      OPPORTUNITY_WEIGHTS: JSON.stringify(weights),
      OPPORTUNITY_THRESHOLD: '65',
      OPPORTUNITY_MIN_VALIDATED_PREDICTIONS: '20',
      OPPORTUNITY_MIN_PRICES: '30',
    });
    expect(cfg).toMatchObject({
      weights,
      opportunityThreshold: 65,
      minValidatedPredictions: 20,
      minPrices: 30,
    });
  });

  it('normalises weights that do not sum to 1, with a warning', () => {
    const warnings: string[] = [];
    const cfg = loadScoreConfig(
      {
        OPPORTUNITY_WEIGHTS: JSON.stringify({
          directional_accuracy: 30,
          calibration: 15,
          predicted_move: 25,
          momentum: 15,
          confidence: 15,
        }),
      },
      (m) => warnings.push(m),
    );
    for (const [factor, w] of Object.entries(W)) {
      expect(cfg.weights[factor as keyof ScoreWeights]).toBeCloseTo(w, 12);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^OPPORTUNITY_WEIGHTS: opportunity-score weights sum to 100, not 1: normalised/,
    );
  });

  it.each([
    ['not JSON', '{oops'],
    ['negative weight', JSON.stringify({ ...W, momentum: -1 })],
    ['missing factor', JSON.stringify({ directional_accuracy: 1 })],
    ['unknown factor', JSON.stringify({ ...W, sentiment: 0.1 })],
    [
      'all zero',
      JSON.stringify({
        ...W,
        directional_accuracy: 0,
        calibration: 0,
        predicted_move: 0,
        momentum: 0,
        confidence: 0,
      }),
    ],
  ])('falls back to default weights with a warning: %s', (_name, raw) => {
    const warnings: string[] = [];
    expect(loadScoreConfig({ OPPORTUNITY_WEIGHTS: raw }, (m) => warnings.push(m)).weights).toEqual(W);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/using default weights$/);
  });

  it('falls back to defaults for unusable numbers, with a warning each', () => {
    const warnings: string[] = [];
    const cfg = loadScoreConfig(
      {
        OPPORTUNITY_THRESHOLD: 'NaN',
        OPPORTUNITY_MIN_VALIDATED_PREDICTIONS: '2.5',
        OPPORTUNITY_MIN_PRICES: '5',
      },
      (m) => warnings.push(m),
    );
    expect(cfg).toEqual(DEFAULT_SCORE_CONFIG);
    expect(warnings).toEqual([
      'OPPORTUNITY_THRESHOLD="NaN" is not valid; using 70',
      'OPPORTUNITY_MIN_VALIDATED_PREDICTIONS="2.5" is not valid; using 10',
      'OPPORTUNITY_MIN_PRICES="5" is not valid; using 21',
    ]);
  });

  it('normaliseWeights leaves valid weights alone', () => {
    const warn = jest.fn();
    expect(normaliseWeights(W, warn)).toEqual(W);
    expect(warn).not.toHaveBeenCalled();
  });
});
