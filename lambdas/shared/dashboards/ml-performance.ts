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
  PLATFORM_SPANS,
  SPANS_TABLE,
  spanIs,
  str,
  TIME_BUCKET,
  WEIGHT,
  WEIGHTED_SAMPLE_ORDER,
} from './sql';
import { type DashboardDefinition, PanelType, Unit } from './types';
import { modelVariable, SCOPE_VARIABLES, symbolVariable, VariableName } from './variables';

/** Validated predictions in the window, for the selected symbols and models. */
const VALIDATIONS = and(
  PLATFORM_SPANS,
  spanIs(SpanName.VALIDATE_PREDICTION),
  has('attributes_string', A.SYMBOL),
  has('attributes_string', A.MODEL),
  inVariable(str(A.SYMBOL), VariableName.SYMBOL),
  inVariable(str(A.MODEL), VariableName.MODEL),
);
const HAS_ERROR_PCT = has('attributes_number', A.PRICE_ERROR_PCT);
const HAS_HIT = has('attributes_bool', A.DIRECTION_HIT);
const HAS_CONFIDENCE = has('attributes_number', A.CONFIDENCE);
const ERROR_PCT = num(A.PRICE_ERROR_PCT);
const HIT = `toFloat64(${bool(A.DIRECTION_HIT)})`;
const CONFIDENCE = num(A.CONFIDENCE);

const hitRateTarget = (column?: string) => ({
  value: HIT_RATE_TARGET_PCT,
  operator: '<' as const,
  color: Color.RED,
  label: `below ${HIT_RATE_TARGET_PCT} % target`,
  ...(column ? { column } : {}),
});

export function mlPerformanceDashboard(): DashboardDefinition {
  return dashboard({
    key: 'ml-performance',
    title: 'ML Performance',
    description:
      'How accurate are the price models? Price accuracy (100 − price error %), directional hit rate against ' +
      'the 60 % target, confidence calibration, and rankings by symbol and model, from ml.validate_prediction ' +
      'spans (weighted by 1/sampling.probability).',
    tags: ['trading-observability', 'ml', 'accuracy', 'stock-analytics'],
    variables: [...SCOPE_VARIABLES, symbolVariable, modelVariable],
    widgets: [
      widget({
        title: 'Directional hit rate',
        description: `Share of validated predictions whose direction matched the market; the accuracy alert fires below ${HIT_RATE_TARGET_PCT} %.`,
        panelType: PanelType.VALUE,
        unit: Unit.PERCENT,
        thresholds: [hitRateTarget()],
        sql: `
          SELECT ${finiteOrNull(`round(100 * avgWeighted(${HIT}, ${WEIGHT}), 2)`)} AS value
          FROM ${SPANS_TABLE}
          WHERE ${and(VALIDATIONS, HAS_HIT)}`,
      }),
      widget({
        title: 'Price accuracy',
        description: 'Mean price accuracy, 100 − |predicted − actual| / actual × 100.',
        precision: 2,
        panelType: PanelType.VALUE,
        unit: Unit.PERCENT,
        sql: `
          SELECT ${finiteOrNull(`round(100 - avgWeighted(${ERROR_PCT}, ${WEIGHT}), 3)`)} AS value
          FROM ${SPANS_TABLE}
          WHERE ${and(VALIDATIONS, HAS_ERROR_PCT)}`,
      }),
      widget({
        title: 'Validated predictions',
        description:
          'Predictions validated in the range (estimated: each exported span counts 1/sampling.probability).',
        panelType: PanelType.VALUE,
        unit: Unit.SHORT,
        sql: `
          SELECT round(sum(${WEIGHT})) AS value
          FROM ${SPANS_TABLE}
          WHERE ${VALIDATIONS}`,
      }),
      widget({
        title: 'Mean confidence',
        description: 'Mean model confidence of the validated predictions; compare with the hit rate.',
        panelType: PanelType.VALUE,
        unit: Unit.PERCENT,
        sql: `
          SELECT ${finiteOrNull(`round(100 * avgWeighted(${CONFIDENCE}, ${WEIGHT}), 2)`)} AS value
          FROM ${SPANS_TABLE}
          WHERE ${and(VALIDATIONS, HAS_CONFIDENCE)}`,
      }),
      widget({
        title: 'Accuracy trend by model',
        description: 'Price accuracy (100 − price error %) over time, one line per model.',
        precision: 2,
        panelType: PanelType.GRAPH,
        unit: Unit.PERCENT,
        sql: `
          SELECT ${TIME_BUCKET} AS ts, ${str(A.MODEL)} AS model,
            round(100 - avgWeighted(${ERROR_PCT}, ${WEIGHT}), 3) AS value
          FROM ${SPANS_TABLE}
          WHERE ${and(VALIDATIONS, HAS_ERROR_PCT)}
          GROUP BY ts, model
          ORDER BY ts, model`,
      }),
      widget({
        title: 'Directional hit rate by model',
        description: `Directional hit rate over time per model, against the ${HIT_RATE_TARGET_PCT} % target.`,
        panelType: PanelType.GRAPH,
        unit: Unit.PERCENT,
        softMin: 0,
        softMax: 100,
        thresholds: [hitRateTarget()],
        sql: `
          SELECT ${TIME_BUCKET} AS ts, ${str(A.MODEL)} AS model,
            round(100 * avgWeighted(${HIT}, ${WEIGHT}), 2) AS value
          FROM ${SPANS_TABLE}
          WHERE ${and(VALIDATIONS, HAS_HIT)}
          GROUP BY ts, model
          ORDER BY ts, model`,
      }),
      widget({
        title: 'Confidence calibration',
        description:
          'Reliability table: predictions in 10 equal-width confidence bins (right-closed), mean confidence ' +
          'vs hit rate per bin. A calibrated model has gap ≈ 0; negative gap = over-confident.',
        precision: 1,
        panelType: PanelType.TABLE,
        unit: Unit.NONE,
        columnUnits: {
          predictions: Unit.SHORT,
          mean_confidence_pct: Unit.PERCENT,
          hit_rate_pct: Unit.PERCENT,
          gap_pct: Unit.PERCENT,
        },
        thresholds: [hitRateTarget('hit_rate_pct')],
        sql: `
          SELECT concat(toString(bin / 10), '–', toString((bin + 1) / 10)) AS confidence_bin,
            round(sum(w)) AS predictions,
            round(100 * avgWeighted(confidence, w), 1) AS mean_confidence_pct,
            round(100 * avgWeighted(hit, w), 1) AS hit_rate_pct,
            round(hit_rate_pct - mean_confidence_pct, 1) AS gap_pct
          FROM (
            SELECT greatest(toInt32(ceil(round(${CONFIDENCE} * 10, 9))) - 1, 0) AS bin,
              ${CONFIDENCE} AS confidence, ${HIT} AS hit, ${WEIGHT} AS w
            FROM ${SPANS_TABLE}
            WHERE ${and(VALIDATIONS, HAS_CONFIDENCE, HAS_HIT)}
          )
          GROUP BY bin
          ORDER BY bin`,
      }),
      widget({
        title: 'Price error distribution',
        description:
          'Distribution of |predicted − actual| / actual × 100: a random sample of up to 20 000 validation ' +
          'spans across the whole range, weighted by 1/sampling.probability (the estimated true distribution).',
        precision: 3,
        panelType: PanelType.HISTOGRAM,
        unit: Unit.PERCENT,
        bucketCount: 30,
        sql: `
          SELECT timestamp AS ts, ${ERROR_PCT} AS value
          FROM ${SPANS_TABLE}
          WHERE ${and(VALIDATIONS, HAS_ERROR_PCT)}
          ORDER BY ${WEIGHTED_SAMPLE_ORDER}
          LIMIT ${HISTOGRAM_SAMPLE_ROWS}`,
      }),
      widget({
        title: 'Symbol ranking by accuracy',
        description: 'Symbols ranked by price accuracy, with hit rate and mean price error.',
        precision: 3,
        panelType: PanelType.TABLE,
        unit: Unit.NONE,
        columnUnits: {
          predictions: Unit.SHORT,
          accuracy_pct: Unit.PERCENT,
          hit_rate_pct: Unit.PERCENT,
          mean_price_error_pct: Unit.PERCENT,
        },
        thresholds: [hitRateTarget('hit_rate_pct')],
        sql: `
          SELECT ${str(A.SYMBOL)} AS symbol,
            round(sum(${WEIGHT})) AS predictions,
            round(100 - avgWeighted(${ERROR_PCT}, ${WEIGHT}), 3) AS accuracy_pct,
            round(100 * avgWeighted(${HIT}, ${WEIGHT}), 1) AS hit_rate_pct,
            round(avgWeighted(${ERROR_PCT}, ${WEIGHT}), 3) AS mean_price_error_pct
          FROM ${SPANS_TABLE}
          WHERE ${and(VALIDATIONS, HAS_ERROR_PCT, HAS_HIT)}
          GROUP BY symbol
          ORDER BY accuracy_pct DESC, symbol`,
      }),
      widget({
        title: 'Model comparison',
        description:
          'Per model: predictions, price accuracy, hit rate and mean confidence (over-confidence shows as confidence > hit rate).',
        precision: 2,
        panelType: PanelType.TABLE,
        unit: Unit.NONE,
        columnUnits: {
          predictions: Unit.SHORT,
          accuracy_pct: Unit.PERCENT,
          hit_rate_pct: Unit.PERCENT,
          mean_confidence_pct: Unit.PERCENT,
        },
        thresholds: [hitRateTarget('hit_rate_pct')],
        sql: `
          SELECT ${str(A.MODEL)} AS model,
            round(sum(${WEIGHT})) AS predictions,
            round(100 - avgWeighted(${ERROR_PCT}, ${WEIGHT}), 3) AS accuracy_pct,
            round(100 * avgWeighted(${HIT}, ${WEIGHT}), 1) AS hit_rate_pct,
            round(100 * avgWeighted(${CONFIDENCE}, ${WEIGHT}), 1) AS mean_confidence_pct
          FROM ${SPANS_TABLE}
          WHERE ${and(VALIDATIONS, HAS_ERROR_PCT, HAS_HIT, HAS_CONFIDENCE)}
          GROUP BY model
          ORDER BY accuracy_pct DESC, model`,
      }),
    ],
  });
}
