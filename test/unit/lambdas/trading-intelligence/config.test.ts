import { ConfigError } from '../../../../lambdas/shared/config';
import { DEFAULT_SCORE_CONFIG, DEFAULT_SCORE_WEIGHTS as W } from '../../../../lambdas/shared/trading';
import { DEFAULT_ANALYSIS_CONFIG, loadTradingConfig } from '../../../../lambdas/trading-intelligence/config';

/** The ConfigError message of a configuration that must not load. */
function failure(env: Record<string, string>): string {
  try {
    loadTradingConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration loaded');
}

describe('trading-intelligence configuration (one schema, read once)', () => {
  it('defaults when nothing is set', () => {
    const config = loadTradingConfig({});
    expect(config.score).toEqual(DEFAULT_SCORE_CONFIG);
    expect(config.analysis).toEqual(DEFAULT_ANALYSIS_CONFIG);
  });

  it('reads the weights, threshold, minimums and analysis settings', () => {
    const weights = {
      directional_accuracy: 0.4,
      calibration: 0.1,
      predicted_move: 0.2,
      momentum: 0.1,
      confidence: 0.2,
    };
    const config = loadTradingConfig({
      OPPORTUNITY_WEIGHTS: JSON.stringify(weights),
      OPPORTUNITY_THRESHOLD: '65',
      OPPORTUNITY_MIN_VALIDATED_PREDICTIONS: '20',
      OPPORTUNITY_MIN_PRICES: '30',
      TRADING_LOOKBACK_TRADING_DAYS: '15',
    });
    expect(config.score).toMatchObject({
      weights,
      opportunityThreshold: 65,
      minValidatedPredictions: 20,
      minPrices: 30,
    });
    expect(config.analysis).toEqual({ ...DEFAULT_ANALYSIS_CONFIG, lookbackTradingDays: 15 });
  });

  it('reads OPPORTUNITY_THRESHOLD once, into the score configuration, boundaries included', () => {
    expect(loadTradingConfig({ OPPORTUNITY_THRESHOLD: '0' }).score.opportunityThreshold).toBe(0);
    expect(loadTradingConfig({ OPPORTUNITY_THRESHOLD: '100' }).score.opportunityThreshold).toBe(100);
    expect(failure({ OPPORTUNITY_THRESHOLD: '100.5' })).toMatch(
      /^invalid configuration: OPPORTUNITY_THRESHOLD: /,
    );
    expect(loadTradingConfig({}).app).not.toHaveProperty('opportunityThreshold');
  });

  it.each([
    ['a number that is not one', { OPPORTUNITY_THRESHOLD: 'NaN' }, 'OPPORTUNITY_THRESHOLD'],
    [
      'a fractional count',
      { OPPORTUNITY_MIN_VALIDATED_PREDICTIONS: '2.5' },
      'OPPORTUNITY_MIN_VALIDATED_PREDICTIONS',
    ],
    ['prices not above the momentum lookback', { OPPORTUNITY_MIN_PRICES: '20' }, 'OPPORTUNITY_MIN_PRICES'],
    ['weights that are not JSON', { OPPORTUNITY_WEIGHTS: '{oops' }, 'OPPORTUNITY_WEIGHTS: not JSON'],
    [
      'weights that do not sum to 1',
      { OPPORTUNITY_WEIGHTS: JSON.stringify({ ...W, momentum: 0.5 }) },
      'OPPORTUNITY_WEIGHTS: Invalid opportunity-score configuration: weights must sum to 1',
    ],
    [
      'an unknown factor',
      { OPPORTUNITY_WEIGHTS: JSON.stringify({ ...W, sentiment: 0 }) },
      'OPPORTUNITY_WEIGHTS: Invalid opportunity-score configuration: unknown weight',
    ],
    ['a zero lookback', { TRADING_LOOKBACK_TRADING_DAYS: '0' }, 'TRADING_LOOKBACK_TRADING_DAYS'],
    [
      'a horizon that is not a number',
      { TRADING_PREDICTION_HORIZON_DAYS: 'x' },
      'TRADING_PREDICTION_HORIZON_DAYS',
    ],
    [
      'fewer price bars than the scorer needs',
      { TRADING_MAX_PRICE_BARS: '5' },
      'TRADING_MAX_PRICE_BARS: 5 is below OPPORTUNITY_MIN_PRICES (21)',
    ],
  ])('refuses %s, naming the variable', (_name, env, named) => {
    expect(failure(env)).toContain(named);
  });

  it('raises the default price bars to the scorer minimum, and treats an empty value as unset', () => {
    expect(loadTradingConfig({ OPPORTUNITY_MIN_PRICES: '200' }).analysis.maxPriceBars).toBe(200);
    expect(loadTradingConfig({ OPPORTUNITY_THRESHOLD: '' }).score.opportunityThreshold).toBe(70);
  });
});
