import { type ILogGroup, QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { VALIDATE_ALL_FINISHED } from '../../lambdas/shared/names/logs';
import { alertingGroupsQuery } from './alerting-groups';
import { ALERTING_GROUPS_QUERY } from './model-quality-rules';

export interface InsightsQueriesProps {
  /** `<namePrefix>trading-observability`: saved queries are `<prefix>/<name>`. */
  readonly namePrefix: string;
  /** The functions' log groups the queries run over. */
  readonly logGroups: readonly ILogGroup[];
  /** The dual-accuracy-tracker's log group (the alerting-groups query reads only it). */
  readonly trackerLogGroup: ILogGroup;
}

/** CloudWatch Logs Insights saved queries for the common investigations (the runbook's first steps name them). */
export class InsightsQueries {
  constructor(scope: Construct, props: InsightsQueriesProps) {
    const query = (id: string, name: string, queryString: QueryString) =>
      new QueryDefinition(scope, id, {
        queryDefinitionName: `${props.namePrefix}/${name}`,
        queryString,
        logGroups: [...props.logGroups],
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
    new QueryDefinition(scope, 'AlertingGroupsQuery', {
      queryDefinitionName: `${props.namePrefix}/${ALERTING_GROUPS_QUERY}`,
      queryString: alertingGroupsQuery(),
      logGroups: [props.trackerLogGroup],
    });
    query(
      'AccuracyAlertsQuery',
      'accuracy-alerts',
      new QueryString({
        // The tracker logs one line per validate_all with its alert totals (every group, not only those named).
        fields: [
          '@timestamp',
          'function_name',
          'alerts',
          'calibrationAlerts',
          'accuracyModels',
          'accuracySymbols',
          'calibrationModels',
          'calibrationSymbols',
          'alarmRun',
          'validated',
          'pending',
          'lookbackDays',
          'trace_id',
          'request_id',
        ],
        filterStatements: [`message = "${VALIDATE_ALL_FINISHED}" and (alerts > 0 or calibrationAlerts > 0)`],
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
