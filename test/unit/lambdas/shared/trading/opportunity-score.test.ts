import fc from 'fast-check';
import {
  DEFAULT_SCORE_CONFIG,
  InsufficientData,
  InvalidScoreInputError,
  OPPORTUNITY_FACTORS,
  type OpportunityFactor,
  type OpportunityInputs,
  type OpportunityResult,
  rankOpportunities,
  type ScoredOpportunity,
  type ScoreWeights,
  scoreOpportunity,
  sumContributions,
  summarizeRanking,
} from '../../../../../lambdas/shared/trading';

const FC = { seed: 42, numRuns: 300 } as const;

const AAPL: OpportunityInputs = {
  symbol: 'AAPL',
  validatedPredictions: 40,
  correctDirections: 28,
  ece: 0.08,
  meanConfidence: 0.72,
  predictedMovePct: 3,
  volatilityPct: 2,
  momentumPct: 4,
  priceCount: 60,
};

function scored(result: OpportunityResult): ScoredOpportunity {
  if (result.score === null) throw new Error(`expected a score, got: ${result.reason}`);
  return result;
}

function contributionOf(result: ScoredOpportunity, factor: OpportunityFactor): number {
  return result.breakdown.find((b) => b.factor === factor)?.contribution ?? Number.NaN;
}

describe('scoreOpportunity: worked examples', () => {
  it('AAPL: 28/40 hits, ECE 0.08, +3 % on 2 % volatility, +4 % momentum, confidence 0.72 → 70.22', () => {
    // accuracy   Wilson(28, 40) = 0.545697 × 0.30 × 100 = 16.371
    // calibration 1 − 0.08 = 0.92         × 0.15 × 100 = 13.80
    // move       (3 / 2) / k=2 = 0.75     × 0.25 × 100 = 18.75
    // momentum   0.5 + 4 / 20 = 0.70      × 0.15 × 100 = 10.50
    // confidence 0.72                     × 0.15 × 100 = 10.80
    // total 70.221 → 70.22
    const r = scored(scoreOpportunity(AAPL));
    expect(r.score).toBe(70.22);
    expect(r.isOpportunity).toBe(true);
    expect(r.threshold).toBe(70);
    expect(r.inputs).toBe(AAPL);
    expect(r.breakdown.map((b) => [b.factor, b.weight, b.contribution])).toEqual([
      ['directional_accuracy', 0.3, 16.37],
      ['calibration', 0.15, 13.8],
      ['predicted_move', 0.25, 18.75],
      ['momentum', 0.15, 10.5],
      ['confidence', 0.15, 10.8],
    ]);
    expect(r.breakdown.map((b) => b.raw)).toEqual([0.7, 0.08, 1.5, 4, 0.72]);
    expect(r.breakdown[0]?.normalised).toBeCloseTo(0.5456968935, 9);
    expect(r.breakdown.slice(1).map((b) => b.normalised)).toEqual([0.92, 0.75, 0.7, 0.72]);
  });

  it('a predicted fall with falling prices scores like a predicted rise with rising prices', () => {
    const short = scored(
      scoreOpportunity({ ...AAPL, symbol: 'SHRT', predictedMovePct: -3, momentumPct: -4 }),
    );
    expect(short.score).toBe(70.22);
    // momentum against the predicted direction counts against it: 0.5 − 4/20 = 0.3 → 4.5 points
    const against = scored(scoreOpportunity({ ...AAPL, momentumPct: -4 }));
    expect(contributionOf(against, 'momentum')).toBe(4.5);
    expect(against.score).toBe(64.22);
    expect(against.isOpportunity).toBe(false);
  });

  it('caps factors: huge moves, momentum and out-of-range ECE/confidence stay within [0, 1]', () => {
    const r = scored(
      scoreOpportunity({
        ...AAPL,
        correctDirections: 40,
        ece: -0.5,
        meanConfidence: 1.7,
        predictedMovePct: 90,
        momentumPct: 500,
      }),
    );
    expect(r.breakdown.map((b) => b.normalised)).toEqual([40 / (40 + 1.96 ** 2), 1, 1, 1, 1]);
    expect(r.score).toBe(97.37); // 100 − 30 × (1 − 0.912344…) = 97.370…
  });

  it('contributions are apportioned so they add up to the rounded score (naive rounding would give 41.85)', () => {
    const r = scored(
      scoreOpportunity({
        symbol: 'X',
        validatedPredictions: 30,
        correctDirections: 10,
        ece: 0.033,
        meanConfidence: 0.61,
        predictedMovePct: 1,
        volatilityPct: 3,
        momentumPct: 1,
        priceCount: 30,
      }),
    );
    // exact: 5.76909 + 14.505 + 4.16667 + 8.25 + 9.15 = 41.84076 → 41.84
    expect(r.score).toBe(41.84);
    expect(r.breakdown.map((b) => b.contribution)).toEqual([5.77, 14.5, 4.17, 8.25, 9.15]);
    expect(sumContributions(r.breakdown)).toBe(41.84);
  });

  it('volatility floor: a flat series does not divide by zero', () => {
    const r = scored(scoreOpportunity({ ...AAPL, volatilityPct: 0, predictedMovePct: 0.1 }));
    const move = r.breakdown.find((b) => b.factor === 'predicted_move');
    expect(move?.raw).toBeCloseTo(1, 12); // 0.1 % / 0.1 % floor
    expect(move?.normalised).toBeCloseTo(0.5, 12);
  });

  it('a score of exactly 70.00 is an opportunity; 69.99 is not (the threshold is inclusive)', () => {
    // As AAPL above with confidence 0.7053: 16.3709 + 13.80 + 18.75 + 10.50 + 0.7053 × 15 = 70.0004 → 70.00
    const at = scored(scoreOpportunity({ ...AAPL, meanConfidence: 0.7053 }));
    expect(at.score).toBe(70);
    expect(at.threshold).toBe(70);
    expect(at.isOpportunity).toBe(true);
    // confidence 0.7046: … + 10.569 = 69.9899 → 69.99
    const below = scored(scoreOpportunity({ ...AAPL, meanConfidence: 0.7046 }));
    expect(below.score).toBe(69.99);
    expect(below.isOpportunity).toBe(false);
    // The same boundary with every weight on one factor: confidence 0.7 is 100 × 0.7 = 70 exactly.
    const weights: ScoreWeights = {
      directional_accuracy: 0,
      calibration: 0,
      predicted_move: 0,
      momentum: 0,
      confidence: 1,
    };
    const exact = scored(scoreOpportunity({ ...AAPL, meanConfidence: 0.7 }, { weights }));
    expect(exact.score).toBe(70);
    expect(exact.isOpportunity).toBe(true);
    expect(summarizeRanking([exact, below]).opportunitiesFound).toBe(1);
  });

  it('custom weights and threshold come from configuration', () => {
    const weights: ScoreWeights = {
      directional_accuracy: 0,
      calibration: 0,
      predicted_move: 1,
      momentum: 0,
      confidence: 0,
    };
    const r = scored(scoreOpportunity(AAPL, { weights, opportunityThreshold: 80 }));
    expect(r.score).toBe(75);
    expect(r.isOpportunity).toBe(false);
    expect(r.threshold).toBe(80);
  });
});

describe('scoreOpportunity: too little data', () => {
  it('no score, with every reason, when predictions and prices are too few', () => {
    const r = scoreOpportunity({ ...AAPL, validatedPredictions: 3, correctDirections: 3, priceCount: 5 });
    expect(r).toEqual({
      symbol: 'AAPL',
      score: null,
      isOpportunity: false,
      threshold: 70,
      reason: '3 validated predictions (< 10); 5 prices (< 21)',
      codes: [InsufficientData.TooFewValidatedPredictions, InsufficientData.TooFewPrices],
      inputs: { ...AAPL, validatedPredictions: 3, correctDirections: 3, priceCount: 5 },
    });
  });

  it.each([
    ['predictedMovePct', InsufficientData.NoPredictedMove],
    ['ece', InsufficientData.NoCalibration],
    ['meanConfidence', InsufficientData.NoConfidence],
    ['volatilityPct', InsufficientData.NoVolatility],
    ['momentumPct', InsufficientData.NoMomentum],
  ] as const)('missing %s → %s', (field, code) => {
    for (const value of [null, Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = scoreOpportunity({ ...AAPL, [field]: value });
      expect(r.score).toBeNull();
      expect(r.score === null && r.codes).toEqual([code]);
    }
  });

  it('thresholds for "too little" are configuration', () => {
    expect(scoreOpportunity({ ...AAPL, validatedPredictions: 8, correctDirections: 6 }).score).toBeNull();
    expect(
      scoreOpportunity(
        { ...AAPL, validatedPredictions: 8, correctDirections: 6 },
        { minValidatedPredictions: 5 },
      ).score,
    ).not.toBeNull();
  });

  it('contradictory inputs are a caller bug, not missing data', () => {
    expect(() => scoreOpportunity({ ...AAPL, correctDirections: 41 })).toThrow(InvalidScoreInputError);
    expect(() => scoreOpportunity({ ...AAPL, validatedPredictions: -1 })).toThrow(InvalidScoreInputError);
    expect(() => scoreOpportunity({ ...AAPL, priceCount: 2.5 })).toThrow(InvalidScoreInputError);
    expect(() => scoreOpportunity({ ...AAPL, symbol: ' ' })).toThrow(InvalidScoreInputError);
  });
});

// ---- properties -------------------------------------------------------------------------------

/**
 * Real in [min, max], spread evenly (fc.double spreads over exponents, so almost every draw would be ≈ 0),
 * with the bounds and 0 mixed in as edge cases.
 */
function real(min: number, max: number): fc.Arbitrary<number> {
  const steps = 2 ** 31 - 1;
  const even = fc.integer({ min: 0, max: steps }).map((i) => min + ((max - min) * i) / steps);
  const edges = fc.constantFrom(...[min, max, 0].filter((x) => x >= min && x <= max));
  return fc.oneof({ arbitrary: even, weight: 9 }, { arbitrary: edges, weight: 1 });
}

const inputsArb: fc.Arbitrary<OpportunityInputs> = fc
  .record({
    n: fc.integer({ min: 10, max: 500 }),
    hitShare: real(0, 1),
    ece: real(-0.2, 1.2),
    meanConfidence: real(-0.2, 1.2),
    predictedMovePct: real(-60, 60),
    volatilityPct: real(0, 25),
    momentumPct: real(-80, 80),
    priceCount: fc.integer({ min: 21, max: 1000 }),
  })
  .map((r) => ({
    symbol: 'SYM',
    validatedPredictions: r.n,
    correctDirections: Math.round(r.hitShare * r.n),
    ece: r.ece,
    meanConfidence: r.meanConfidence,
    predictedMovePct: r.predictedMovePct,
    volatilityPct: r.volatilityPct,
    momentumPct: r.momentumPct,
    priceCount: r.priceCount,
  }));

const weightsArb: fc.Arbitrary<ScoreWeights> = fc
  .tuple(...OPPORTUNITY_FACTORS.map(() => real(0, 1)))
  .filter((ws) => ws.reduce((s, w) => s + w, 0) > 1e-3)
  .map((ws) => {
    const sum = ws.reduce((s, w) => s + w, 0);
    return Object.fromEntries(
      OPPORTUNITY_FACTORS.map((f, i) => [f, (ws[i] as number) / sum]),
    ) as ScoreWeights;
  });

/** Raise one factor's input by `delta` ≥ 0 in the direction that improves that factor. */
function raise(inputs: OpportunityInputs, factor: OpportunityFactor, delta: number): OpportunityInputs {
  const move = inputs.predictedMovePct as number;
  switch (factor) {
    case 'directional_accuracy':
      return {
        ...inputs,
        correctDirections: Math.min(
          inputs.validatedPredictions,
          inputs.correctDirections + Math.ceil(delta * inputs.validatedPredictions),
        ),
      };
    case 'calibration':
      return { ...inputs, ece: (inputs.ece as number) - delta };
    case 'predicted_move':
      return { ...inputs, predictedMovePct: move + (move < 0 ? -delta : delta) * 10 };
    case 'momentum':
      return { ...inputs, momentumPct: (inputs.momentumPct as number) + Math.sign(move) * delta * 50 };
    case 'confidence':
      return { ...inputs, meanConfidence: (inputs.meanConfidence as number) + delta };
  }
}

describe('scoreOpportunity: properties (fast-check, seed 42)', () => {
  it('the score stays in [0, 100] with two decimals, for any inputs and weights', () => {
    fc.assert(
      fc.property(inputsArb, weightsArb, (inputs, weights) => {
        const r = scored(scoreOpportunity(inputs, { weights }));
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(Math.round(r.score * 100) / 100).toBe(r.score);
        for (const b of r.breakdown) {
          expect(b.normalised).toBeGreaterThanOrEqual(0);
          expect(b.normalised).toBeLessThanOrEqual(1);
        }
      }),
      FC,
    );
  });

  it('raising any one factor never lowers the score', () => {
    fc.assert(
      fc.property(
        inputsArb,
        weightsArb,
        fc.constantFrom(...OPPORTUNITY_FACTORS),
        real(0, 1),
        (inputs, weights, factor, delta) => {
          const before = scored(scoreOpportunity(inputs, { weights }));
          const after = scored(scoreOpportunity(raise(inputs, factor, delta), { weights }));
          expect(after.score).toBeGreaterThanOrEqual(before.score);
          const i = OPPORTUNITY_FACTORS.indexOf(factor);
          expect(after.breakdown[i]?.normalised).toBeGreaterThanOrEqual(
            before.breakdown[i]?.normalised as number,
          );
        },
      ),
      { ...FC, numRuns: 500 },
    );
  });

  it('the breakdown sums to the score exactly, each contribution within 0.01 of 100 · w · f', () => {
    fc.assert(
      fc.property(inputsArb, weightsArb, (inputs, weights) => {
        const r = scored(scoreOpportunity(inputs, { weights }));
        expect(sumContributions(r.breakdown)).toBe(r.score);
        const plain = r.breakdown.reduce((s, b) => s + b.contribution, 0);
        expect(Number(plain.toFixed(2))).toBe(r.score);
        for (const b of r.breakdown) {
          expect(Math.round(b.contribution * 100) / 100).toBe(b.contribution);
          expect(Math.abs(b.contribution - 100 * b.weight * b.normalised)).toBeLessThan(0.01 + 1e-9);
        }
      }),
      FC,
    );
  });

  it('too few validated predictions or prices → null score with a reason', () => {
    fc.assert(
      fc.property(
        inputsArb,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 20 }),
        fc.boolean(),
        (inputs, n, prices, cutPredictions) => {
          const thin = cutPredictions
            ? { ...inputs, validatedPredictions: n, correctDirections: Math.min(n, inputs.correctDirections) }
            : { ...inputs, priceCount: prices };
          const r = scoreOpportunity(thin);
          expect(r.score).toBeNull();
          expect(r.isOpportunity).toBe(false);
          if (r.score === null) {
            expect(r.reason.length).toBeGreaterThan(0);
            expect(r.codes).toContain(
              cutPredictions ? InsufficientData.TooFewValidatedPredictions : InsufficientData.TooFewPrices,
            );
          }
        },
      ),
      FC,
    );
  });
});

describe('rankOpportunities', () => {
  const make = (symbol: string, score: number | null, threshold = 70): OpportunityResult =>
    score === null
      ? {
          symbol,
          score,
          isOpportunity: false,
          threshold,
          reason: 'r',
          codes: [],
          inputs: { ...AAPL, symbol },
        }
      : {
          symbol,
          score,
          isOpportunity: score >= threshold,
          threshold,
          breakdown: [],
          inputs: { ...AAPL, symbol },
        };

  it('opportunities first, then score descending, unscored last, ties by symbol', () => {
    const ranked = rankOpportunities([
      make('ZZZ', null),
      make('LOW', 12.5),
      make('BBB', 80),
      make('AAA', 80),
      make('MID', 69.99),
      make('AAB', null),
      make('TOP', 95.1),
      make('CUSTOM', 72, 75), // scored above others but not an opportunity under its threshold
    ]);
    expect(ranked.map((r) => r.symbol)).toEqual(['TOP', 'AAA', 'BBB', 'CUSTOM', 'MID', 'LOW', 'AAB', 'ZZZ']);
  });

  it('does not mutate its input, and the order does not depend on the input order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            symbol: fc.stringMatching(/^[A-Z]{1,5}$/),
            score: fc.option(fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100)),
          }),
          { selector: (r) => r.symbol, maxLength: 30 },
        ),
        (rows) => {
          const results = rows.map((r) => make(r.symbol, r.score));
          const copy = [...results];
          const ranked = rankOpportunities(results);
          expect(results).toEqual(copy);
          expect(rankOpportunities([...results].reverse()).map((r) => r.symbol)).toEqual(
            ranked.map((r) => r.symbol),
          );
          const firstUnscored = ranked.findIndex((r) => r.score === null);
          if (firstUnscored >= 0)
            expect(ranked.slice(firstUnscored).every((r) => r.score === null)).toBe(true);
          for (let i = 1; i < ranked.length; i++) {
            const [a, b] = [ranked[i - 1] as OpportunityResult, ranked[i] as OpportunityResult];
            if (a.score !== null && b.score !== null) expect(a.score).toBeGreaterThanOrEqual(b.score);
          }
        },
      ),
      FC,
    );
  });

  it('summarizeRanking gives the metric values', () => {
    expect(summarizeRanking([make('A', 71), make('B', 90.5), make('C', 10), make('D', null)])).toEqual({
      scored: 3,
      unscored: 1,
      opportunitiesFound: 2,
      topOpportunityScore: 90.5,
    });
    expect(summarizeRanking([make('D', null)]).topOpportunityScore).toBeNull();
  });

  it('default configuration is what the docs say', () => {
    expect(DEFAULT_SCORE_CONFIG.opportunityThreshold).toBe(70);
    expect(Object.values(DEFAULT_SCORE_CONFIG.weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });
});
