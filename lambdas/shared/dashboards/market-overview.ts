import { SpanName } from '../names/spans';
import { Color, dashboard, widget } from './builder';
import {
  Attr as A,
  and,
  bool,
  finiteOrNull,
  HIT_RATE_TARGET_PCT,
  has,
  inVariable,
  num,
  OPPORTUNITY_SCORE_THRESHOLD,
  PLATFORM_SPANS,
  ResourceAttr,
  resource,
  SPANS_TABLE,
  str,
  TIME_BUCKET,
  WEIGHT,
} from './sql';
import { type DashboardDefinition, PanelType, Unit } from './types';
import { modelVariable, SCOPE_VARIABLES, symbolVariable, VariableName } from './variables';

const IS_VALIDATION = `name = '${SpanName.VALIDATE_PREDICTION}'`;
const IS_ANALYSIS = `name = '${SpanName.OPPORTUNITY_ANALYSIS}'`;

/**
 * Validations and analyses that carry a market session, for the selected symbols; the model
 * filter applies to validations only (analyses have no model).
 */
const MARKET_ACTIVITY = and(
  PLATFORM_SPANS,
  `name IN ('${SpanName.VALIDATE_PREDICTION}', '${SpanName.OPPORTUNITY_ANALYSIS}')`,
  has('attributes_string', A.MARKET_SESSION),
  has('attributes_string', A.SYMBOL),
  inVariable(str(A.SYMBOL), VariableName.SYMBOL),
  `(${IS_ANALYSIS} OR (${has('attributes_string', A.MODEL)} AND ${inVariable(str(A.MODEL), VariableName.MODEL)}))`,
);

const VALIDATED = `${IS_VALIDATION} AND ${has('attributes_bool', A.DIRECTION_HIT)} AND ${has('attributes_number', A.PRICE_ERROR_PCT)}`;
const SIGNAL = `${IS_ANALYSIS} AND ${has('attributes_number', A.OPPORTUNITY_SCORE)} AND ${num(A.OPPORTUNITY_SCORE)} >= ${OPPORTUNITY_SCORE_THRESHOLD}`;
const SIGNAL_WITH_RETURN = `${SIGNAL} AND ${has('attributes_number', A.SIGNAL_RETURN_PCT)}`;

/** The per-group columns shared by the session and hour tables. */
const ACTIVITY_COLUMNS = `
  round(sumIf(${WEIGHT}, ${IS_VALIDATION})) AS validations,
  ${finiteOrNull(`round(100 * avgWeightedIf(toFloat64(${bool(A.DIRECTION_HIT)}), ${WEIGHT}, ${VALIDATED}), 1)`)} AS hit_rate_pct,
  ${finiteOrNull(`round(100 - avgWeightedIf(${num(A.PRICE_ERROR_PCT)}, ${WEIGHT}, ${VALIDATED}), 3)`)} AS accuracy_pct,
  round(sumIf(${WEIGHT}, ${IS_ANALYSIS})) AS analyses,
  round(sumIf(${WEIGHT}, ${SIGNAL})) AS opportunities,
  ${finiteOrNull(`round(avgWeightedIf(${num(A.SIGNAL_RETURN_PCT)}, ${WEIGHT}, ${SIGNAL_WITH_RETURN}), 3)`)} AS mean_signal_return_pct`;

const ACTIVITY_UNITS = {
  validations: Unit.SHORT,
  hit_rate_pct: Unit.PERCENT,
  accuracy_pct: Unit.PERCENT,
  analyses: Unit.SHORT,
  opportunities: Unit.SHORT,
  mean_signal_return_pct: Unit.PERCENT,
};

const hitRateTarget = {
  value: HIT_RATE_TARGET_PCT,
  operator: '<' as const,
  color: Color.RED,
  label: `below ${HIT_RATE_TARGET_PCT} %`,
  column: 'hit_rate_pct',
};

/**
 * The function of an invocation root span: `faas.name` is a resource attribute by OTel semantic
 * conventions; a span attribute of the same name is accepted too (the layer has emitted both ways).
 */
const FUNCTION = `if(${has('resources_string', ResourceAttr.FAAS_NAME)}, ${resource(ResourceAttr.FAAS_NAME)}, ${str(ResourceAttr.FAAS_NAME)})`;

/** Invocation root spans of the platform's functions. */
const INVOCATIONS = and(
  PLATFORM_SPANS,
  `parent_span_id = ''`,
  `(${has('resources_string', ResourceAttr.FAAS_NAME)} OR ${has('attributes_string', ResourceAttr.FAAS_NAME)})`,
);

export function marketOverviewDashboard(): DashboardDefinition {
  return dashboard({
    key: 'market-overview',
    title: 'Market Overview',
    description:
      'When do the models and signals work? Activity, hit rate, accuracy and signal return by NYSE market ' +
      'session and by hour of the ET day, plus p95 latency and errors per function.',
    tags: ['trading-observability', 'market', 'sessions', 'stock-analytics'],
    variables: [...SCOPE_VARIABLES, symbolVariable, modelVariable],
    widgets: [
      widget({
        title: 'Activity and accuracy by market session',
        description:
          'Per market session (pre-market, regular, after-hours, closed): validations, hit rate, price accuracy, ' +
          'analyses, opportunities and mean realised signal return.',
        precision: 2,
        panelType: PanelType.TABLE,
        unit: Unit.NONE,
        w: 8,
        columnUnits: ACTIVITY_UNITS,
        thresholds: [hitRateTarget],
        sql: `
          SELECT ${str(A.MARKET_SESSION)} AS session,${ACTIVITY_COLUMNS}
          FROM ${SPANS_TABLE}
          WHERE ${MARKET_ACTIVITY}
          GROUP BY session
          ORDER BY session`,
      }),
      widget({
        title: 'Activity by market session',
        description: 'Share of validations and analyses per market session.',
        panelType: PanelType.PIE,
        unit: Unit.SHORT,
        sql: `
          SELECT ${str(A.MARKET_SESSION)} AS session, round(sum(${WEIGHT})) AS value
          FROM ${SPANS_TABLE}
          WHERE ${MARKET_ACTIVITY}
          GROUP BY session
          ORDER BY session`,
      }),
      widget({
        title: 'Accuracy and signals by ET hour',
        description:
          'The same figures by hour of the day in America/New_York: which hours are the models reliable in?',
        precision: 2,
        panelType: PanelType.TABLE,
        unit: Unit.NONE,
        w: 12,
        columnUnits: ACTIVITY_UNITS,
        thresholds: [hitRateTarget],
        sql: `
          SELECT concat(leftPad(toString(toHour(toTimeZone(timestamp, 'America/New_York'))), 2, '0'), ':00 ET') AS et_hour,${ACTIVITY_COLUMNS}
          FROM ${SPANS_TABLE}
          WHERE ${MARKET_ACTIVITY}
          GROUP BY et_hour
          ORDER BY et_hour`,
      }),
      widget({
        title: 'Latency p95 per function',
        description: 'p95 duration of invocation root spans per Lambda function (faas.name).',
        panelType: PanelType.GRAPH,
        unit: Unit.MILLISECONDS,
        sql: `
          SELECT ${TIME_BUCKET} AS ts, ${FUNCTION} AS function,
            round(quantile(0.95)(duration_nano) / 1e6, 2) AS value
          FROM ${SPANS_TABLE}
          WHERE ${INVOCATIONS}
          GROUP BY ts, function
          ORDER BY ts, function`,
      }),
      widget({
        title: 'Invocations and error rate per function',
        description:
          'Invocations (estimated from sampled root spans) and the share that ended in error, per function.',
        panelType: PanelType.TABLE,
        unit: Unit.NONE,
        columnUnits: { invocations: Unit.SHORT, error_rate_pct: Unit.PERCENT, p95_ms: Unit.MILLISECONDS },
        thresholds: [
          { value: 5, operator: '>', color: Color.RED, label: 'errors > 5 %', column: 'error_rate_pct' },
        ],
        sql: `
          SELECT ${FUNCTION} AS function,
            round(sum(${WEIGHT})) AS invocations,
            round(100 * sumIf(${WEIGHT}, has_error) / sum(${WEIGHT}), 2) AS error_rate_pct,
            round(quantile(0.95)(duration_nano) / 1e6, 2) AS p95_ms
          FROM ${SPANS_TABLE}
          WHERE ${INVOCATIONS}
          GROUP BY function
          ORDER BY function`,
      }),
    ],
  });
}
