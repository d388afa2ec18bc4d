import {
  PanelType,
  type SignozDashboard,
  type SignozLayoutItem,
  type SignozThreshold,
  type SignozVariable,
  type SignozWidget,
  type ThresholdOperator,
  type Unit,
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

export const Color = {
  RED: '#F24769',
  ORANGE: '#FF9F43',
  GREEN: '#4BC06A',
} as const;

export interface ThresholdSpec {
  value: number;
  operator: ThresholdOperator;
  color: string;
  label: string;
  /** Table panels: the column to colour. */
  column?: string;
}

export interface WidgetSpec {
  /** Stable id (letters, digits, `-`); defaults to the title slug. */
  id?: string;
  title: string;
  description: string;
  panelType: PanelType;
  unit: Unit;
  sql: string;
  thresholds?: readonly ThresholdSpec[];
  /** Table panels: unit per column. */
  columnUnits?: Readonly<Record<string, Unit>>;
  /** Grid width (1–12) and height; defaults depend on the panel type. */
  w?: number;
  h?: number;
  /** Histogram panels: number of buckets. */
  bucketCount?: number;
  /** Line/bar charts: stack series. */
  stacked?: boolean;
  /** A chart's y-axis starts at this value (e.g. 0 for percentages). */
  softMin?: number;
  softMax?: number;
}

/** A widget plus the size the layout will give it. */
export interface PlacedWidget {
  widget: SignozWidget;
  w: number;
  h: number;
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

export function threshold(
  spec: ThresholdSpec,
  panelType: PanelType,
  unit: Unit,
  keyIndex: number,
): SignozThreshold {
  return {
    index: `threshold-${keyIndex}`,
    keyIndex,
    isEditEnabled: false,
    selectedGraph: panelType,
    thresholdColor: spec.color,
    thresholdFormat: 'Text',
    thresholdLabel: spec.label,
    thresholdOperator: spec.operator,
    thresholdTableOptions: spec.column ?? '',
    thresholdUnit: unit,
    thresholdValue: spec.value,
  };
}

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
      panelTypes: spec.panelType,
      query: {
        id: `${id}-query`,
        queryType: 'clickhouse_sql',
        clickhouse_sql: [{ name: 'A', legend: '', disabled: false, query: compactSql(spec.sql) }],
        promql: [{ name: 'A', query: '', legend: '', disabled: false }],
        builder: { queryData: [], queryFormulas: [] },
      },
      yAxisUnit: spec.unit,
      columnUnits: { ...(spec.columnUnits ?? {}) },
      thresholds: (spec.thresholds ?? []).map((t, i) => threshold(t, spec.panelType, spec.unit, i)),
      timePreferance: 'GLOBAL_TIME',
      opacity: '1',
      nullZeroValues: 'zero',
      isStacked: spec.stacked ?? false,
      stackedBarChart: spec.stacked ?? false,
      fillSpans: false,
      bucketCount: spec.bucketCount ?? 30,
      bucketWidth: 0,
      mergeAllActiveQueries: false,
      legendPosition: 'bottom',
      softMin: spec.softMin ?? null,
      softMax: spec.softMax ?? null,
      selectedLogFields: null,
      selectedTracesFields: null,
    },
  };
}

/**
 * Packs widgets left to right in rows of 12 columns, in the order given; a widget that does not fit
 * starts a new row below the tallest widget of the current one. No overlap, x + w ≤ 12 by construction.
 */
export function autoLayout(placed: readonly PlacedWidget[]): SignozLayoutItem[] {
  const layout: SignozLayoutItem[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const { widget: w, w: width, h } of placed) {
    if (x + width > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    layout.push({ i: w.id, x, y, w: width, h, moved: false, static: false });
    x += width;
    rowHeight = Math.max(rowHeight, h);
  }
  return layout;
}

export interface QueryVariableSpec {
  name: string;
  description: string;
  sql: string;
  multiSelect?: boolean;
}

export interface TextboxVariableSpec {
  name: string;
  description: string;
  defaultValue: string;
}

export type VariableSpec =
  | ({ kind: 'query' } & QueryVariableSpec)
  | ({ kind: 'textbox' } & TextboxVariableSpec);

/** Multi-select QUERY variable with ALL selected by default (SigNoz then substitutes every option). */
export const queryVariable = (spec: QueryVariableSpec): VariableSpec => ({ kind: 'query', ...spec });
export const textboxVariable = (spec: TextboxVariableSpec): VariableSpec => ({ kind: 'textbox', ...spec });

function toSignozVariable(spec: VariableSpec, order: number): SignozVariable {
  const common = { id: spec.name, key: spec.name, name: spec.name, description: spec.description, order };
  if (spec.kind === 'textbox') {
    return {
      ...common,
      type: 'TEXTBOX',
      queryValue: '',
      customValue: '',
      textboxValue: spec.defaultValue,
      defaultValue: spec.defaultValue,
      selectedValue: spec.defaultValue,
      multiSelect: false,
      showALLOption: false,
      allSelected: false,
      sort: 'DISABLED',
    };
  }
  const multiSelect = spec.multiSelect ?? true;
  return {
    ...common,
    type: 'QUERY',
    queryValue: compactSql(spec.sql),
    customValue: '',
    textboxValue: '',
    multiSelect,
    showALLOption: multiSelect,
    allSelected: multiSelect,
    sort: 'ASC',
  };
}

export interface DashboardSpec {
  title: string;
  description: string;
  tags: readonly string[];
  variables: readonly VariableSpec[];
  widgets: readonly PlacedWidget[];
}

export function dashboard(spec: DashboardSpec): SignozDashboard {
  const variables: Record<string, SignozVariable> = {};
  spec.variables.forEach((v, order) => {
    variables[v.name] = toSignozVariable(v, order);
  });
  return {
    title: spec.title,
    description: spec.description,
    tags: [...spec.tags],
    version: 'v5',
    uploadedGrafana: false,
    variables,
    layout: autoLayout(spec.widgets),
    panelMap: {},
    widgets: spec.widgets.map((p) => p.widget),
  };
}
