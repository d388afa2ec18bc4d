import { Duration } from 'aws-cdk-lib';
import {
  bundledDatasetPath,
  DATASET_FILES,
  resolvePackageFile,
} from '../../lambdas/observability-demo/replay/market-data';
import { MetricsSource, OptimizerEnv } from '../../lambdas/sampling-optimizer/env';
import { EnvVar } from '../../lambdas/shared/config';
import { DataPartition } from '../../lambdas/shared/partition';
import { GET_METRIC_DATA_REASON } from '../alerting/nag';
import { DynamoAction, InstrumentedFunction } from '../instrumented-function';
import type { FunctionDeps } from './types';

/**
 * A full_demo replays ten trading days step by step (some 2 500 in-process steps against DynamoDB): minutes,
 * not seconds. Callers raise the CLI's read timeout (docs/demo.md).
 */
export const OBSERVABILITY_DEMO_TIMEOUT = Duration.minutes(10);

/**
 * observability-demo: the whole story end to end, in its own `demo` data partition. It empties that partition,
 * then writes market data, validations and rankings there (BatchWrite puts and deletes, Query); the optimizer
 * runs as a dry run (reads the demo partition's sampling configuration, writes nothing), so the live sampling
 * configuration is never touched.
 */
export function addObservabilityDemo({
  scope,
  settings,
  tables,
  telemetry,
}: FunctionDeps): InstrumentedFunction {
  const fn = new InstrumentedFunction(scope, 'ObservabilityDemo', {
    name: 'observability-demo',
    namePrefix: settings.namePrefix,
    description: 'Runs accuracy, trading and sampling end to end on replayed prices in the demo partition',
    telemetry,
    memorySize: 1024,
    // The replayed prices come from npm datasets read at run time; ship them inside the bundle.
    bundledFiles: DATASET_FILES.map((file) => ({
      source: resolvePackageFile(file.package, file.file),
      target: bundledDatasetPath(file),
    })),
    timeout: OBSERVABILITY_DEMO_TIMEOUT,
    reservedConcurrentExecutions: settings.reservedConcurrency['observability-demo'],
    tables: [
      { table: tables.market, actions: [DynamoAction.QUERY, DynamoAction.BATCH_WRITE] },
      { table: tables.rankings, actions: [DynamoAction.QUERY, DynamoAction.BATCH_WRITE] },
      // Dry-run optimizer: reads CURRENT and LAST_RUN by Query, never writes.
      { table: tables.sampling, actions: [DynamoAction.QUERY] },
    ],
    environment: {
      [EnvVar.MARKET_TABLE]: tables.market.tableName,
      [EnvVar.RANKINGS_TABLE]: tables.rankings.tableName,
      [EnvVar.SAMPLING_CONFIG_TABLE]: tables.sampling.tableName,
      [EnvVar.TRACING_BUDGET_PER_DAY]: String(settings.tracingBudgetPerDay),
      [EnvVar.DATA_NAMESPACE]: DataPartition.DEMO,
      [OptimizerEnv.METRICS_SOURCE]: MetricsSource.CLOUDWATCH,
    },
  });
  // The optimizer step reads the layer's span volumes; GetMetricData supports no resource-level permissions.
  fn.addWildcardStatement(['cloudwatch:GetMetricData'], GET_METRIC_DATA_REASON);
  return fn;
}
