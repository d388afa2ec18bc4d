import { Attr } from '../../../../../../layers/otel/src/constants';
import {
  categorizeSpan,
  DEFAULT_SAMPLING_CONFIG,
  highValueReason,
  isHighValue,
} from '../../../../../../layers/otel/src/sampling';

describe('categorizeSpan', () => {
  it.each([
    ['trading.opportunity_analysis', {}, 'trading'],
    ['trading.rank_opportunities', {}, 'trading'],
    ['score', { [Attr.OPPORTUNITY_SCORE]: 12 }, 'trading'],
    ['ml.validate_prediction', {}, 'ml_validation'],
    ['compare', { [Attr.PRICE_ERROR_PCT]: 1.2 }, 'ml_validation'],
    ['market.prices.read', {}, 'market_data'],
    ['health', {}, 'noise'],
    ['GET /healthcheck', {}, 'noise'],
    ['scheduled_rankings.skipped', {}, 'noise'],
    // The category a function gives (instrument's categoryByAction) wins over the layer's generic rules…
    ['trading-intelligence', { [Attr.ACTION]: 'analyze', [Attr.SAMPLING_CATEGORY]: 'trading' }, 'trading'],
    ['dynamodb.query', { [Attr.SAMPLING_CATEGORY]: 'market_data' }, 'market_data'],
    ['sampling-optimizer', { [Attr.SAMPLING_CATEGORY]: 'noise' }, 'noise'],
    // …but not over a skipped run, and only if it is a known category.
    ['trading-intelligence', { [Attr.SAMPLING_CATEGORY]: 'trading', 'app.skipped': true }, 'noise'],
    ['trading-intelligence', { [Attr.SAMPLING_CATEGORY]: 'bogus' }, 'invocation'],
    // The layer knows no product word: an action or a product-named span alone says nothing.
    ['dual-accuracy-tracker', { [Attr.ACTION]: 'record_predictions' }, 'invocation'],
    ['dual-accuracy-tracker', { [Attr.ACTION]: 'record_prices' }, 'invocation'],
    ['validate_all', {}, 'invocation'],
    ['record_prices', {}, 'invocation'],
    ['trading-intelligence', { [Attr.ACTION]: 'scheduled_rankings' }, 'invocation'],
    ['dynamodb.query', {}, 'invocation'],
  ])('%s %j → %s', (name, attributes, expected) => {
    expect(categorizeSpan(name, attributes)).toBe(expected);
  });
});

describe('highValueReason', () => {
  const config = DEFAULT_SAMPLING_CONFIG;
  it('flags scores, notionals and alerts at the configured thresholds', () => {
    expect(highValueReason({ [Attr.OPPORTUNITY_SCORE]: 70 }, config)).toBe('opportunity_score');
    expect(highValueReason({ [Attr.OPPORTUNITY_SCORE]: 69.99 }, config)).toBeUndefined();
    expect(highValueReason({ [Attr.NOTIONAL]: 1_000_000 }, config)).toBe('notional');
    expect(highValueReason({ [Attr.NOTIONAL]: -2_000_000 }, config)).toBe('notional');
    expect(highValueReason({ [Attr.NOTIONAL]: 999_999 }, config)).toBeUndefined();
    expect(highValueReason({ [Attr.ALERT]: true }, config)).toBe('alert');
    expect(highValueReason({ [Attr.ALERT]: 'true' }, config)).toBeUndefined();
    expect(highValueReason({ [Attr.OPPORTUNITY_SCORE]: Number.NaN }, config)).toBeUndefined();
    expect(isHighValue({ [Attr.OPPORTUNITY_SCORE]: 72 }, { ...config, highValueScore: 80 })).toBe(false);
  });

  it('keeps spans with a positive sampling.priority (the optimizer marks its own runs so)', () => {
    expect(highValueReason({ [Attr.SAMPLING_PRIORITY]: 1 }, config)).toBe('priority');
    expect(highValueReason({ [Attr.SAMPLING_PRIORITY]: 0 }, config)).toBeUndefined();
    expect(highValueReason({ [Attr.SAMPLING_PRIORITY]: -1 }, config)).toBeUndefined();
    expect(highValueReason({ [Attr.SAMPLING_PRIORITY]: '1' }, config)).toBeUndefined();
  });
});
