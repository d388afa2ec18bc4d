/**
 * Which models and symbols are alerting, for the person paged: the tracker logs one line per alerting group
 * (lambdas/shared/names/logs.ts); a Logs Insights query lists the latest of them, and a Contributor Insights rule
 * over the same lines ranks the groups over time on the dashboard. Both cost what the log lines cost (a bounded
 * number per validate_all), whatever the number of models.
 */
import { Aws, Stack } from 'aws-cdk-lib';
import { CfnInsightRule, ConcreteWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { QueryString } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { GroupAlertLog, GroupAlertRun } from '../../lambdas/shared/names/logs';

/** The tracker's group lines of the alarms' own (scheduled) run. */
const ALARM_RUN_LINES = `message = "${GroupAlertLog.MESSAGE}" and ${GroupAlertLog.RUN} = "${GroupAlertRun.ALARM}"`;

/** The latest reading of every alerting group: rule, kind, group, n, hit rate, upper bound, ECE, when last seen. */
export function alertingGroupsQuery(): QueryString {
  const { RULE, KIND, GROUP, N, HIT_RATE, UPPER_BOUND, ECE } = GroupAlertLog;
  return new QueryString({
    filterStatements: [ALARM_RUN_LINES],
    statsStatements: [
      `latest(${N}) as n, latest(${HIT_RATE}) as hitRate, latest(${UPPER_BOUND}) as upperBound, ` +
        `latest(${ECE}) as ece, max(@timestamp) as lastSeen by ${RULE}, ${KIND}, ${GROUP}`,
    ],
    sort: 'lastSeen desc',
    limit: 200,
  });
}

export interface AlertingGroupsInsightRuleProps {
  /** `<namePrefix>trading-observability`: the rule is `<prefix>-alerting-groups`. */
  readonly namePrefix: string;
  /** The dual-accuracy-tracker's log group. */
  readonly trackerLogGroup: ILogGroup;
}

/** A Contributor Insights rule counting the tracker's alerting-group lines by rule, kind and group. */
export class AlertingGroupsInsightRule {
  readonly ruleName: string;
  readonly rule: CfnInsightRule;

  constructor(scope: Construct, props: AlertingGroupsInsightRuleProps) {
    this.ruleName = `${props.namePrefix}-alerting-groups`;
    this.rule = new CfnInsightRule(scope, 'AlertingGroupsInsightRule', {
      ruleName: this.ruleName,
      ruleState: 'ENABLED',
      ruleBody: Stack.of(scope).toJsonString({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: [props.trackerLogGroup.logGroupName],
        LogFormat: 'JSON',
        Contribution: {
          Keys: [`$.${GroupAlertLog.RULE}`, `$.${GroupAlertLog.KIND}`, `$.${GroupAlertLog.GROUP}`],
          Filters: [
            { Match: '$.message', In: [GroupAlertLog.MESSAGE] },
            { Match: `$.${GroupAlertLog.RUN}`, In: [GroupAlertRun.ALARM] },
          ],
        },
        AggregateOn: 'Count',
      }),
    });
  }
}

export interface ContributorInsightsWidgetProps {
  readonly title: string;
  readonly ruleName: string;
  /** @default 10 */
  readonly maxContributorCount?: number;
  /** @default 12 */
  readonly width?: number;
  /** @default 6 */
  readonly height?: number;
}

/** A dashboard graph of a Contributor Insights rule's top contributors (CloudWatch's `insightRule` widget). */
export class ContributorInsightsWidget extends ConcreteWidget {
  constructor(private readonly props: ContributorInsightsWidgetProps) {
    super(props.width ?? 12, props.height ?? 6);
  }

  toJson(): unknown[] {
    return [
      {
        type: 'metric',
        width: this.width,
        height: this.height,
        x: this.x,
        y: this.y,
        properties: {
          view: 'timeSeries',
          title: this.props.title,
          region: Aws.REGION,
          insightRule: {
            maxContributorCount: this.props.maxContributorCount ?? 10,
            orderBy: 'Sum',
            ruleName: this.props.ruleName,
          },
          legend: { position: 'right' },
          period: 900,
          stat: 'Sum',
        },
      },
    ];
  }
}
