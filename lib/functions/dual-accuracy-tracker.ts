import { Duration } from 'aws-cdk-lib';
import { EnvVar } from '../../lambdas/shared/config';
import { DynamoAction, InstrumentedFunction } from '../instrumented-function';
import type { FunctionDeps } from './types';

/** dual-accuracy-tracker: records predictions and prices, validates them, persists summaries. */
export function addDualAccuracyTracker({
  scope,
  settings,
  tables,
  telemetry,
}: FunctionDeps): InstrumentedFunction {
  return new InstrumentedFunction(scope, 'DualAccuracyTracker', {
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
    },
  });
}
