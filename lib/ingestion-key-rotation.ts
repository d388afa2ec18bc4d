import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnRotationSchedule, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { RotationEnv } from '../lambdas/ingestion-key-rotation/env';
import { SWEEP_ACTION } from '../lambdas/ingestion-key-rotation/events';
import { INGESTION_KEY_ROTATION_DAYS } from './alerting/alert-params';
import { InstrumentedFunction, type TelemetrySettings } from './instrumented-function';

export const INGESTION_KEY_ROTATION_NAME = 'ingestion-key-rotation' as const;

/** The layer re-reads the ingestion key every 15 minutes (layers/otel/src/ingestion-key.ts). */
const LAYER_KEY_CACHE = Duration.minutes(15);

export interface IngestionKeyRotationProps {
  readonly telemetry: TelemetrySettings;
  /** Base URL of the SigNoz workspace's API (https://<tenant>.<region>.signoz.cloud); unset, rotations fail. */
  readonly signozApiUrl: string | undefined;
  /** The secret that holds a SigNoz API key (role Editor or Admin), created outside the stack. */
  readonly signozApiKeySecret: ISecret;
  /** @default '' */
  readonly namePrefix?: string;
  /** @default Duration.days(INGESTION_KEY_ROTATION_DAYS), i.e. 90 days */
  readonly rotateEvery?: Duration;
  /** How long a replaced key stays valid; must exceed the layer's 15-minute key cache. @default 30 minutes */
  readonly revocationGrace?: Duration;
  /** How often the sweep looks for replaced keys whose grace period has passed. @default 15 minutes */
  readonly sweepEvery?: Duration;
}

/**
 * Rotation of the SigNoz ingestion key: the rotation function (lambdas/ingestion-key-rotation), a Secrets
 * Manager rotation schedule on the ingestion-key secret, and the sweep that revokes replaced keys after the
 * grace period.
 *
 * The ingestion-key secret is created outside the stack and referenced by name, so the schedule is the L1
 * `AWS::SecretsManager::RotationSchedule` with `SecretId` = the secret's name (unambiguous, unlike the partial
 * ARN a name reference yields), not `secret.addRotationSchedule()`: the L2 also grants
 * `secretsmanager:GetRandomPassword` on `*`, which this function never calls. The grants here are the ones the
 * steps use, on that one secret. `RotateImmediatelyOnUpdate: false`: a deploy only makes Secrets Manager run
 * testSecret (nothing changes); the first rotation is on schedule or `aws secretsmanager rotate-secret`.
 */
export class IngestionKeyRotation extends Construct {
  readonly rotator: InstrumentedFunction;
  readonly schedule: CfnRotationSchedule;
  readonly sweep: Rule;

  constructor(scope: Construct, id: string, props: IngestionKeyRotationProps) {
    super(scope, id);
    const { telemetry } = props;
    const rotateEvery = props.rotateEvery ?? Duration.days(INGESTION_KEY_ROTATION_DAYS);
    const grace = props.revocationGrace ?? Duration.minutes(30);
    if (grace.toMinutes() <= LAYER_KEY_CACHE.toMinutes()) {
      throw new Error(
        `revocationGrace (${grace.toMinutes()} min) must exceed the layer's ${LAYER_KEY_CACHE.toMinutes()}-minute key cache`,
      );
    }
    if (props.signozApiUrl !== undefined && !/^https:\/\//.test(props.signozApiUrl)) {
      throw new Error(
        `signozApiUrl must be https:// (the SigNoz API key travels in its header): ${props.signozApiUrl}`,
      );
    }
    if (props.signozApiUrl === undefined) {
      Annotations.of(this).addWarningV2(
        'trading-observability:no-signoz-api-url',
        'No SigNoz API URL: ingestion-key rotations will fail (and warn). Deploy with ' +
          '-c signozApiUrl=https://<tenant>.<region>.signoz.cloud',
      );
    }

    this.rotator = new InstrumentedFunction(this, 'Rotator', {
      name: INGESTION_KEY_ROTATION_NAME,
      namePrefix: props.namePrefix ?? '',
      description:
        'Rotates the SigNoz ingestion key (Secrets Manager rotation steps) and revokes replaced keys',
      telemetry,
      memorySize: 256,
      // testSecret may wait for a new key to propagate (5 attempts, 2 s apart); SigNoz calls are bounded at 10 s.
      timeout: Duration.minutes(2),
      environment: {
        ...(props.signozApiUrl ? { [RotationEnv.SIGNOZ_API_URL]: props.signozApiUrl } : {}),
        [RotationEnv.SIGNOZ_API_KEY_SECRET]: props.signozApiKeySecret.secretName,
        [RotationEnv.REVOCATION_GRACE_MINUTES]: String(grace.toMinutes()),
      },
    });
    const fn = this.rotator.function;
    // Referenced by name: the ARN ends in Secrets Manager's random 6-character suffix.
    const ingestionKeyArn = `${telemetry.ingestionKeySecret.secretArn}-??????`;
    // The layer's grant (InstrumentedFunction) already reads the secret; the steps also write versions and labels.
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'RotateIngestionKeySecret',
        actions: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: [ingestionKeyArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadSignozApiKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [`${props.signozApiKeySecret.secretArn}-??????`],
      }),
    );
    // Only Secrets Manager, for this account's ingestion-key secret, may invoke the function (confused deputy).
    fn.addPermission('SecretsManagerInvoke', {
      principal: new ServicePrincipal('secretsmanager.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: Stack.of(this).account,
      sourceArn: ingestionKeyArn,
    });

    this.schedule = new CfnRotationSchedule(this, 'Schedule', {
      secretId: telemetry.ingestionKeySecret.secretName,
      rotationLambdaArn: fn.functionArn,
      rotationRules: { scheduleExpression: `rate(${rotateEvery.toDays()} days)` },
      rotateImmediatelyOnUpdate: false,
    });
    // Secrets Manager checks that it may invoke the function when the schedule is created.
    this.schedule.node.addDependency(fn.permissionsNode.findChild('SecretsManagerInvoke'));

    this.sweep = new Rule(this, 'Sweep', {
      description: `Revokes replaced SigNoz ingestion keys ${grace.toMinutes()} minutes after their rotation`,
      schedule: Schedule.rate(props.sweepEvery ?? Duration.minutes(15)),
      targets: [
        new LambdaFunction(fn, {
          event: RuleTargetInput.fromObject({ action: SWEEP_ACTION }),
          // A missed sweep is covered by the next one; the ledger keeps what is due.
          retryAttempts: 0,
        }),
      ],
    });
  }
}
