import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ProductMetric } from '../../../lambdas/shared/names/metrics';
import { RuleId } from '../../../lib/alerting/rules';
import { DataTables } from '../../../lib/data-tables';
import { IngestionKeyRotation, type IngestionKeyRotationProps } from '../../../lib/ingestion-key-rotation';
import { asArray, type PolicyStatementJson, synthStack } from '../../support/cdk';

const ACCOUNT = '111111111111';
/** A secret referenced by name: its ARN with Secrets Manager's 6-character suffix as `??????`. */
const secretArn = (name: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, `:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-??????`],
  ],
});
const KEY_SECRET_ARN = secretArn('trading-observability/signoz-ingestion-key');
const API_SECRET_ARN = secretArn('trading-observability/signoz-api-key');

function synth(props: Partial<IngestionKeyRotationProps> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'RotationOnly', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const tables = new DataTables(stack, 'Data');
  const rotation = new IngestionKeyRotation(stack, 'IngestionKeyRotation', {
    telemetry: {
      layer: LayerVersion.fromLayerVersionArn(
        stack,
        'Layer',
        `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:otel:1`,
      ),
      otlpEndpoint: 'https://ingest.us.signoz.cloud:443',
      ingestionKeySecret: Secret.fromSecretNameV2(stack, 'Key', 'trading-observability/signoz-ingestion-key'),
      samplingConfigTable: tables.sampling,
    },
    signozApiUrl: 'https://acme.us.signoz.cloud',
    signozApiKeySecret: Secret.fromSecretNameV2(stack, 'ApiKey', 'trading-observability/signoz-api-key'),
    ...props,
  });
  return { template: Template.fromStack(stack), stack, rotation };
}

describe('IngestionKeyRotation', () => {
  const { template, stack, rotation } = synth();
  const rotatorId = stack.getLogicalId(rotation.rotator.function.node.defaultChild as never);

  it('rotates the ingestion-key secret (by name) every 90 days with the rotation function, never at deploy', () => {
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: 'trading-observability/signoz-ingestion-key',
      RotationLambdaARN: { 'Fn::GetAtt': [rotatorId, 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(90 days)' },
      RotateImmediatelyOnUpdate: false,
    });
  });

  it('lets only Secrets Manager, for this account’s ingestion-key secret, invoke the function', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [rotatorId, 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: ACCOUNT,
      SourceArn: KEY_SECRET_ARN,
    });
  });

  it('holds only the permissions its steps, the layer and its logs use: no `*`, no GetRandomPassword', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
    );
    const grants = statements.map((statement) => ({
      actions: asArray(statement.Action).sort(),
      resource: JSON.stringify(statement.Resource),
    }));
    expect(grants).toEqual([
      // The layer: read the key it exports with, read the sampling configuration.
      {
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        resource: JSON.stringify(KEY_SECRET_ARN),
      },
      { actions: ['dynamodb:GetItem'], resource: expect.stringContaining('SamplingConfig') },
      // The steps: write the pending version and the ledger, move staging labels.
      {
        actions: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resource: JSON.stringify(KEY_SECRET_ARN),
      },
      // The SigNoz API key, read only.
      { actions: ['secretsmanager:GetSecretValue'], resource: JSON.stringify(API_SECRET_ARN) },
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/GetRandomPassword|"\*"/);
  });

  it('configures the function: API URL, API key secret, a grace period beyond the layer’s key cache', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'ingestion-key-rotation',
      Timeout: 120,
      Environment: {
        Variables: Match.objectLike({
          SIGNOZ_API_URL: 'https://acme.us.signoz.cloud',
          SIGNOZ_API_KEY_SECRET: 'trading-observability/signoz-api-key',
          SIGNOZ_INGESTION_KEY_SECRET: 'trading-observability/signoz-ingestion-key',
          INGESTION_KEY_REVOCATION_GRACE_MINUTES: '30',
        }),
      },
    });
  });

  it('sweeps every 15 minutes with {"action":"revoke_retired"}', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [rotatorId, 'Arn'] },
          Input: JSON.stringify({ action: 'revoke_retired' }),
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
  });

  it('refuses a grace period within the key cache, and an API URL in clear', () => {
    expect(() => synth({ revocationGrace: Duration.minutes(15) })).toThrow(
      /must exceed the layer's 15-minute/,
    );
    expect(() => synth({ signozApiUrl: 'http://acme.us.signoz.cloud' })).toThrow(/must be https/);
  });
});

describe('the stack: rotation wired, and what pages when it fails', () => {
  const { template } = synthStack({ signozApiUrl: 'https://acme.us.signoz.cloud' });

  it('has the rotation schedule on the stack’s ingestion-key secret', () => {
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: 'trading-observability/signoz-ingestion-key',
      RotationRules: { ScheduleExpression: 'rate(90 days)' },
    });
  });

  it('pages on a failed step or sweep, and keeps the key-age alarm, paging too, one day past the rotation interval', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `trading-observability-${RuleId.KEY_ROTATION_FAILED}`,
      MetricName: ProductMetric.INGESTION_KEY_ROTATION_FAILURES,
      Namespace: 'TradingObservability',
      Statistic: 'Sum',
      Period: 900,
      EvaluationPeriods: 8,
      DatapointsToAlarm: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('CriticalTopic') })],
      OKActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('CriticalTopic') })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `trading-observability-${RuleId.KEY_AGE}`,
      Threshold: 91,
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('CriticalTopic') })],
    });
  });
});
