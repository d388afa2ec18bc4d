/**
 * The product's CloudWatch metric and dimension names, once: the functions emit them (EMF, namespace
 * `TradingObservability`) and lib/alerting reads them (alarms, dashboard, backtest). The layer's own volume
 * metrics (SpansStarted, … per Category) are the layer's (`VolumeMetric` in @trading-observability/otel).
 */

/** Dimension names of the product's metrics. */
export const MetricDimension = {
  /** Every metric carries it: the layer adds it as its default dimension (the OTel service name). */
  SERVICE: 'Service',
  /** Per-model figures, only for models on the tracker's model watchlist. */
  MODEL: 'Model',
  /** Per-symbol figures, only for symbols on the symbol watchlist. */
  SYMBOL: 'Symbol',
  /**
   * `ad-hoc` on validate_all figures of a run that is not the alarms' (a filter, or another window than the
   * scheduled one): a 7-day run by hand must not fall on the metrics the accuracy alarms read.
   */
  RUN: 'Run',
} as const;
export type MetricDimension = (typeof MetricDimension)[keyof typeof MetricDimension];

/** Values of the `Run` dimension (the alarms' own scheduled run carries none). */
export const RunKind = { AD_HOC: 'ad-hoc' } as const;

/** Metric names the product emits. */
export const ProductMetric = {
  // dual-accuracy-tracker validate_all, overall (`[Service]`) and per watched model / symbol.
  /** Hit rate × 100 of the group (Percent). */
  DIRECTIONAL_ACCURACY: 'DirectionalAccuracy',
  /** Upper bound of the Wilson 95 % interval × 100 (Percent): below 60 means significantly below 60 %. */
  DIRECTIONAL_ACCURACY_UPPER_BOUND: 'DirectionalAccuracyUpperBound',
  /** 1 when the evidence-gated accuracy alert holds for the group (Wilson upper bound < threshold, n ≥ min), else 0. */
  ACCURACY_ALERT: 'AccuracyAlert',
  EXPECTED_CALIBRATION_ERROR: 'ExpectedCalibrationError',
  /** Mean price_error_pct (Percent). */
  PRICE_ERROR_PCT: 'PriceErrorPct',
  VALIDATED_PREDICTIONS: 'ValidatedPredictions',
  PENDING_PREDICTIONS: 'PendingPredictions',
  // dual-accuracy-tracker validate_all, `[Service]` only: how many groups of a kind the rule holds for (any id).
  /** Models whose accuracy alert holds (Wilson upper bound < threshold with n ≥ the minimum sample). */
  ACCURACY_ALERTING_MODELS: 'AccuracyAlertingModels',
  /** Symbols whose accuracy alert holds. */
  ACCURACY_ALERTING_SYMBOLS: 'AccuracyAlertingSymbols',
  /** Models whose calibration alert holds (ECE above the threshold with n ≥ the calibration minimum sample). */
  CALIBRATION_ALERTING_MODELS: 'CalibrationAlertingModels',
  /** Symbols whose calibration alert holds. */
  CALIBRATION_ALERTING_SYMBOLS: 'CalibrationAlertingSymbols',
  /** dual-accuracy-tracker record_prices, per watched symbol: now − newest price timestamp (seconds, ≥ 0). */
  MARKET_DATA_LAG_SECONDS: 'MarketDataLagSeconds',
  // trading-intelligence.
  OPPORTUNITIES_FOUND: 'OpportunitiesFound',
  TOP_OPPORTUNITY_SCORE: 'TopOpportunityScore',
  /** Once per scheduled run that stored a ranking (not on skipped runs). */
  RANKINGS_PRODUCED: 'RankingsProduced',
  // sampling-optimizer.
  ESTIMATED_TRACING_COST_PER_DAY: 'EstimatedTracingCostPerDay',
  SAMPLED_VOLUME_REDUCTION_PCT: 'SampledVolumeReductionPct',
  // key-age-check (the monitoring probe).
  /** Age of the SigNoz ingestion key in days (from DescribeSecret metadata). */
  INGESTION_KEY_AGE_DAYS: 'IngestionKeyAgeDays',
  /** Every 5 minutes: 1 while the NYSE regular session is open, else 0 (the market clock). */
  MARKET_SESSION_OPEN: 'MarketSessionOpen',
  // ingestion-key-rotation.
  /** 1 per failed rotation step or revocation sweep (Secrets Manager retries the step; the sweep runs again). */
  INGESTION_KEY_ROTATION_FAILURES: 'IngestionKeyRotationFailures',
  /** Replaced ingestion keys revoked by a sweep. */
  RETIRED_INGESTION_KEYS_REVOKED: 'RetiredIngestionKeysRevoked',
} as const;
export type ProductMetric = (typeof ProductMetric)[keyof typeof ProductMetric];
