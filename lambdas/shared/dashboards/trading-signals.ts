import { SpanName } from '../names/spans';
import { Color, dashboard, widget } from './builder';
import {
  Attr as A,
  and,
  bool,
  finiteOrNull,
  HISTOGRAM_SAMPLE_ROWS,
  HIT_RATE_TARGET_PCT,
  has,
  inVariable,
  num,
  OPPORTUNITY_SCORE_THRESHOLD,
  PLATFORM_SPANS,
  SPANS_TABLE,
  spanIs,
  str,
  TIME_BUCKET,
  WEIGHT,
  WEIGHTED_SAMPLE_ORDER,
} from './sql';
import { type DashboardDefinition, PanelType, Unit } from './types';
import { SCOPE_VARIABLES, symbolVariable, VariableName } from './variables';

/** Scored opportunity analyses in the window, for the selected symbols. */
const ANALYSES = and(
  PLATFORM_SPANS,
  spanIs(SpanName.OPPORTUNITY_ANALYSIS),
  has('attributes_string', A.SYMBOL),
  has('attributes_number', A.OPPORTUNITY_SCORE),
  inVariable(str(A.SYMBOL), VariableName.SYMBOL),
);
const SCORE = num(A.OPPORTUNITY_SCORE);
const RETURN_PCT = num(A.SIGNAL_RETURN_PCT);
const HAS_RETURN = has('attributes_number', A.SIGNAL_RETURN_PCT);
/** The handler's own verdict (configurable threshold) when present, else score ≥ 70. */
const IS_OPPORTUNITY = `if(${has('attributes_bool', A.IS_OPPORTUNITY)}, ${bool(A.IS_OPPORTUNITY)}, ${SCORE} >= ${OPPORTUNITY_SCORE_THRESHOLD})`;
const SIGNAL_HIT = `toFloat64(${RETURN_PCT} > 0)`;

export function tradingSignalsDashboard(): DashboardDefinition {
  return dashboard({
    key: 'trading-signals',
    title: 'Trading Signals',
    description:
      `Are the signals worth acting on? Opportunities (score ≥ ${OPPORTUNITY_SCORE_THRESHOLD}) per symbol and ` +
      'per day, the score distribution, and signal quality: hit rate (realised return > 0) and mean realised ' +
      'return, from trading.opportunity_analysis spans.',
    tags: ['trading-observability', 'trading', 'signals', 'stock-analytics'],
    variables: [...SCOPE_VARIABLES, symbolVariable],
    widgets: [
      widget({
        title: 'Opportunities',
        description: `Analyses scoring ≥ ${OPPORTUNITY_SCORE_THRESHOLD} in the range (estimated from sampled spans).`,
        panelType: PanelType.VALUE,
        unit: Unit.SHORT,
        sql: `
          SELECT round(sumIf(${WEIGHT}, ${SCORE} >= ${OPPORTUNITY_SCORE_THRESHOLD})) AS value
          FROM ${SPANS_TABLE}
          WHERE ${ANALYSES}`,
      }),
      widget({
        title: 'Signal hit rate',
        description: 'Share of opportunity signals whose realised return was positive.',
        panelType: PanelType.VALUE,
        unit: Unit.PERCENT,
        thresholds: [
          {
            value: HIT_RATE_TARGET_PCT,
            operator: '<',
            color: Color.RED,
            label: `below ${HIT_RATE_TARGET_PCT} %`,
          },
        ],
        sql: `
          SELECT ${finiteOrNull(`round(100 * avgWeighted(${SIGNAL_HIT}, ${WEIGHT}), 2)`)} AS value
          FROM ${SPANS_TABLE}
          WHERE ${and(ANALYSES, HAS_RETURN, IS_OPPORTUNITY)}`,
      }),
      widget({
        title: 'Mean signal return',
        description: 'Mean realised return (%) of the opportunity signals: is acting on them profitable?',
        precision: 3,
        panelType: PanelType.VALUE,
        unit: Unit.PERCENT,
        thresholds: [{ value: 0, operator: '<', color: Color.RED, label: 'losing money' }],
        sql: `
          SELECT ${finiteOrNull(`round(avgWeighted(${RETURN_PCT}, ${WEIGHT}), 3)`)} AS value
          FROM ${SPANS_TABLE}
          WHERE ${and(ANALYSES, HAS_RETURN, IS_OPPORTUNITY)}`,
      }),
      widget({
        title: 'Mean opportunity score',
        description: `Mean score over all analyses; ≥ ${OPPORTUNITY_SCORE_THRESHOLD} is an opportunity.`,
        precision: 1,
        panelType: PanelType.VALUE,
        unit: Unit.NONE,
        thresholds: [
          { value: OPPORTUNITY_SCORE_THRESHOLD, operator: '>=', color: Color.GREEN, label: 'opportunity' },
        ],
        sql: `
          SELECT ${finiteOrNull(`round(avgWeighted(${SCORE}, ${WEIGHT}), 1)`)} AS value
          FROM ${SPANS_TABLE}
          WHERE ${ANALYSES}`,
      }),
      widget({
        title: `Opportunities (score ≥ ${OPPORTUNITY_SCORE_THRESHOLD}) per symbol`,
        id: 'opportunities-per-symbol',
        description:
          'Per symbol: analyses, opportunities, mean and best score, signal hit rate and mean realised return.',
        precision: 2,
        panelType: PanelType.TABLE,
        unit: Unit.NONE,
        columnUnits: {
          analyses: Unit.SHORT,
          opportunities: Unit.SHORT,
          mean_score: Unit.NONE,
          max_score: Unit.NONE,
          signal_hit_rate_pct: Unit.PERCENT,
          mean_return_pct: Unit.PERCENT,
        },
        thresholds: [
          {
            value: OPPORTUNITY_SCORE_THRESHOLD,
            operator: '>=',
            color: Color.GREEN,
            label: 'opportunity',
            column: 'max_score',
          },
        ],
        sql: `
          SELECT ${str(A.SYMBOL)} AS symbol,
            round(sum(${WEIGHT})) AS analyses,
            round(sumIf(${WEIGHT}, ${SCORE} >= ${OPPORTUNITY_SCORE_THRESHOLD})) AS opportunities,
            round(avgWeighted(${SCORE}, ${WEIGHT}), 1) AS mean_score,
            round(max(${SCORE}), 1) AS max_score,
            ${finiteOrNull(`round(100 * avgWeightedIf(${SIGNAL_HIT}, ${WEIGHT}, ${HAS_RETURN} AND ${IS_OPPORTUNITY}), 1)`)} AS signal_hit_rate_pct,
            ${finiteOrNull(`round(avgWeightedIf(${RETURN_PCT}, ${WEIGHT}, ${HAS_RETURN} AND ${IS_OPPORTUNITY}), 3)`)} AS mean_return_pct
          FROM ${SPANS_TABLE}
          WHERE ${ANALYSES}
          GROUP BY symbol
          ORDER BY opportunities DESC, symbol`,
      }),
      widget({
        title: 'Opportunity score distribution',
        description:
          `Distribution of opportunity scores (0–100; ${OPPORTUNITY_SCORE_THRESHOLD}+ is an opportunity): a random ` +
          'sample of up to 20 000 analyses across the range, weighted by 1/sampling.probability.',
        precision: 1,
        panelType: PanelType.HISTOGRAM,
        unit: Unit.NONE,
        bucketCount: 20,
        sql: `
          SELECT timestamp AS ts, ${SCORE} AS value
          FROM ${SPANS_TABLE}
          WHERE ${ANALYSES}
          ORDER BY ${WEIGHTED_SAMPLE_ORDER}
          LIMIT ${HISTOGRAM_SAMPLE_ROWS}`,
      }),
      widget({
        title: 'Opportunities per day',
        description: `Opportunities (score ≥ ${OPPORTUNITY_SCORE_THRESHOLD}) per trading day (America/New_York), per symbol.`,
        panelType: PanelType.BAR,
        unit: Unit.SHORT,
        stacked: true,
        sql: `
          SELECT toStartOfDay(toTimeZone(timestamp, 'America/New_York')) AS ts, ${str(A.SYMBOL)} AS symbol,
            round(sum(${WEIGHT})) AS value
          FROM ${SPANS_TABLE}
          WHERE ${and(ANALYSES, `${SCORE} >= ${OPPORTUNITY_SCORE_THRESHOLD}`)}
          GROUP BY ts, symbol
          ORDER BY ts, symbol`,
      }),
      widget({
        title: 'Mean opportunity score by symbol',
        description: `Mean score over time per symbol, against the ${OPPORTUNITY_SCORE_THRESHOLD} opportunity line.`,
        precision: 1,
        panelType: PanelType.GRAPH,
        unit: Unit.NONE,
        softMin: 0,
        softMax: 100,
        thresholds: [
          { value: OPPORTUNITY_SCORE_THRESHOLD, operator: '>=', color: Color.GREEN, label: 'opportunity' },
        ],
        sql: `
          SELECT ${TIME_BUCKET} AS ts, ${str(A.SYMBOL)} AS symbol,
            round(avgWeighted(${SCORE}, ${WEIGHT}), 1) AS value
          FROM ${SPANS_TABLE}
          WHERE ${ANALYSES}
          GROUP BY ts, symbol
          ORDER BY ts, symbol`,
      }),
    ],
  });
}
