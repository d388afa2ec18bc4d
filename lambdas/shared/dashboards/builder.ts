import {
  type DashboardDefinition,
  type DecimalPrecision,
  type LayoutItem,
  PanelType,
  type ThresholdSpec,
  Unit,
  type VariableDefinition,
  type WidgetDefinition,
} from './types';

/** SigNoz lays dashboards out on a 12-column grid. */
export const GRID_COLUMNS = 12;

/** Default size per panel type: stat tiles are small, charts and tables take half a row. */
const DEFAULT_SIZE: Record<PanelType, { w: number; h: number }> = {
  [PanelType.VALUE]: { w: 3, h: 3 },
  [PanelType.GRAPH]: { w: 6, h: 6 },
  [PanelType.BAR]: { w: 6, h: 6 },
  [PanelType.HISTOGRAM]: { w: 6, h: 6 },
  [PanelType.TABLE]: { w: 6, h: 6 },
  [PanelType.PIE]: { w: 4, h: 6 },
};

/** Decimals per unit unless a widget says otherwise: counts are whole, money has cents. */
const DEFAULT_PRECISION: Record<Unit, DecimalPrecision> = {
  [Unit.PERCENT]: 1,
  [Unit.MILLISECONDS]: 1,
  [Unit.SHORT]: 0,
  [Unit.NONE]: 2,
  [Unit.USD]: 2,
};

export const Color = {
  RED: '#F24769',
  ORANGE: '#FF9F43',
  GREEN: '#4BC06A',
} as const;

export interface WidgetSpec {
  /** Stable id (letters, digits, `-`); defaults to the title slug. */
  readonly id?: string;
  readonly title: string;
  readonly description: string;
  readonly panelType: PanelType;
  readonly unit: Unit;
  readonly sql: string;
  /** Decimals shown. @default by unit: percent 1, ms 1, counts 0, USD 2, none 2 */
  readonly precision?: DecimalPrecision;
  readonly thresholds?: readonly ThresholdSpec[];
  /** Table panels: unit per column. */
  readonly columnUnits?: Readonly<Record<string, Unit>>;
  /** Grid width (1–12) and height; defaults depend on the panel type. */
  readonly w?: number;
  readonly h?: number;
  /** Histogram panels: number of buckets. @default 30 */
  readonly bucketCount?: number;
  /** Line/bar charts: stack series. @default false */
  readonly stacked?: boolean;
  /** A chart's y-axis starts at this value (e.g. 0 for percentages). */
  readonly softMin?: number;
  readonly softMax?: number;
}

/** A widget plus the size the layout will give it. */
export interface PlacedWidget {
  readonly widget: WidgetDefinition;
  readonly w: number;
  readonly h: number;
}

export const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** Collapses the indentation of a multi-line template literal so the JSON stays readable. */
export const compactSql = (sql: string): string =>
  sql
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join('\n');

export function widget(spec: WidgetSpec): PlacedWidget {
  const id = spec.id ?? slug(spec.title);
  const size = DEFAULT_SIZE[spec.panelType];
  const w = spec.w ?? size.w;
  const h = spec.h ?? size.h;
  if (w < 1 || w > GRID_COLUMNS)
    throw new RangeError(`widget ${id}: width ${w} is outside 1..${GRID_COLUMNS}`);
  return {
    w,
    h,
    widget: {
      id,
      title: spec.title,
      description: spec.description,
      panelType: spec.panelType,
      unit: spec.unit,
      precision: spec.precision ?? DEFAULT_PRECISION[spec.unit],
      sql: compactSql(spec.sql),
      thresholds: [...(spec.thresholds ?? [])],
      columnUnits: { ...(spec.columnUnits ?? {}) },
      bucketCount: spec.bucketCount ?? 30,
      stacked: spec.stacked ?? false,
      softMin: spec.softMin ?? null,
      softMax: spec.softMax ?? null,
    },
  };
}

/**
 * Packs widgets left to right in rows of 12 columns, in the order given; a widget that does not fit
 * starts a new row below the tallest widget of the current one. No overlap, x + w ≤ 12 by construction.
 */
export function autoLayout(placed: readonly PlacedWidget[]): LayoutItem[] {
  const layout: LayoutItem[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const { widget: w, w: width, h } of placed) {
    if (x + width > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    layout.push({ id: w.id, x, y, w: width, h });
    x += width;
    rowHeight = Math.max(rowHeight, h);
  }
  return layout;
}

/** Multi-select QUERY variable with ALL selected by default (SigNoz then substitutes every option). */
export const queryVariable = (spec: {
  name: string;
  description: string;
  sql: string;
}): VariableDefinition => ({
  kind: 'query',
  ...spec,
  sql: compactSql(spec.sql),
});

export const textboxVariable = (spec: {
  name: string;
  description: string;
  defaultValue: string;
}): VariableDefinition => ({ kind: 'textbox', ...spec });

export const customVariable = (spec: {
  name: string;
  description: string;
  options: readonly string[];
  defaultValue: string;
}): VariableDefinition => {
  if (!spec.options.includes(spec.defaultValue)) {
    throw new RangeError(`variable ${spec.name}: default ${spec.defaultValue} is not one of its options`);
  }
  return { kind: 'custom', ...spec, options: [...spec.options] };
};

export interface DashboardSpec {
  readonly key: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly variables: readonly VariableDefinition[];
  readonly widgets: readonly PlacedWidget[];
}

export function dashboard(spec: DashboardSpec): DashboardDefinition {
  return {
    key: spec.key,
    title: spec.title,
    description: spec.description,
    tags: [...spec.tags],
    variables: [...spec.variables],
    widgets: spec.widgets.map((placed) => placed.widget),
    layout: autoLayout(spec.widgets),
  };
}
