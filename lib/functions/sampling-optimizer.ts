import { Duration } from 'aws-cdk-lib';
import { ContextAttribute } from 'aws-cdk-lib/aws-scheduler';
import { MetricsSource, OptimizerEnv } from '../../lambdas/sampling-optimizer/env';
import { EnvVar } from '../../lambdas/shared/config';
import { GET_METRIC_DATA_REASON } from '../alerting/nag';
import { DynamoAction, InstrumentedFunction } from '../instrumented-function';
import { addScheduledInvocation } from '../schedules';
import type { FunctionDeps } from './types';

/**
 * The optimizer's schedule: every 15 minutes around the clock (UTC), on the quarter-hour so that the
 * window it reads ([scheduledTime − 15 min, scheduledTime)) lines up with CloudWatch's periods. Traffic
 * and cost do not stop outside market hours, so neither does the optimizer.
 */
export const OPTIMIZER_SCHEDULE = {
  expressions: { Quarterly: 'cron(0/15 * * * ? *)' },
  input: { action: 'optimize', scheduledTime: ContextAttribute.scheduledTime },
  /** A run is worth something until the next one; a retried run with the same scheduledTime is a no-op. */
  maxEventAge: Duration.minutes(15),
  retryAttempts: 2,
} as const;

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
    reservedConcurrentExecutions: settings.reservedConcurrency['sampling-optimizer'],
    // Reads are Queries (CURRENT, LAST_RUN, history); writes are conditional PutItems (GetItem comes with the layer).
    tables: [{ table: tables.sampling, actions: [DynamoAction.QUERY, DynamoAction.PUT] }],
    environment: {
      [EnvVar.SAMPLING_CONFIG_TABLE]: tables.sampling.tableName,
      [EnvVar.TRACING_BUDGET_PER_DAY]: String(settings.tracingBudgetPerDay),
      [OptimizerEnv.METRICS_SOURCE]: MetricsSource.CLOUDWATCH,
    },
  });
  // GetMetricData supports no resource-level permissions: AWS requires "*" here.
  fn.addWildcardStatement(['cloudwatch:GetMetricData'], GET_METRIC_DATA_REASON);
  addScheduledInvocation(scope, fn.function, {
    idPrefix: 'SamplingOptimizer',
    deadLetterQueueId: 'SamplingOptimizerScheduleDlq',
    expressions: OPTIMIZER_SCHEDULE.expressions,
    input: OPTIMIZER_SCHEDULE.input,
    maxEventAge: OPTIMIZER_SCHEDULE.maxEventAge,
    retryAttempts: OPTIMIZER_SCHEDULE.retryAttempts,
    description: 'sampling-optimizer optimize',
  });
  return fn;
}
