/**
 * Pure dual-accuracy metrics (no AWS, no I/O): matching predictions to prices, per-prediction figures,
 * group metrics and the summary.
 */
export {
  type CalibrationAlert,
  CalibrationAlertDefaults,
  type CalibrationAlertOptions,
  calibrationAlerts,
} from './calibration-alerts';
export { directionHit, type PredictionColumns, partitionColumns, priceErrorPct, toColumns } from './columns';
export { AccuracyInputError, AccuracyOptionsError } from './errors';
export {
  calendarSession,
  lowerBound,
  MatchDefaults,
  type MatchOptions,
  type MatchResult,
  matchPredictions,
  type PredictionOutcome,
  type PredictionToMatch,
  type PriceSeries,
  type PriceToMatch,
  predictionOutcome,
  priceSeriesBySymbol,
} from './match';
export {
  auroc,
  brier,
  CALIBRATION_BIN_COUNT,
  calibrationBin,
  computeGroup,
  ece,
  groupFromColumns,
  LOG_LOSS_EPSILON,
  logLoss,
  mce,
  pointBiserial,
  reliabilityTable,
  spearman,
  wilsonInterval,
  Z_95,
} from './metrics';
export { AccuracyAlertDefaults, type SummarizeOptions, summarize } from './summary';
export {
  type AccuracyAlert,
  type AccuracyGroup,
  type AccuracySummary,
  type AccuracyWindow,
  AlertScope,
  type Interval,
  MarketSession,
  type MatchedPrediction,
  type PendingPrediction,
  type ReliabilityBin,
} from './types';
