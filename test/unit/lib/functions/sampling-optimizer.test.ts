import { Match } from 'aws-cdk-lib/assertions';
import { addSamplingOptimizer, OPTIMIZER_SCHEDULE } from '../../../../lib/functions/sampling-optimizer';
import { synthFunction } from '../../../support/cdk';

const { template } = synthFunction('SamplingOptimizerTest', addSamplingOptimizer);
type Statement = { Action: string | string[]; Resource: unknown };

function roleStatements(): Statement[] {
  const [fn] = Object.values(
    template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'sampling-optimizer' } }),
  ) as Array<{ Properties: { Role: { 'Fn::GetAtt': [string, string] } } }>;
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{
    Properties: { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: Statement[] } };
  }>;
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('sampling-optimizer CDK wiring', () => {
  it('runs optimize every 15 minutes (UTC quarter-hours) with the scheduled time filled in by Scheduler', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0/15 * * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      Target: Match.objectLike({
        RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Array<{
      Properties: { Target: { Input: string } };
    }>;
    expect(JSON.parse(schedule?.Properties.Target.Input ?? '{}')).toEqual({
      action: 'optimize',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    expect(OPTIMIZER_SCHEDULE.expressions).toEqual({ Quarterly: 'cron(0/15 * * * ? *)' });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 900,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('reads CloudWatch metrics (GetMetricData needs "*") and only Queries and Puts the sampling table', () => {
    const statements = roleStatements();
    const metricsStatement = statements.find((s) => actionsOf(s).includes('cloudwatch:GetMetricData'));
    expect(metricsStatement?.Resource).toBe('*');
    expect(actionsOf(metricsStatement as Statement)).toEqual(['cloudwatch:GetMetricData']);
    const dynamo = statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:'));
    // GetItem comes with the layer (every function reads the current configuration).
    expect(new Set(dynamo)).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem']));
    const tables = new Set(
      statements
        .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))
        .flatMap((s) =>
          [...JSON.stringify(s.Resource).matchAll(/"(Data\w*Table[0-9A-F]+)"/g)].map((m) => m[1]),
        ),
    );
    expect(tables.size).toBe(1);
    expect([...tables][0]).toMatch(/Sampling/);
  });

  it('configures the budget, the sampling table and CloudWatch as the metrics source', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sampling-optimizer',
      Environment: {
        Variables: Match.objectLike({
          TRACING_BUDGET_PER_DAY: '60',
          SAMPLING_METRICS_SOURCE: 'cloudwatch',
          SAMPLING_CONFIG_TABLE: Match.anyValue(),
          OTEL_SERVICE_NAME: 'stock_analytics',
        }),
      },
    });
  });
});
