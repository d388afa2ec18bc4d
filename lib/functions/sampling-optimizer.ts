import { Duration } from 'aws-cdk-lib';
import { EnvVar } from '../../lambdas/shared/config';
import { DynamoAction, InstrumentedFunction } from '../instrumented-function';
import type { FunctionDeps } from './types';

/** sampling-optimizer: projects tracing cost from the layer's volume metrics and versions new probabilities. */
export function addSamplingOptimizer({
  scope,
  settings,
  tables,
  telemetry,
}: FunctionDeps): InstrumentedFunction {
  const fn = new InstrumentedFunction(scope, 'SamplingOptimizer', {
    name: 'sampling-optimizer',
    namePrefix: settings.namePrefix,
    description: 'Cost-aware sampling: keeps projected tracing cost under the daily budget',
    telemetry,
    timeout: Duration.seconds(30),
    tables: [{ table: tables.sampling, actions: [DynamoAction.GET, DynamoAction.QUERY, DynamoAction.PUT] }],
    environment: {
      [EnvVar.TRACING_BUDGET_PER_DAY]: String(settings.tracingBudgetPerDay),
    },
  });
  // GetMetricData supports no resource-level permissions: AWS requires "*" here.
  fn.addWildcardStatement(['cloudwatch:GetMetricData']);
  return fn;
}
