import { SpanName } from '../names/spans';
import { Color, dashboard, widget } from './builder';
import {
  Attr as A,
  and,
  DAILY_BUDGET_USD,
  finiteOrNull,
  has,
  inVariable,
  num,
  PLATFORM_SPANS,
  SPANS_TABLE,
  spanIs,
  str,
  TIME_BUCKET,
  WEIGHT,
} from './sql';
import { type DashboardDefinition, PanelType, Unit } from './types';
import {
  categoryVariable,
  PRICE_PER_GB_SQL,
  pricePerGbVariable,
  SCOPE_VARIABLES,
  VariableName,
} from './variables';

/** Exported spans of the selected sampling categories. */
const EXPORTED = and(
  PLATFORM_SPANS,
  has('attributes_string', A.SAMPLING_CATEGORY),
  inVariable(str(A.SAMPLING_CATEGORY), VariableName.CATEGORY),
);
const CATEGORY = str(A.SAMPLING_CATEGORY);

/**
 * Approximate stored size of a span (bytes): name, ids, attribute and resource maps, events.
 * An estimate of ingest volume, not SigNoz's billing meter.
 */
const SPAN_BYTES =
  'byteSize(name, trace_id, span_id, parent_span_id, attributes_string, attributes_number, attributes_bool, resources_string, events)';

const OPTIMIZER_RUNS = and(
  PLATFORM_SPANS,
  spanIs(SpanName.SAMPLING_OPTIMIZE),
  has('attributes_number', A.ESTIMATED_COST_PER_DAY),
  has('attributes_number', A.BUDGET_PER_DAY),
);

const overBudget = {
  value: DAILY_BUDGET_USD,
  operator: '>' as const,
  color: Color.RED,
  label: `over $${DAILY_BUDGET_USD}/day budget`,
};

export function costOptimizationDashboard(): DashboardDefinition {
  return dashboard({
    key: 'cost-optimization',
    title: 'Cost Optimization',
    description:
      'What does tracing cost, and what does sampling save? Exported spans per sampling category, the ' +
      'estimated true volume (Σ 1/sampling.probability), volume reduction, and tracing cost per day against ' +
      `the $${DAILY_BUDGET_USD}/day budget (price per GB is a variable, $0.40 default).`,
    tags: ['trading-observability', 'cost', 'sampling', 'stock-analytics'],
    variables: [...SCOPE_VARIABLES, categoryVariable, pricePerGbVariable],
    widgets: [
      widget({
        title: 'Exported spans',
        description: 'Spans the sampler kept and exported in the range.',
        panelType: PanelType.VALUE,
        unit: Unit.SHORT,
        sql: `
          SELECT count() AS value
          FROM ${SPANS_TABLE}
          WHERE ${EXPORTED}`,
      }),
      widget({
        title: 'Estimated true volume',
        description:
          'Spans the platform produced, estimated as Σ 1/sampling.probability over the exported spans.',
        panelType: PanelType.VALUE,
        unit: Unit.SHORT,
        sql: `
          SELECT round(sum(${WEIGHT})) AS value
          FROM ${SPANS_TABLE}
          WHERE ${EXPORTED}`,
      }),
      widget({
        title: 'Volume reduction',
        description: 'Share of spans sampling dropped: 1 − exported / estimated true volume.',
        precision: 1,
        panelType: PanelType.VALUE,
        unit: Unit.PERCENT,
        sql: `
          SELECT ${finiteOrNull(`round(100 * (1 - count() / sum(${WEIGHT})), 2)`)} AS value
          FROM ${SPANS_TABLE}
          WHERE ${EXPORTED}`,
      }),
      widget({
        title: 'Projected cost per day',
        description: "The sampling optimizer's latest projected tracing cost (USD/day).",
        panelType: PanelType.VALUE,
        unit: Unit.USD,
        thresholds: [overBudget],
        sql: `
          SELECT round(argMax(${num(A.ESTIMATED_COST_PER_DAY)}, timestamp), 2) AS value
          FROM ${SPANS_TABLE}
          WHERE ${OPTIMIZER_RUNS}
          HAVING count() > 0`,
      }),
      widget({
        title: 'Exported spans per category',
        description: 'Exported spans over time per sampling category.',
        panelType: PanelType.BAR,
        unit: Unit.SHORT,
        stacked: true,
        sql: `
          SELECT ${TIME_BUCKET} AS ts, ${CATEGORY} AS category, count() AS value
          FROM ${SPANS_TABLE}
          WHERE ${EXPORTED}
          GROUP BY ts, category
          ORDER BY ts, category`,
      }),
      widget({
        title: 'Estimated true volume per category',
        description:
          'Σ 1/sampling.probability per category: the volume the platform produced before sampling.',
        panelType: PanelType.GRAPH,
        unit: Unit.SHORT,
        sql: `
          SELECT ${TIME_BUCKET} AS ts, ${CATEGORY} AS category, round(sum(${WEIGHT})) AS value
          FROM ${SPANS_TABLE}
          WHERE ${EXPORTED}
          GROUP BY ts, category
          ORDER BY ts, category`,
      }),
      widget({
        title: 'Estimated cost per day vs budget',
        description: "The optimizer's projected tracing cost per day against its budget, over time.",
        panelType: PanelType.GRAPH,
        unit: Unit.USD,
        thresholds: [overBudget],
        sql: `
          SELECT ts, tupleElement(point, 1) AS series, tupleElement(point, 2) AS value
          FROM (
            SELECT ${TIME_BUCKET} AS ts,
              round(avg(${num(A.ESTIMATED_COST_PER_DAY)}), 2) AS cost,
              round(avg(${num(A.BUDGET_PER_DAY)}), 2) AS budget
            FROM ${SPANS_TABLE}
            WHERE ${OPTIMIZER_RUNS}
            GROUP BY ts
          )
          ARRAY JOIN [('estimated cost', cost), ('budget', budget)] AS point
          ORDER BY ts, series`,
      }),
      widget({
        title: 'Ingest cost per day from span volume',
        description:
          'Cost per ET day projected from the spans themselves: Σ (approximate span bytes / sampling.probability) ' +
          '× $price_per_gb, per sampling category, against the daily budget.',
        precision: 4,
        panelType: PanelType.BAR,
        unit: Unit.USD,
        stacked: true,
        thresholds: [overBudget],
        sql: `
          SELECT toStartOfDay(toTimeZone(timestamp, 'America/New_York')) AS ts, ${CATEGORY} AS category,
            round(sum(${WEIGHT} * ${SPAN_BYTES}) / 1e9 * ${PRICE_PER_GB_SQL}, 6) AS value
          FROM ${SPANS_TABLE}
          WHERE ${EXPORTED}
          GROUP BY ts, category
          ORDER BY ts, category`,
      }),
      widget({
        title: 'Sampling by category',
        description:
          'Per category: exported spans, estimated true volume, mean sampling probability and volume reduction.',
        precision: 2,
        panelType: PanelType.TABLE,
        unit: Unit.NONE,
        w: 12,
        h: 5,
        columnUnits: {
          exported: Unit.SHORT,
          estimated_true: Unit.SHORT,
          mean_probability: Unit.NONE,
          reduction_pct: Unit.PERCENT,
        },
        sql: `
          SELECT ${CATEGORY} AS category,
            count() AS exported,
            round(sum(${WEIGHT})) AS estimated_true,
            round(avgIf(${num(A.SAMPLING_PROBABILITY)}, ${has('attributes_number', A.SAMPLING_PROBABILITY)}), 4) AS mean_probability,
            round(100 * (1 - count() / sum(${WEIGHT})), 2) AS reduction_pct
          FROM ${SPANS_TABLE}
          WHERE ${EXPORTED}
          GROUP BY category
          ORDER BY category`,
      }),
    ],
  });
}
