import { Duration } from 'aws-cdk-lib';
import { EnvVar } from '../../lambdas/shared/config';
import { VALIDATION_LOOKBACK_MINUTES } from '../alerting/rules';
import { DynamoAction, InstrumentedFunction } from '../instrumented-function';
import { addScheduledInvocation } from '../schedules';
import type { FunctionDeps } from './types';

/**
 * The scheduled validation that feeds the accuracy and calibration alarms: every 15 minutes around the clock
 * (predictions target pre-market and after-hours too), over the last 30 minutes of target times — the
 * window lib/alerting/rules.ts and the backtest (docs/alert-quality.md) evaluate.
 */
export const VALIDATION_SCHEDULE = {
  expressions: { Quarterly: 'cron(0/15 * * * ? *)' },
  input: { action: 'validate_all', lookback_minutes: VALIDATION_LOOKBACK_MINUTES },
  /** A run is worth something until the next one. */
  maxEventAge: Duration.minutes(15),
  retryAttempts: 2,
} as const;

/** dual-accuracy-tracker: records predictions and prices, validates them, persists summaries. */
export function addDualAccuracyTracker({
  scope,
  settings,
  tables,
  telemetry,
  alertParams,
}: FunctionDeps): InstrumentedFunction {
  const fn = new InstrumentedFunction(scope, 'DualAccuracyTracker', {
    name: 'dual-accuracy-tracker',
    namePrefix: settings.namePrefix,
    description:
      'Dual accuracy (price error, direction), calibration and accuracy alerts of the price models',
    telemetry,
    memorySize: 1024,
    timeout: Duration.seconds(60),
    tables: [{ table: tables.market, actions: [DynamoAction.QUERY, DynamoAction.BATCH_WRITE] }],
    environment: {
      [EnvVar.MARKET_TABLE]: tables.market.tableName,
      [EnvVar.METRIC_SYMBOL_WATCHLIST]: settings.metricSymbolWatchlist.join(','),
      [EnvVar.METRIC_MODEL_WATCHLIST]: settings.metricModelWatchlist.join(','),
      // The alarms' rule, applied by the tracker to every model and symbol (its `alerts` and alerting counts).
      [EnvVar.MIN_SAMPLE_FOR_ALERT]: String(alertParams.accuracyMinSamples),
      [EnvVar.ACCURACY_ALERT_THRESHOLD]: String(alertParams.accuracyThresholdPct / 100),
      [EnvVar.CALIBRATION_ALERT_ECE]: String(alertParams.eceThreshold),
      [EnvVar.MIN_SAMPLE_FOR_CALIBRATION_ALERT]: String(alertParams.eceMinSamples),
    },
  });
  addScheduledInvocation(scope, fn.function, {
    idPrefix: 'AccuracyValidation',
    deadLetterQueueId: 'AccuracyValidationScheduleDlq',
    expressions: VALIDATION_SCHEDULE.expressions,
    input: VALIDATION_SCHEDULE.input,
    maxEventAge: VALIDATION_SCHEDULE.maxEventAge,
    retryAttempts: VALIDATION_SCHEDULE.retryAttempts,
    description: `dual-accuracy-tracker validate_all over the last ${VALIDATION_LOOKBACK_MINUTES} minutes (accuracy alarms)`,
  });
  return fn;
}
