import { Annotations, Stack } from 'aws-cdk-lib';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { FunctionName } from '../../lambdas/shared/names/functions';
import type { DataTables } from '../data-tables';
import type { InstrumentedFunction, TelemetrySettings } from '../instrumented-function';
import type { StackSettings } from '../settings';
import { type AlarmTargets, DEFAULT_TIMEOUT_MS, planAlarms } from './alarm-plan';
import { AlarmTopics } from './alarm-topics';
import { AlertingGroupsInsightRule } from './alerting-groups';
import { InsightsQueries } from './insights-queries';
import { KeyAgeCheck } from './key-age-check';
import { MonitoringDashboard } from './monitoring-dashboard';
import { acknowledgeStackFindings, type NagAcknowledgement } from './nag';
import { type BuiltAlarm, RuleAlarms } from './rule-alarms';
import {
  type AlertParams,
  type AlertRule,
  buildAlertRules,
  DEFAULT_ALERT_PARAMS,
  KEY_AGE_CHECK_NAME,
  type MonitoredFunction,
} from './rules';

export { AlarmWiringError, type BuiltAlarm } from './rule-alarms';

export interface StackMonitoringProps {
  readonly settings: StackSettings;
  readonly functions: Readonly<Record<FunctionName, InstrumentedFunction>>;
  readonly tables: DataTables;
  readonly telemetry: TelemetrySettings;
  /** @default `alertParamsFrom(settings, this)` */
  readonly params?: AlertParams;
  /** @default the rules of `buildAlertRules(params)` */
  readonly rules?: readonly AlertRule[];
}

/** Parameters of the rules from stack settings, plus `marketDataMaxLagMinutes` from context. */
export function alertParamsFrom(settings: StackSettings, scope: Construct): AlertParams {
  const lag = Number(
    scope.node.tryGetContext('marketDataMaxLagMinutes') ?? DEFAULT_ALERT_PARAMS.marketDataMaxLagMinutes,
  );
  const lagMinutes =
    Number.isInteger(lag) && lag >= 1 && lag <= 24 * 60 ? lag : DEFAULT_ALERT_PARAMS.marketDataMaxLagMinutes;
  if (lagMinutes !== lag) {
    Annotations.of(scope).addWarningV2(
      'trading-observability:market-data-lag',
      `context marketDataMaxLagMinutes="${String(lag)}" is not a whole number of minutes in 1..1440; using ${lagMinutes}`,
    );
  }
  return {
    ...DEFAULT_ALERT_PARAMS,
    serviceName: settings.serviceName,
    tracingBudgetPerDay: settings.tracingBudgetPerDay,
    watchlist: settings.metricSymbolWatchlist,
    modelWatchlist: settings.metricModelWatchlist,
    marketDataMaxLagMinutes: lagMinutes,
  };
}

/**
 * Paging for on-call: the alarm topics, every alarm of `rules.ts` as alarm-plan.ts plans it (burn-rate composites,
 * suppressors), the key-age/market-clock probe, the CloudWatch dashboard and the Logs Insights queries — one class
 * per concern, each building into this construct so that resources keep their logical ids.
 */
export class StackMonitoring extends Construct {
  readonly criticalTopic: Topic;
  readonly warningTopic: Topic;
  readonly keyAgeCheck: KeyAgeCheck;
  readonly rules: readonly AlertRule[];
  readonly params: AlertParams;
  readonly alarms: readonly BuiltAlarm[];
  readonly nagAcknowledgements: readonly NagAcknowledgement[];
  private readonly ruleAlarms: RuleAlarms;

  constructor(scope: Construct, id: string, props: StackMonitoringProps) {
    super(scope, id);
    const { settings } = props;
    const namePrefix = `${settings.namePrefix}trading-observability`;
    this.params = props.params ?? alertParamsFrom(settings, this);
    this.rules = props.rules ?? buildAlertRules(this.params);

    const topics = new AlarmTopics(this, {
      namePrefix,
      pagerUrl: settings.pagerUrl,
      warningEmails: settings.warningEmails,
    });
    this.criticalTopic = topics.criticalTopic;
    this.warningTopic = topics.warningTopic;

    this.keyAgeCheck = new KeyAgeCheck(this, 'KeyAgeCheck', {
      telemetry: props.telemetry,
      namePrefix: settings.namePrefix,
    });
    const monitored = new Map<MonitoredFunction, InstrumentedFunction>([
      ...(Object.entries(props.functions) as Array<[FunctionName, InstrumentedFunction]>),
      [KEY_AGE_CHECK_NAME, this.keyAgeCheck.probe],
    ]);
    // cdk-nag findings in constructs owned elsewhere, acknowledged with reasons until their owners move them.
    this.nagAcknowledgements = acknowledgeStackFindings(Stack.of(this), props.functions);
    const tables: ReadonlyArray<{ id: string; table: TableV2 }> = [
      { id: 'market', table: props.tables.market },
      { id: 'rankings', table: props.tables.rankings },
      { id: 'sampling', table: props.tables.sampling },
    ];

    const targets: AlarmTargets = {
      serviceName: this.params.serviceName,
      functions: [...monitored].map(([name, fn]) => ({
        name,
        functionName: fn.functionName,
        timeoutMs: fn.function.timeout?.toMilliseconds() ?? DEFAULT_TIMEOUT_MS,
      })),
      tables: tables.map(({ id, table }) => ({ id, tableName: table.tableName })),
      watchlist: this.params.watchlist,
    };
    this.ruleAlarms = new RuleAlarms(this, {
      namePrefix,
      plan: planAlarms(this.rules, targets),
      topics,
    });
    this.alarms = this.ruleAlarms.alarms;

    const trackerLogGroup = props.functions['dual-accuracy-tracker'].logGroup;
    const insightRule = new AlertingGroupsInsightRule(this, { namePrefix, trackerLogGroup });
    new MonitoringDashboard(this, {
      namePrefix,
      params: this.params,
      notifyingAlarms: this.notifyingAlarms(),
      functions: monitored,
      tables,
      alertingGroups: { trackerLogGroup, insightRuleName: insightRule.ruleName },
    });
    new InsightsQueries(this, {
      namePrefix,
      logGroups: [...monitored.values()].map((fn) => fn.logGroup),
      trackerLogGroup,
    });
  }

  /** The alarms that notify, by rule id (a rule with fan-out and per-member notification has several). */
  notifyingAlarms(ruleId?: string): IAlarm[] {
    return this.ruleAlarms.notifying(ruleId);
  }
}
