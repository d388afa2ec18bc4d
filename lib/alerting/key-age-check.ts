import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { InstrumentedFunction, type TelemetrySettings } from '../instrumented-function';
import { KEY_AGE_CHECK_NAME } from './rules';

export interface KeyAgeCheckProps {
  readonly telemetry: TelemetrySettings;
  /** @default '' */
  readonly namePrefix?: string;
  /** How often the probe runs; the market-hours alarms need ≤ 5 minutes. @default 5 minutes */
  readonly every?: Duration;
}

/**
 * The monitoring probe `key-age-check`: a scheduled function (not one of the product's four) that emits the
 * SigNoz ingestion key's age from the secret's metadata, and the market clock.
 */
export class KeyAgeCheck extends Construct {
  readonly probe: InstrumentedFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: KeyAgeCheckProps) {
    super(scope, id);
    this.probe = new InstrumentedFunction(this, 'Probe', {
      name: KEY_AGE_CHECK_NAME,
      namePrefix: props.namePrefix ?? '',
      description:
        'Monitoring probe: SigNoz ingestion-key age (secret metadata only) and the NYSE market clock',
      telemetry: props.telemetry,
      memorySize: 256,
      timeout: Duration.seconds(20),
    });
    // Metadata only: DescribeSecret comes with the layer's grant; the version list tells a manual rotation.
    this.probe.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:ListSecretVersionIds'],
        // The secret is referenced by name: its ARN ends in Secrets Manager's random 6-character suffix.
        resources: [`${props.telemetry.ingestionKeySecret.secretArn}-??????`],
      }),
    );
    // cdk-nag: the basic execution role and the pinned runtime, with their reasons (nag.ts).
    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs key-age-check every 5 minutes (key age and market clock for the alarms)',
      schedule: Schedule.rate(props.every ?? Duration.minutes(5)),
      // A missed run is covered by the next one five minutes later; retries would only double-count.
      targets: [new LambdaFunction(this.probe.function, { retryAttempts: 0 })],
    });
  }
}
