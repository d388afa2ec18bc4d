import { Duration } from 'aws-cdk-lib';
import { EnvVar } from '../../lambdas/shared/config';
import { DynamoAction, InstrumentedFunction } from '../instrumented-function';
import type { FunctionDeps } from './types';

/** observability-demo: the whole story end to end, in its own `demo` data partition. */
export function addObservabilityDemo({
  scope,
  settings,
  tables,
  telemetry,
}: FunctionDeps): InstrumentedFunction {
  return new InstrumentedFunction(scope, 'ObservabilityDemo', {
    name: 'observability-demo',
    namePrefix: settings.namePrefix,
    description: 'Runs accuracy, trading and sampling end to end on replayed prices in the demo partition',
    telemetry,
    memorySize: 1024,
    timeout: Duration.minutes(5),
    tables: [
      { table: tables.market, actions: [DynamoAction.QUERY, DynamoAction.BATCH_WRITE] },
      { table: tables.rankings, actions: [DynamoAction.QUERY, DynamoAction.BATCH_WRITE] },
      { table: tables.sampling, actions: [DynamoAction.QUERY, DynamoAction.PUT] },
    ],
    environment: {
      [EnvVar.MARKET_TABLE]: tables.market.tableName,
      [EnvVar.RANKINGS_TABLE]: tables.rankings.tableName,
      [EnvVar.DATA_NAMESPACE]: 'demo',
    },
  });
}
