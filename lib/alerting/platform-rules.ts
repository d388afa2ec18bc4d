/** The platform rules: Lambda errors, throttles and p95 duration per function, DynamoDB throttles per table. */
import { DURATION_TIMEOUT_FRACTION } from './alert-params';
import {
  AwsNamespace,
  Comparison,
  type ExpressionRule,
  FanOut,
  lambdaMetric,
  MissingData,
  Placeholder,
  RuleId,
  Severity,
  type ThresholdRule,
} from './rule-types';

export function platformRules(): Array<ThresholdRule | ExpressionRule> {
  return [
    {
      kind: 'threshold',
      id: RuleId.FUNCTION_ERRORS,
      title: 'Lambda errors',
      severity: Severity.WARNING,
      fanOut: FanOut.FUNCTION,
      suppressedBy: RuleId.AVAILABILITY_SLO,
      metric: lambdaMetric('Errors', 'Sum'),
      periodSeconds: 900,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // A failed scheduled run is retried twice by Lambda: 3 errors; one transient error does not warn.
      threshold: 3,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description: 'The function failed (threw or timed out) at least 3 times in 15 minutes.',
      runbook:
        'Run the Logs Insights query "errors by function": read error.type / error.message and follow trace_id ' +
        'into SigNoz.',
    },
    {
      kind: 'threshold',
      id: RuleId.FUNCTION_THROTTLES,
      title: 'Lambda throttles',
      severity: Severity.WARNING,
      fanOut: FanOut.FUNCTION,
      suppressedBy: RuleId.AVAILABILITY_SLO,
      metric: lambdaMetric('Throttles', 'Sum'),
      periodSeconds: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: 1,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description:
        'Invocations were throttled in 2 of the last 3 five-minute periods: concurrency is exhausted.',
      runbook:
        'Check the account’s ConcurrentExecutions and the function’s reserved concurrency; look for a caller ' +
        'retrying in a loop.',
    },
    {
      kind: 'threshold',
      id: RuleId.FUNCTION_DURATION,
      title: `Lambda p95 duration above ${DURATION_TIMEOUT_FRACTION * 100} % of the timeout`,
      severity: Severity.WARNING,
      fanOut: FanOut.FUNCTION,
      suppressedBy: RuleId.LATENCY_SLO,
      metric: lambdaMetric('Duration', 'p95'),
      thresholdUnit: 'fraction-of-timeout',
      periodSeconds: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: DURATION_TIMEOUT_FRACTION,
      comparison: Comparison.GT,
      missingData: MissingData.NOT_BREACHING,
      description:
        `p95 duration stayed above ${DURATION_TIMEOUT_FRACTION * 100} % of the function's timeout for 15 minutes: ` +
        'invocations are about to time out.',
      runbook:
        'Run the Logs Insights query "slow invocations" and open the slowest trace in SigNoz: look for a slow ' +
        'DynamoDB query or a telemetry export waiting on its bound.',
    },
    {
      kind: 'expression',
      id: RuleId.DYNAMODB_THROTTLES,
      title: 'DynamoDB throttled requests',
      severity: Severity.WARNING,
      fanOut: FanOut.TABLE,
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      metrics: {
        reads: {
          namespace: AwsNamespace.DYNAMODB,
          name: 'ReadThrottleEvents',
          dimensions: { TableName: Placeholder.TABLE },
          statistic: 'Sum',
        },
        writes: {
          namespace: AwsNamespace.DYNAMODB,
          name: 'WriteThrottleEvents',
          dimensions: { TableName: Placeholder.TABLE },
          statistic: 'Sum',
        },
      },
      periodSeconds: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: 1,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description:
        'The on-demand table throttled reads or writes in 2 of the last 3 five-minute periods (a hot partition ' +
        'or the account’s table throughput limit).',
      runbook:
        'Open the table’s CloudWatch Contributor Insights / metrics to find the hot key; check batch writers ' +
        '(validate_all, record_*) for bursts.',
    },
  ];
}
