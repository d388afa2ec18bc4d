import fc from 'fast-check';
import { burnRateThreshold, windowBreaches } from '../../../../lib/alerting/burn-rate';
import {
  breaches,
  compileExpression,
  evaluateAlarm,
  evaluateExpression,
  MetricMathError,
} from '../../../../lib/alerting/metric-math';
import {
  BURN_RATE_TIERS,
  type BurnRateRule,
  buildAlertRules,
  burnRateSli,
  Comparison,
  type ExpressionRule,
  findRule,
  MissingData,
  RuleId,
} from '../../../../lib/alerting/rules';

const rules = buildAlertRules();
const expressionOf = (id: string) => (findRule(rules, id) as ExpressionRule).expression;

describe('metric-math evaluator', () => {
  it('computes arithmetic, comparisons and logic with CloudWatch precedence', () => {
    expect(evaluateExpression('1 + 2 * 3', {})).toBe(7);
    expect(evaluateExpression('(1 + 2) * 3', {})).toBe(9);
    expect(evaluateExpression('a / b', { a: 3, b: 4 })).toBe(0.75);
    expect(evaluateExpression('IF(a > 1 AND b <= 2, 10, 20)', { a: 2, b: 2 })).toBe(10);
    expect(evaluateExpression('IF(a > 1 && b <= 2, 10, 20)', { a: 1, b: 2 })).toBe(20);
    expect(evaluateExpression('IF(a > 1 OR b > 1, 1, 0)', { a: 0, b: 5 })).toBe(1);
    expect(evaluateExpression('-a + 1', { a: 3 })).toBe(-2);
  });

  it('treats a missing datapoint as missing unless FILLed; division by zero is missing', () => {
    expect(evaluateExpression('a + 1', { a: null })).toBeNull();
    expect(evaluateExpression('FILL(a, 7) + 1', { a: null })).toBe(8);
    expect(evaluateExpression('a / b', { a: 1, b: 0 })).toBeNull();
    expect(evaluateExpression('IF(a > 0, 1, 0)', { a: null })).toBeNull();
  });

  it('refuses what it does not know, instead of guessing', () => {
    expect(() => evaluateExpression('RATE(a)', { a: 1 })).toThrow(MetricMathError);
    expect(() => evaluateExpression('a +', { a: 1 })).toThrow(MetricMathError);
    expect(() => evaluateExpression('a + b', { a: 1 })).toThrow(/no value for metric "b"/);
    expect(() => compileExpression('a $ b')).toThrow(MetricMathError);
  });
});

describe('the rules’ own expressions', () => {
  it('accuracy: a Wilson upper bound under 60 with n ≥ 60 overall, or any alerting model or symbol, fires', () => {
    const accuracy = compileExpression(expressionOf(RuleId.ACCURACY));
    const none = { models: 0, symbols: 0 };
    expect(accuracy({ ub: 55, n: 60, ...none })).toBe(1);
    expect(accuracy({ ub: 55, n: 59, ...none })).toBe(0);
    expect(accuracy({ ub: 59.99, n: 500, ...none })).toBe(1);
    // Exactly 60 is not significantly below 60.
    expect(accuracy({ ub: 60, n: 500, ...none })).toBe(0);
    expect(accuracy({ ub: 61, n: 500, ...none })).toBe(0);
    // One model (or symbol) the tracker found alerting pages, whatever the overall figure.
    expect(accuracy({ ub: 75, n: 500, models: 1, symbols: 0 })).toBe(1);
    expect(accuracy({ ub: 75, n: 500, models: 0, symbols: 3 })).toBe(1);
    expect(accuracy({ ub: 75, n: 500, models: null, symbols: null })).toBe(0);
    // No validations at all: nothing breaches (and the backtest's store emits no datapoint either).
    expect(accuracy({ ub: null, n: null, models: null, symbols: null })).toBe(0);
  });

  it('calibration: the overall ECE gated by n ≥ 150, or 1 when any model or symbol is miscalibrated', () => {
    const calibration = compileExpression(expressionOf(RuleId.CALIBRATION));
    const rule = findRule(rules, RuleId.CALIBRATION) as ExpressionRule;
    const fires = (values: Record<string, number | null>) =>
      breaches(calibration(values) as number, rule.comparison, rule.threshold);
    expect(fires({ ece: 0.2, n: 150, models: 0, symbols: 0 })).toBe(true);
    expect(fires({ ece: 0.2, n: 149, models: 0, symbols: 0 })).toBe(false);
    // Exactly the threshold is not above it.
    expect(fires({ ece: 0.15, n: 500, models: 0, symbols: 0 })).toBe(false);
    expect(fires({ ece: 0.01, n: 500, models: 1, symbols: 0 })).toBe(true);
    expect(fires({ ece: null, n: null, models: null, symbols: 2 })).toBe(true);
    expect(fires({ ece: null, n: null, models: null, symbols: null })).toBe(false);
  });

  it('rankings: fires only in a fully open quarter-hour without a ranking', () => {
    const rankings = compileExpression(expressionOf(RuleId.RANKINGS_MISSING));
    expect(rankings({ open: 1, produced: null })).toBe(1);
    expect(rankings({ open: 1, produced: 1 })).toBe(0);
    expect(rankings({ open: 0, produced: null })).toBe(0);
    expect(rankings({ open: null, produced: null })).toBeNull();
  });

  it('stale market data: no price in an open window reads as a day old; closed windows read 0', () => {
    const stale = compileExpression(expressionOf(RuleId.MARKET_DATA_STALE));
    expect(stale({ open: 1, lag: null })).toBe(86_400);
    expect(stale({ open: 1, lag: 12 })).toBe(12);
    expect(stale({ open: 0, lag: null })).toBe(0);
  });

  it('burn-rate SLI expression agrees with the pure burn-rate maths (property, fixed seed)', () => {
    const availability = findRule(rules, RuleId.AVAILABILITY_SLO) as BurnRateRule;
    const counts = fc.array(
      fc.record({
        total: fc.integer({ min: 0, max: 400 }),
        share: fc.double({ min: 0, max: 0.2, noNaN: true }),
      }),
      {
        minLength: availability.functions.length,
        maxLength: availability.functions.length,
      },
    );
    fc.assert(
      fc.property(fc.constantFrom(...BURN_RATE_TIERS), counts, (tier, perFunction) => {
        const sli = burnRateSli(availability, tier.minSamples.short);
        const values: Record<string, number | null> = {};
        let bad = 0;
        let total = 0;
        perFunction.forEach(({ total: calls, share }, index) => {
          const errors = Math.floor(calls * share);
          // A function without calls publishes no datapoints at all.
          values[`i${index}`] = calls === 0 ? null : calls;
          values[`e${index}`] = calls === 0 ? null : errors;
          bad += errors;
          total += calls;
        });
        const ratio = evaluateExpression(sli.expression, values);
        const threshold = burnRateThreshold(availability.objective, tier.factor);
        const alarmFires = ratio !== null && breaches(ratio, Comparison.GTE, threshold);
        expect(alarmFires).toBe(
          windowBreaches({ bad, total }, availability.objective, tier.factor, tier.minSamples.short),
        );
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('latency SLI: share of invocations over 500 ms, weighted by each function’s count', () => {
    const latency = findRule(rules, RuleId.LATENCY_SLO) as BurnRateRule;
    const sli = burnRateSli(latency, 3);
    // 100 calls with 90 % ≤ 500 ms, 300 calls with 50 %, a function without calls.
    const ratio = evaluateExpression(sli.expression, {
      d0: 100,
      p0: 90,
      d1: 300,
      p1: 50,
      d2: null,
      p2: null,
    });
    expect(ratio).toBeCloseTo((10 + 150) / 400, 12);
    expect(evaluateExpression(sli.expression, { d0: 2, p0: 0, d1: null, p1: null, d2: null, p2: null })).toBe(
      0,
    );
  });
});

describe('M-of-N alarm evaluation', () => {
  const rule = {
    evaluationPeriods: 4,
    datapointsToAlarm: 2,
    threshold: 0.15,
    comparison: Comparison.GT,
    missingData: MissingData.NOT_BREACHING,
  };

  it('needs M breaching datapoints among the last N', () => {
    expect(evaluateAlarm([0.2, 0.1, 0.1, 0.1], rule)).toBe('OK');
    expect(evaluateAlarm([0.2, 0.1, 0.16, 0.1], rule)).toBe('ALARM');
    expect(evaluateAlarm([0.2, 0.2, 0.1, 0.1, 0.1, 0.1], rule)).toBe('OK');
  });

  it('applies the missing-data treatment', () => {
    expect(evaluateAlarm([null, null], rule)).toBe('OK');
    expect(
      evaluateAlarm([null], {
        ...rule,
        missingData: MissingData.BREACHING,
        datapointsToAlarm: 1,
        evaluationPeriods: 1,
      }),
    ).toBe('ALARM');
    expect(evaluateAlarm([0.2, null, null, null], { ...rule, missingData: MissingData.BREACHING })).toBe(
      'ALARM',
    );
    expect(evaluateAlarm([null], { ...rule, missingData: MissingData.IGNORE }, 'ALARM')).toBe('ALARM');
    expect(evaluateAlarm([null], { ...rule, missingData: MissingData.MISSING })).toBe('INSUFFICIENT_DATA');
  });
});
