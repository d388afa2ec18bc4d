import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmRule,
  AlarmStatusWidget,
  ComparisonOperator,
  CompositeAlarm,
  type IAlarm,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BillingMode, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { DefaultDashboardFactory, MonitoringFacade } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, VolumeMetric } from '../../layers/otel/src/constants';
import type { DataTables } from '../data-tables';
import type { FunctionName } from '../function-names';
import type { InstrumentedFunction, TelemetrySettings } from '../instrumented-function';
import type { StackSettings } from '../settings';
import { burnRateThreshold } from './burn-rate';
import { KeyAgeCheck } from './key-age-check';
import { acknowledgeStackFindings, type NagAcknowledgement } from './nag';
import {
  AlertMetric,
  type AlertParams,
  type AlertRule,
  type BurnRateRule,
  type BurnRateTier,
  buildAlertRules,
  burnRateSli,
  Comparison,
  DEFAULT_ALERT_PARAMS,
  type ExpressionRule,
  FanOut,
  KEY_AGE_CHECK_NAME,
  type MetricRef,
  MissingData,
  type MonitoredFunction,
  resolveDimensions,
  Severity,
  type ThresholdRule,
} from './rules';

const COMPARISON: Record<Comparison, ComparisonOperator> = {
  [Comparison.GT]: ComparisonOperator.GREATER_THAN_THRESHOLD,
  [Comparison.GTE]: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  [Comparison.LT]: ComparisonOperator.LESS_THAN_THRESHOLD,
  [Comparison.LTE]: ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

const MISSING: Record<MissingData, TreatMissingData> = {
  [MissingData.NOT_BREACHING]: TreatMissingData.NOT_BREACHING,
  [MissingData.BREACHING]: TreatMissingData.BREACHING,
  [MissingData.IGNORE]: TreatMissingData.IGNORE,
  [MissingData.MISSING]: TreatMissingData.MISSING,
};

/** CloudWatch limits an alarm description to 1024 characters. */
const DESCRIPTION_LIMIT = 1024;

/** How long a composite waits for its suppressor, and keeps silent after the suppressor clears. */
const SUPPRESSOR_WAIT = Duration.minutes(2);
const SUPPRESSOR_EXTENSION = Duration.minutes(15);

export interface StackMonitoringProps {
  readonly settings: StackSettings;
  readonly functions: Readonly<Record<FunctionName, InstrumentedFunction>>;
  readonly tables: DataTables;
  readonly telemetry: TelemetrySettings;
  /** @default the rules of `buildAlertRules(alertParamsFrom(settings, context))` */
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
    marketDataMaxLagMinutes: lagMinutes,
  };
}

/** One built alarm of a rule, for tests, the dashboard and the runbook. */
export interface BuiltAlarm {
  readonly ruleId: string;
  readonly alarm: IAlarm;
  readonly severity: Severity;
  /** true when this alarm sends notifications (members of composites do not). */
  readonly notifies: boolean;
}

/**
 * Paging for on-call: encrypted critical/warning SNS topics, every alarm of `rules.ts`, the burn-rate composites
 * with their suppressors, the key-age/market-clock probe, the CloudWatch dashboard and Logs Insights queries.
 */
export class StackMonitoring extends Construct {
  readonly criticalTopic: Topic;
  readonly warningTopic: Topic;
  readonly keyAgeCheck: KeyAgeCheck;
  readonly rules: readonly AlertRule[];
  readonly params: AlertParams;
  readonly alarms: BuiltAlarm[] = [];
  readonly nagAcknowledgements: readonly NagAcknowledgement[];
  /** The alarm whose state silences rules that name this rule in `suppressedBy`. */
  private readonly suppressors = new Map<string, IAlarm>();
  private readonly namePrefix: string;
  private readonly monitored: ReadonlyMap<MonitoredFunction, InstrumentedFunction>;
  private readonly tables: ReadonlyArray<{ id: string; table: TableV2 }>;

  constructor(scope: Construct, id: string, props: StackMonitoringProps) {
    super(scope, id);
    const { settings } = props;
    this.namePrefix = `${settings.namePrefix}trading-observability`;
    this.params = alertParamsFrom(settings, this);
    this.rules = props.rules ?? buildAlertRules(this.params);

    const key = new Key(this, 'TopicKey', {
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
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.criticalTopic = new Topic(this, 'CriticalTopic', {
      topicName: `${this.namePrefix}-critical`,
      displayName: 'trading-observability critical (pages on-call)',
      masterKey: key,
      enforceSSL: true,
    });
    this.warningTopic = new Topic(this, 'WarningTopic', {
      topicName: `${this.namePrefix}-warning`,
      displayName: 'trading-observability warnings',
      masterKey: key,
      enforceSSL: true,
    });
    this.subscribe(settings);

    this.keyAgeCheck = new KeyAgeCheck(this, 'KeyAgeCheck', {
      telemetry: props.telemetry,
      namePrefix: settings.namePrefix,
    });
    this.monitored = new Map<MonitoredFunction, InstrumentedFunction>([
      ...(Object.entries(props.functions) as Array<[FunctionName, InstrumentedFunction]>),
      [KEY_AGE_CHECK_NAME, this.keyAgeCheck.probe],
    ]);
    // cdk-nag findings in constructs owned elsewhere, acknowledged with reasons until their owners move them.
    this.nagAcknowledgements = acknowledgeStackFindings(Stack.of(this), props.functions);
    this.tables = [
      { id: 'market', table: props.tables.market },
      { id: 'rankings', table: props.tables.rankings },
      { id: 'sampling', table: props.tables.sampling },
    ];

    // Rules that others' suppressors point at are built first.
    const ordered = [...this.rules].sort(
      (a, b) => Number(Boolean(a.suppressedBy)) - Number(Boolean(b.suppressedBy)),
    );
    for (const rule of ordered) {
      if (rule.kind === 'burn-rate') this.addBurnRate(rule);
      else this.addRule(rule);
    }
    this.addDashboard();
    this.addQueries();
  }

  /** The alarms that notify, by rule id (a rule with fan-out and per-member notification has several). */
  notifyingAlarms(ruleId?: string): IAlarm[] {
    return this.alarms
      .filter((a) => a.notifies && (ruleId === undefined || a.ruleId === ruleId))
      .map((a) => a.alarm);
  }

  private subscribe(settings: StackSettings): void {
    if (settings.pagerUrl) {
      this.criticalTopic.addSubscription(new UrlSubscription(settings.pagerUrl));
    } else {
      Annotations.of(this.criticalTopic).addWarningV2(
        'trading-observability:no-pager',
        'No pager subscription: critical alarms page nobody. Deploy with -c pagerUrl=https://… (e.g. a PagerDuty ' +
          'CloudWatch integration URL).',
      );
    }
    for (const email of settings.warningEmails)
      this.warningTopic.addSubscription(new EmailSubscription(email));
    if (settings.warningEmails.length === 0) {
      Annotations.of(this.warningTopic).addInfo(
        'No e-mail subscription for warnings: deploy with -c warningEmails=a@example.com,b@example.com.',
      );
    }
  }

  private topicFor(severity: Severity): Topic {
    return severity === Severity.CRITICAL ? this.criticalTopic : this.warningTopic;
  }

  private wireActions(alarm: Alarm | CompositeAlarm, severity: Severity): void {
    const action = new SnsAction(this.topicFor(severity));
    alarm.addAlarmAction(action);
    // Critical alarms also send OK, so that the pager resolves the incident by itself.
    if (severity === Severity.CRITICAL) alarm.addOkAction(action);
  }

  private description(rule: AlertRule, subject?: string): string {
    const text =
      `[${rule.severity.toUpperCase()}] ${rule.title}${subject ? ` (${subject})` : ''}. ${rule.description} ` +
      `First step: ${rule.runbook} Runbook: docs/runbook.md, section "${rule.id}".`;
    return text.length <= DESCRIPTION_LIMIT ? text : `${text.slice(0, DESCRIPTION_LIMIT - 1)}…`;
  }

  private metric(ref: MetricRef, period: Duration, target: Target): Metric {
    return new Metric({
      namespace: ref.namespace,
      metricName: ref.name,
      dimensionsMap: resolveDimensions(ref, { service: this.params.serviceName, ...target.values }),
      statistic: ref.statistic,
      period,
    });
  }

  private targets(rule: AlertRule): Target[] {
    switch (rule.fanOut) {
      case FanOut.FUNCTION:
        return [...this.monitored].map(([name, fn]) => ({
          key: name,
          values: { function: fn.functionName },
          timeoutMs: fn.function.timeout?.toMilliseconds() ?? DEFAULT_TIMEOUT_MS,
        }));
      case FanOut.TABLE:
        return this.tables.map(({ id, table }) => ({ key: id, values: { table: table.tableName } }));
      case FanOut.WATCHED_SYMBOL:
        return this.params.watchlist.map((symbol) => ({ key: symbol, values: { symbol } }));
      default:
        return [{ key: '', values: {} }];
    }
  }

  private addRule(rule: ThresholdRule | ExpressionRule): void {
    const period = Duration.seconds(rule.periodSeconds);
    const targets = this.targets(rule);
    const suppressor = rule.suppressedBy ? this.suppressors.get(rule.suppressedBy) : undefined;
    if (rule.suppressedBy && !suppressor) {
      throw new AlertWiringError(`rule ${rule.id}: its suppressor ${rule.suppressedBy} is not built`);
    }
    // Notification goes through a composite when it must be suppressible, or once for any member.
    const wrapped = suppressor !== undefined || (rule.notify === 'any' && targets.length > 1);
    const members = targets.map((target) => {
      const metric: IMetric =
        rule.kind === 'threshold'
          ? this.metric(rule.metric, period, target)
          : new MathExpression({
              expression: rule.expression,
              usingMetrics: Object.fromEntries(
                Object.entries(rule.metrics).map(([metricId, ref]) => [
                  metricId,
                  this.metric(ref, period, target),
                ]),
              ),
              period,
              label: rule.id,
            });
      const threshold =
        rule.kind === 'threshold' && rule.thresholdUnit === 'fraction-of-timeout'
          ? Math.round(rule.threshold * (target.timeoutMs ?? DEFAULT_TIMEOUT_MS))
          : rule.threshold;
      // Metric and composite alarms share one name space: a lone member of a composite gets a suffix.
      const suffix = target.key ? `-${target.key}` : wrapped ? '-signal' : '';
      return new Alarm(this, `${pascal(rule.id)}${pascal(target.key)}`, {
        alarmName: `${this.namePrefix}-${rule.id}${suffix}`,
        alarmDescription: this.description(rule, target.key || undefined),
        metric,
        threshold,
        comparisonOperator: COMPARISON[rule.comparison],
        evaluationPeriods: rule.evaluationPeriods,
        datapointsToAlarm: rule.datapointsToAlarm,
        treatMissingData: MISSING[rule.missingData],
      });
    });
    if (!wrapped) {
      for (const alarm of members) {
        this.wireActions(alarm, rule.severity);
        this.alarms.push({ ruleId: rule.id, alarm, severity: rule.severity, notifies: true });
      }
      const only = members[0];
      if (members.length === 1 && only) this.suppressors.set(rule.id, only);
      return;
    }
    for (const alarm of members) {
      this.alarms.push({ ruleId: rule.id, alarm, severity: rule.severity, notifies: false });
    }
    const composite = new CompositeAlarm(this, `${pascal(rule.id)}Notify`, {
      compositeAlarmName: `${this.namePrefix}-${rule.id}`,
      alarmDescription: this.description(rule, members.length > 1 ? 'any member alarm' : undefined),
      alarmRule: AlarmRule.anyOf(...members),
      ...suppressedBy(suppressor),
    });
    this.wireActions(composite, rule.severity);
    this.alarms.push({ ruleId: rule.id, alarm: composite, severity: rule.severity, notifies: true });
    this.suppressors.set(rule.id, composite);
  }

  /** The SLI of `rules.ts` (`burnRateSli`) over one window, with each function's deployed name. */
  private sliExpression(rule: BurnRateRule, window: Duration, minSamples: number): MathExpression {
    const sli = burnRateSli(rule, minSamples);
    const usingMetrics: Record<string, IMetric> = {};
    for (const { id, function: name, metric } of sli.metrics) {
      const fn = this.monitored.get(name);
      if (!fn) throw new AlertWiringError(`rule ${rule.id}: unknown function ${name}`);
      usingMetrics[id] = this.metric(metric, window, { key: name, values: { function: fn.functionName } });
    }
    return new MathExpression({
      expression: sli.expression,
      usingMetrics,
      period: window,
      label: `${rule.id} bad ratio`,
    });
  }

  private addBurnRate(rule: BurnRateRule): void {
    const composites: CompositeAlarm[] = [];
    // "Any of these tiers" composites, by member list: the ticket tier's suppressor is also the rule's.
    const anyOf = new Map<string, IAlarm>();
    const anyOfTiers = (tiers: readonly CompositeAlarm[]): IAlarm | undefined => {
      const only = tiers[0];
      if (tiers.length <= 1) return only;
      const names = tiers.map((tier) => tier.node.id.replace(pascal(rule.id), '').toLowerCase());
      const key = names.join('-');
      let composite = anyOf.get(key);
      if (!composite) {
        composite = new CompositeAlarm(this, `${pascal(rule.id)}AnyOf${pascal(key)}`, {
          compositeAlarmName: `${this.namePrefix}-${rule.id}-any-of-${key}`,
          alarmDescription: `Suppressor only, sends nothing: ALARM while any of the ${names.join(', ')} tiers of ${rule.id} is.`,
          alarmRule: AlarmRule.anyOf(...tiers),
        });
        anyOf.set(key, composite);
      }
      return composite;
    };
    rule.tiers.forEach((tier, index) => {
      const threshold = burnRateThreshold(rule.objective, tier.factor);
      const windowAlarm = (which: 'long' | 'short') => {
        const minutes = which === 'long' ? tier.longWindowMinutes : tier.shortWindowMinutes;
        return new Alarm(this, `${pascal(rule.id)}${pascal(tier.name)}${pascal(which)}`, {
          alarmName: `${this.namePrefix}-${rule.id}-${tier.name}-${which}-${minutes}m`,
          alarmDescription: this.description(
            rule,
            `${tier.factor}× burn over ${minutes} min: bad ratio ≥ ${threshold}; member of the ${tier.name} tier`,
          ),
          metric: this.sliExpression(rule, Duration.minutes(minutes), tier.minSamples[which]),
          threshold,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          // No traffic is no evidence of failure.
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
      };
      const long = windowAlarm('long');
      const short = windowAlarm('short');
      this.alarms.push(
        { ruleId: rule.id, alarm: long, severity: tier.severity, notifies: false },
        { ruleId: rule.id, alarm: short, severity: tier.severity, notifies: false },
      );
      const composite = new CompositeAlarm(this, `${pascal(rule.id)}${pascal(tier.name)}`, {
        compositeAlarmName: `${this.namePrefix}-${rule.id}-${tier.name}`,
        alarmDescription: this.description(rule, tierSubject(tier, threshold)),
        alarmRule: AlarmRule.allOf(long, short),
        // Lower tiers stay silent while a higher one fires: one incident, one page.
        ...suppressedBy(index === 0 ? undefined : anyOfTiers(composites)),
      });
      this.wireActions(composite, tier.severity);
      this.alarms.push({ ruleId: rule.id, alarm: composite, severity: tier.severity, notifies: true });
      composites.push(composite);
    });
    const paging = composites.filter((_, index) => rule.tiers[index]?.severity === Severity.CRITICAL);
    // What silences other rules' warnings (`suppressedBy: <this rule>`): any paging tier of this SLO.
    const suppressor = anyOfTiers(paging);
    if (suppressor) this.suppressors.set(rule.id, suppressor);
  }

  private addDashboard(): void {
    const service = { Service: this.params.serviceName };
    const ours = (name: string, statistic: string, label: string, period = Duration.minutes(15)) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: service,
        statistic,
        label,
        period,
      });
    const facade = new MonitoringFacade(this, 'Monitoring', {
      alarmFactoryDefaults: { alarmNamePrefix: this.namePrefix, actionsEnabled: false },
      metricFactoryDefaults: {},
      dashboardFactory: new DefaultDashboardFactory(this, 'Dashboards', {
        dashboardNamePrefix: this.namePrefix,
        createDashboard: true,
        createSummaryDashboard: false,
        createAlarmDashboard: false,
      }),
    });
    facade
      .addLargeHeader('trading-observability: alarms, models, opportunities, tracing cost, functions')
      .addWidget(
        new AlarmStatusWidget({
          title: 'Alarms that notify (runbook: docs/runbook.md)',
          alarms: this.notifyingAlarms(),
          width: 24,
          height: 6,
        }),
      )
      .monitorCustom({
        alarmFriendlyName: 'Business',
        humanReadableName: 'Models, opportunities, tracing cost and sampling',
        metricGroups: [
          {
            title: 'Directional accuracy (%)',
            metrics: [
              ours(AlertMetric.DIRECTIONAL_ACCURACY, 'Average', 'hit rate'),
              ours(AlertMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND, 'Maximum', 'Wilson upper bound'),
            ],
            horizontalAnnotations: [
              { value: this.params.accuracyThresholdPct, label: 'alert below (with n ≥ min)' },
            ],
          },
          {
            title: 'Calibration (ECE) and validations',
            metrics: [ours(AlertMetric.EXPECTED_CALIBRATION_ERROR, 'Maximum', 'ECE')],
            horizontalAnnotations: [{ value: this.params.eceThreshold, label: 'ECE threshold' }],
          },
          {
            title: 'Opportunities and rankings',
            metrics: [
              ours(AlertMetric.OPPORTUNITIES_FOUND, 'Sum', 'opportunities (score ≥ 70)'),
              ours(AlertMetric.TOP_OPPORTUNITY_SCORE, 'Maximum', 'top score'),
              ours(AlertMetric.RANKINGS_PRODUCED, 'Sum', 'rankings produced'),
            ],
          },
          {
            title: 'Projected tracing cost (USD/day)',
            metrics: [ours(AlertMetric.ESTIMATED_TRACING_COST_PER_DAY, 'Maximum', 'projected cost')],
            horizontalAnnotations: [{ value: this.params.tracingBudgetPerDay, label: 'budget' }],
          },
          {
            title: 'Sampling: spans started vs exported, volume reduction',
            metrics: [
              ours(VolumeMetric.SPANS_STARTED, 'Sum', 'spans started'),
              ours(VolumeMetric.SPANS_EXPORTED, 'Sum', 'spans exported'),
              ours(AlertMetric.SAMPLED_VOLUME_REDUCTION_PCT, 'Average', 'volume reduction %'),
              ours(VolumeMetric.EXPORT_FAILURES, 'Sum', 'export failures'),
            ],
          },
          {
            title: 'Market data lag (s) per watched symbol, market clock',
            metrics: [
              ...this.params.watchlist.map(
                (symbol) =>
                  new Metric({
                    namespace: METRICS_NAMESPACE,
                    metricName: AlertMetric.MARKET_DATA_LAG_SECONDS,
                    dimensionsMap: { ...service, Symbol: symbol },
                    statistic: 'Minimum',
                    label: symbol,
                    period: Duration.minutes(5),
                  }),
              ),
              ours(AlertMetric.MARKET_SESSION_OPEN, 'Minimum', 'regular session open', Duration.minutes(5)),
              ours(
                AlertMetric.INGESTION_KEY_AGE_DAYS,
                'Maximum',
                'ingestion key age (days)',
                Duration.hours(1),
              ),
            ],
          },
        ],
      });
    for (const [name, fn] of this.monitored) {
      facade.monitorLambdaFunction({
        lambdaFunction: fn.function,
        humanReadableName: name,
        alarmFriendlyName: name,
      });
    }
    for (const { id, table } of this.tables) {
      facade.monitorDynamoTable({
        // TableV2 is an ITable; only exactOptionalPropertyTypes tells them apart.
        table: table as unknown as ITable,
        billingMode: BillingMode.PAY_PER_REQUEST,
        humanReadableName: `${id} table`,
        alarmFriendlyName: `${id}-table`,
      });
    }
  }

  private addQueries(): void {
    const logGroups = [...this.monitored.values()].map((fn) => fn.logGroup);
    const query = (id: string, name: string, queryString: QueryString) =>
      new QueryDefinition(this, id, {
        queryDefinitionName: `${this.namePrefix}/${name}`,
        queryString,
        logGroups,
      });
    query(
      'ErrorsByFunctionQuery',
      'errors-by-function',
      new QueryString({
        fields: [
          '@timestamp',
          'function_name',
          'message',
          '`error.type`',
          '`error.message`',
          'trace_id',
          'span_id',
          'request_id',
        ],
        filterStatements: ['level = "ERROR" or ispresent(`error.type`)'],
        sort: '@timestamp desc',
        limit: 200,
      }),
    );
    query(
      'ErrorCountsQuery',
      'error-counts-by-function-and-type',
      new QueryString({
        filterStatements: ['level = "ERROR" or ispresent(`error.type`)'],
        statsStatements: ['count(*) as errors by function_name, `error.type`'],
        sort: 'errors desc',
      }),
    );
    query(
      'SlowInvocationsQuery',
      'slow-invocations',
      new QueryString({
        // Lambda REPORT records: text (`@duration`) or JSON log format (`record.metrics.durationMs`).
        filterStatements: ['@type = "REPORT" or type = "platform.report"'],
        fields: [
          '@timestamp',
          '@log',
          'coalesce(@duration, `record.metrics.durationMs`) as durationMs',
          'coalesce(@requestId, `record.requestId`) as requestId',
          'coalesce(@initDuration, `record.metrics.initDurationMs`) as initMs',
          'coalesce(@maxMemoryUsed, `record.metrics.maxMemoryUsedMB`) as memory',
        ],
        sort: 'durationMs desc',
        limit: 50,
      }),
    );
    query(
      'AccuracyAlertsQuery',
      'accuracy-alerts',
      new QueryString({
        // The tracker logs one line per validate_all with the number of Wilson-gated alerts it raised.
        fields: [
          '@timestamp',
          'function_name',
          'alerts',
          'validated',
          'pending',
          'lookbackDays',
          'trace_id',
          'request_id',
        ],
        filterStatements: ['message = "validate_all finished" and alerts > 0'],
        sort: '@timestamp desc',
        limit: 100,
      }),
    );
    query(
      'SamplingDecisionsQuery',
      'sampling-decisions',
      new QueryString({
        // One line per optimizer run (new configuration version, mode, projected cost), plus its warnings.
        fields: [
          '@timestamp',
          'message',
          'version',
          'changed',
          'mode',
          'costPerDayAfter',
          'dryRun',
          'warning',
          'trace_id',
        ],
        filterStatements: ['message = "sampling optimizer run" or message like /sampling|optimizer/'],
        sort: '@timestamp desc',
        limit: 100,
      }),
    );
  }
}

export class AlertWiringError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlertWiringError';
  }
}

/** Lambda's default timeout, for a function that does not set one. */
const DEFAULT_TIMEOUT_MS = 3000;

function suppressedBy(suppressor: IAlarm | undefined) {
  return suppressor
    ? {
        actionsSuppressor: suppressor,
        actionsSuppressorWaitPeriod: SUPPRESSOR_WAIT,
        actionsSuppressorExtensionPeriod: SUPPRESSOR_EXTENSION,
      }
    : {};
}

interface Target {
  readonly key: string;
  readonly values: { function?: string; table?: string; symbol?: string };
  readonly timeoutMs?: number;
}

function tierSubject(tier: BurnRateTier, threshold: number): string {
  return (
    `${tier.name} tier: ${tier.factor}× burn (bad ratio ≥ ${threshold}) over ${tier.longWindowMinutes} min AND ` +
    `${tier.shortWindowMinutes} min`
  );
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
