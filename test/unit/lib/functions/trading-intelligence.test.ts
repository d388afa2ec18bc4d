import { Match } from 'aws-cdk-lib/assertions';
import { addTradingIntelligence, RANKINGS_SCHEDULE } from '../../../../lib/functions/trading-intelligence';
import { synthFunction, synthStack } from '../../../support/cdk';

const { template } = synthFunction('TradingIntelligenceTest', addTradingIntelligence);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

function functionRoleStatements(): Statement[] {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { FunctionName: 'trading-intelligence' },
  });
  const [fn] = Object.values(functions) as Array<{
    Properties: { Role: { 'Fn::GetAtt': [string, string] } };
  }>;
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: Statement[] } } }
  >;
  return Object.values(policies)
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** The logical id of a table resource referenced by a statement (Fn::GetAtt [id, Arn] or a Join of it). */
function tableIdsOf(statement: Statement): string[] {
  const text = JSON.stringify(statement.Resource);
  return [...text.matchAll(/"(Data(?:Market|Rankings|SamplingConfig)Table[0-9A-F]+)"/g)].map(
    (m) => m[1] as string,
  );
}

describe('trading-intelligence CDK wiring', () => {
  it('schedules scheduled_rankings every 15 minutes through the regular session in America/New_York', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Array<{
      Properties: {
        ScheduleExpression: string;
        ScheduleExpressionTimezone: string;
        State: string;
        Target: { Input: string; RetryPolicy: Record<string, number>; DeadLetterConfig: { Arn: unknown } };
      };
    }>;
    expect(schedules.map((s) => s.Properties.ScheduleExpression).sort()).toEqual([
      'cron(0/15 10-15 ? * MON-FRI *)',
      'cron(30/15 9 ? * MON-FRI *)',
    ]);
    for (const { Properties: p } of schedules) {
      expect(p.ScheduleExpressionTimezone).toBe('America/New_York');
      expect(p.State).toBe('ENABLED');
      expect(JSON.parse(p.Target.Input)).toEqual({
        action: 'scheduled_rankings',
        scheduledTime: '<aws.scheduler.scheduled-time>',
      });
      expect(p.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 2 });
      expect(p.Target.DeadLetterConfig.Arn).toBeDefined();
    }
    expect(RANKINGS_SCHEDULE.expressions).toEqual({
      Opening: 'cron(30/15 9 ? * MON-FRI *)',
      Session: 'cron(0/15 10-15 ? * MON-FRI *)',
    });
  });

  it('the schedules target the function, and Lambda async failures go to the same dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 900,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    // The Scheduler's role may invoke the function only.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunction', Effect: 'Allow' })]),
      },
    });
  });

  it("the function's role has exactly the table actions it uses: market Query; rankings Query + BatchWriteItem", () => {
    const statements = functionRoleStatements();
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const byTable = new Map<string, Set<string>>();
    for (const s of dynamo) {
      const ids = tableIdsOf(s);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        const key = id.replace(/Table[0-9A-F]+$/, '');
        const set = byTable.get(key) ?? new Set<string>();
        for (const a of actionsOf(s)) set.add(a);
        byTable.set(key, set);
      }
    }
    expect(Object.fromEntries([...byTable].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      DataMarket: ['dynamodb:Query'],
      DataRankings: ['dynamodb:BatchWriteItem', 'dynamodb:Query'],
      // Every function reads the sampler's configuration (the layer): GetItem only.
      DataSamplingConfig: ['dynamodb:GetItem'],
    });
    const all = statements.flatMap(actionsOf);
    expect(all).not.toContain('dynamodb:Scan');
    expect(all.some((a) => a === '*' || a === 'dynamodb:*' || a.endsWith(':*'))).toBe(false);
    // Beyond DynamoDB: the ingestion key secret (read) and the dead-letter queue (send) only.
    const others = [...new Set(all.filter((a) => !a.startsWith('dynamodb:')))].sort();
    expect(others).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
  });
});

describe('trading-intelligence in TradingObservabilityStack', () => {
  it('the composed stack carries the two ranking schedules in America/New_York', () => {
    const { template: full } = synthStack();
    const expressions = Object.values(
      full.findResources('AWS::Scheduler::Schedule') as Record<
        string,
        { Properties: { ScheduleExpression: string; ScheduleExpressionTimezone: string } }
      >,
    )
      .filter((s) => s.Properties.ScheduleExpressionTimezone === 'America/New_York')
      .map((s) => s.Properties.ScheduleExpression)
      .sort();
    expect(expressions).toEqual(expect.arrayContaining(Object.values(RANKINGS_SCHEDULE.expressions)));
  });
});
