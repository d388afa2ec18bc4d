import { Attr } from '../../../layers/otel/src/constants';
import {
  categorizeSpan,
  DEFAULT_SAMPLING_CONFIG,
  highValueReason,
  isHighValue,
} from '../../../layers/otel/src/sampling';

describe('categorizeSpan', () => {
  it.each([
    ['trading.opportunity_analysis', {}, 'trading'],
    ['trading.rank_opportunities', {}, 'trading'],
    ['trading-intelligence', { [Attr.ACTION]: 'analyze' }, 'trading'],
    ['score', { [Attr.OPPORTUNITY_SCORE]: 12 }, 'trading'],
    ['ml.validate_prediction', {}, 'ml_validation'],
    ['validate_all', {}, 'ml_validation'],
    ['compare', { [Attr.PRICE_ERROR_PCT]: 1.2 }, 'ml_validation'],
    ['dual-accuracy-tracker', { [Attr.ACTION]: 'record_predictions' }, 'ml_validation'],
    ['dual-accuracy-tracker', { [Attr.ACTION]: 'record_prices' }, 'market_data'],
    ['market.prices.read', {}, 'market_data'],
    ['record_prices', {}, 'market_data'],
    ['health', {}, 'noise'],
    ['GET /healthcheck', {}, 'noise'],
    ['sampling-optimizer', { [Attr.ACTION]: 'status' }, 'noise'],
    ['scheduled_rankings.skipped', {}, 'noise'],
    ['trading-intelligence', { [Attr.ACTION]: 'scheduled_rankings', 'app.skipped': true }, 'noise'],
    ['trading-intelligence', { [Attr.ACTION]: 'scheduled_rankings' }, 'invocation'],
    ['dynamodb.query', {}, 'invocation'],
    ['sampling-optimizer', { [Attr.ACTION]: 'optimize' }, 'invocation'],
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
