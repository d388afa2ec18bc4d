import { ConfigError, loadConfig, WatchlistDefaults } from '../../../../lambdas/shared/config';

describe('watchlists and the dimension cap (the only metric dimension values)', () => {
  it('default to the five symbols, no model, a cap of 20, and the alert rules’ defaults', () => {
    const config = loadConfig({});
    expect(config.metricSymbolWatchlist).toEqual(['AAPL', 'MSFT', 'AMZN', 'GOOG', 'IBM']);
    expect(config.metricModelWatchlist).toEqual([]);
    expect(config.metricDimensionCap).toBe(WatchlistDefaults.DIMENSION_CAP);
    expect([
      config.minSampleForAlert,
      config.accuracyAlertThreshold,
      config.calibrationAlertEce,
      config.minSampleForCalibrationAlert,
    ]).toEqual([60, 0.6, 0.15, 150]);
  });

  it('normalise symbols to upper case, trim, drop empties and duplicates', () => {
    const config = loadConfig({
      METRIC_SYMBOL_WATCHLIST: ' aapl, ibm,,AAPL ',
      METRIC_MODEL_WATCHLIST: 'lstm-v3, xgb.2',
    });
    expect(config.metricSymbolWatchlist).toEqual(['AAPL', 'IBM']);
    expect(config.metricModelWatchlist).toEqual(['lstm-v3', 'xgb.2']);
  });

  it.each([
    ['METRIC_MODEL_WATCHLIST', 'lstm-v3,4111111111111111', /METRIC_MODEL_WATCHLIST.*personal data/],
    ['METRIC_MODEL_WATCHLIST', 'name with spaces', /METRIC_MODEL_WATCHLIST/],
    ['METRIC_SYMBOL_WATCHLIST', 'AAPL,TOO-LONG-SYMBOL', /METRIC_SYMBOL_WATCHLIST/],
    ['METRIC_DIMENSION_CAP', '0', /METRIC_DIMENSION_CAP/],
    ['METRIC_DIMENSION_CAP', '101', /METRIC_DIMENSION_CAP/],
    ['METRIC_DIMENSION_CAP', '2.5', /METRIC_DIMENSION_CAP/],
    ['CALIBRATION_ALERT_ECE', '1.5', /CALIBRATION_ALERT_ECE/],
  ])('refuse %s=%p, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('refuse a watchlist longer than the largest cap', () => {
    const long = Array.from({ length: WatchlistDefaults.MAX_DIMENSION_CAP + 1 }, (_, i) => `m${i}`).join(',');
    expect(() => loadConfig({ METRIC_MODEL_WATCHLIST: long })).toThrow(/METRIC_MODEL_WATCHLIST/);
  });
});
