import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  type IAlarm,
  type IWidget,
  LogQueryVisualizationType,
  LogQueryWidget,
  Metric,
  Row,
} from 'aws-cdk-lib/aws-cloudwatch';
import { BillingMode, type ITable, type TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { DefaultDashboardFactory, MonitoringFacade } from 'cdk-monitoring-constructs';
import type { Construct } from 'constructs';
import { MetricDimension, ProductMetric } from '../../lambdas/shared/names/metrics';
import { METRICS_NAMESPACE, VolumeMetric } from '../../layers/otel/src/constants';
import type { InstrumentedFunction } from '../instrumented-function';
import { alertingGroupsQuery, ContributorInsightsWidget } from './alerting-groups';
import type { AlertParams, MonitoredFunction } from './rules';

export interface MonitoringDashboardProps {
  /** `<namePrefix>trading-observability`: the dashboard's name prefix. */
  readonly namePrefix: string;
  readonly params: AlertParams;
  /** The alarms that notify, for the status widget. */
  readonly notifyingAlarms: readonly IAlarm[];
  readonly functions: ReadonlyMap<MonitoredFunction, InstrumentedFunction>;
  readonly tables: ReadonlyArray<{ readonly id: string; readonly table: TableV2 }>;
  /** Which groups alert: the tracker's log group and the Contributor Insights rule over it. */
  readonly alertingGroups: { readonly trackerLogGroup: ILogGroup; readonly insightRuleName: string };
}

/**
 * The stack's CloudWatch dashboard (cdk-monitoring-constructs): alarm status, the business metrics of the live
 * partition (the metrics the alarms read), every function and table.
 */
export class MonitoringDashboard {
  constructor(scope: Construct, props: MonitoringDashboardProps) {
    const { params } = props;
    const service = { [MetricDimension.SERVICE]: params.serviceName };
    const ours = (name: string, statistic: string, label: string, period = Duration.minutes(15)) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: service,
        statistic,
        label,
        period,
      });
    const facade = new MonitoringFacade(scope, 'Monitoring', {
      alarmFactoryDefaults: { alarmNamePrefix: props.namePrefix, actionsEnabled: false },
      metricFactoryDefaults: {},
      dashboardFactory: new DefaultDashboardFactory(scope, 'Dashboards', {
        dashboardNamePrefix: props.namePrefix,
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
          alarms: [...props.notifyingAlarms],
          width: 24,
          height: 6,
        }),
      )
      .addWidget(
        new Row(
          alertingGroupsTable(props.alertingGroups.trackerLogGroup),
          new ContributorInsightsWidget({
            title: 'Alerting groups: top models / symbols over time (Contributor Insights)',
            ruleName: props.alertingGroups.insightRuleName,
          }),
        ),
      )
      .monitorCustom({
        alarmFriendlyName: 'Business',
        humanReadableName: 'Models, opportunities, tracing cost and sampling',
        metricGroups: [
          {
            title: 'Directional accuracy (%)',
            metrics: [
              ours(ProductMetric.DIRECTIONAL_ACCURACY, 'Average', 'hit rate'),
              ours(ProductMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND, 'Maximum', 'Wilson upper bound'),
            ],
            horizontalAnnotations: [
              { value: params.accuracyThresholdPct, label: 'alert below (with n ≥ min)' },
            ],
          },
          {
            title: 'Alerting groups per kind (the model-quality alarms read these)',
            metrics: [
              ours(ProductMetric.ACCURACY_ALERTING_MODELS, 'Maximum', 'accuracy: models'),
              ours(ProductMetric.ACCURACY_ALERTING_SYMBOLS, 'Maximum', 'accuracy: symbols'),
              ours(ProductMetric.CALIBRATION_ALERTING_MODELS, 'Maximum', 'calibration: models'),
              ours(ProductMetric.CALIBRATION_ALERTING_SYMBOLS, 'Maximum', 'calibration: symbols'),
            ],
          },
          ...(params.modelWatchlist.length > 0
            ? [
                {
                  title: 'Directional accuracy (%) per watched model',
                  metrics: params.modelWatchlist.map(
                    (model) =>
                      new Metric({
                        namespace: METRICS_NAMESPACE,
                        metricName: ProductMetric.DIRECTIONAL_ACCURACY,
                        dimensionsMap: { ...service, [MetricDimension.MODEL]: model },
                        statistic: 'Average',
                        label: model,
                        period: Duration.minutes(15),
                      }),
                  ),
                  horizontalAnnotations: [{ value: params.accuracyThresholdPct, label: 'threshold' }],
                },
              ]
            : []),
          {
            title: 'Calibration (ECE) and validations',
            metrics: [ours(ProductMetric.EXPECTED_CALIBRATION_ERROR, 'Maximum', 'ECE')],
            horizontalAnnotations: [{ value: params.eceThreshold, label: 'ECE threshold' }],
          },
          {
            title: 'Opportunities and rankings',
            metrics: [
              ours(ProductMetric.OPPORTUNITIES_FOUND, 'Sum', 'opportunities (score ≥ 70)'),
              ours(ProductMetric.TOP_OPPORTUNITY_SCORE, 'Maximum', 'top score'),
              ours(ProductMetric.RANKINGS_PRODUCED, 'Sum', 'rankings produced'),
            ],
          },
          {
            title: 'Projected tracing cost (USD/day)',
            metrics: [ours(ProductMetric.ESTIMATED_TRACING_COST_PER_DAY, 'Maximum', 'projected cost')],
            horizontalAnnotations: [{ value: params.tracingBudgetPerDay, label: 'budget' }],
          },
          {
            title: 'Sampling: spans started vs exported, volume reduction',
            metrics: [
              ours(VolumeMetric.SPANS_STARTED, 'Sum', 'spans started'),
              ours(VolumeMetric.SPANS_EXPORTED, 'Sum', 'spans exported'),
              ours(ProductMetric.SAMPLED_VOLUME_REDUCTION_PCT, 'Average', 'volume reduction %'),
              ours(VolumeMetric.EXPORT_FAILURES, 'Sum', 'export failures'),
            ],
          },
          {
            title: 'Market data lag (s) per watched symbol, market clock',
            metrics: [
              ...params.watchlist.map(
                (symbol) =>
                  new Metric({
                    namespace: METRICS_NAMESPACE,
                    metricName: ProductMetric.MARKET_DATA_LAG_SECONDS,
                    dimensionsMap: { ...service, [MetricDimension.SYMBOL]: symbol },
                    statistic: 'Minimum',
                    label: symbol,
                    period: Duration.minutes(5),
                  }),
              ),
              ours(ProductMetric.MARKET_SESSION_OPEN, 'Minimum', 'regular session open', Duration.minutes(5)),
              ours(
                ProductMetric.INGESTION_KEY_AGE_DAYS,
                'Maximum',
                'ingestion key age (days)',
                Duration.hours(1),
              ),
            ],
          },
        ],
      });
    for (const [name, fn] of props.functions) {
      facade.monitorLambdaFunction({
        lambdaFunction: fn.function,
        humanReadableName: name,
        alarmFriendlyName: name,
      });
    }
    for (const { id, table } of props.tables) {
      facade.monitorDynamoTable({
        // TableV2 is an ITable; only exactOptionalPropertyTypes tells them apart.
        table: table as unknown as ITable,
        billingMode: BillingMode.PAY_PER_REQUEST,
        humanReadableName: `${id} table`,
        alarmFriendlyName: `${id}-table`,
      });
    }
  }
}

/** The alerting-groups query as a table on the dashboard: the groups by name, one click from the page. */
function alertingGroupsTable(trackerLogGroup: ILogGroup): IWidget {
  return new LogQueryWidget({
    title: 'Alerting groups (latest per model / symbol, from the tracker’s log)',
    logGroupNames: [trackerLogGroup.logGroupName],
    queryString: alertingGroupsQuery().toString(),
    view: LogQueryVisualizationType.TABLE,
    width: 12,
    height: 6,
  });
}
