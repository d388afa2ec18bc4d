import { Annotations, Stack } from 'aws-cdk-lib';
import type { Alarm, CompositeAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { Severity } from './rules';

export interface AlarmTopicsProps {
  /** `<namePrefix>trading-observability`: the topics are `<prefix>-critical` and `<prefix>-warning`. */
  readonly namePrefix: string;
  /** HTTPS endpoint for critical pages (e.g. a PagerDuty CloudWatch integration URL). @default none (a synth warning) */
  readonly pagerUrl?: string | undefined;
  /** E-mail addresses for warnings. @default none (a synth info line) */
  readonly warningEmails?: readonly string[];
}

/**
 * Where alarms go: encrypted critical (pages) and warning SNS topics with their subscriptions. Built in the given
 * scope, not a child of its own: the topics keep their CloudFormation logical ids (their names are fixed, so a new
 * logical id would make an update create a second topic of the same name and fail).
 */
export class AlarmTopics {
  readonly criticalTopic: Topic;
  readonly warningTopic: Topic;

  constructor(scope: Construct, props: AlarmTopicsProps) {
    const key = new Key(scope, 'TopicKey', {
      description: 'Encrypts the trading-observability alarm topics',
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to the encrypted topics: they need the key (AWS: "SNS topic encryption" docs).
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
      }),
    );
    this.criticalTopic = new Topic(scope, 'CriticalTopic', {
      topicName: `${props.namePrefix}-critical`,
      displayName: 'trading-observability critical (pages on-call)',
      masterKey: key,
      enforceSSL: true,
    });
    this.warningTopic = new Topic(scope, 'WarningTopic', {
      topicName: `${props.namePrefix}-warning`,
      displayName: 'trading-observability warnings',
      masterKey: key,
      enforceSSL: true,
    });
    this.subscribe(props);
  }

  topicFor(severity: Severity): Topic {
    return severity === Severity.CRITICAL ? this.criticalTopic : this.warningTopic;
  }

  /** ALARM actions to the severity's topic; critical alarms also send OK, so that the pager resolves by itself. */
  wireActions(alarm: Alarm | CompositeAlarm, severity: Severity): void {
    const action = new SnsAction(this.topicFor(severity));
    alarm.addAlarmAction(action);
    if (severity === Severity.CRITICAL) alarm.addOkAction(action);
  }

  private subscribe(props: AlarmTopicsProps): void {
    if (props.pagerUrl) {
      this.criticalTopic.addSubscription(new UrlSubscription(props.pagerUrl));
    } else {
      Annotations.of(this.criticalTopic).addWarningV2(
        'trading-observability:no-pager',
        'No pager subscription: critical alarms page nobody. Deploy with -c pagerUrl=https://… (e.g. a PagerDuty ' +
          'CloudWatch integration URL).',
      );
    }
    const emails = props.warningEmails ?? [];
    for (const email of emails) this.warningTopic.addSubscription(new EmailSubscription(email));
    if (emails.length === 0) {
      Annotations.of(this.warningTopic).addInfo(
        'No e-mail subscription for warnings: deploy with -c warningEmails=a@example.com,b@example.com.',
      );
    }
  }
}
