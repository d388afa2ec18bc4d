/**
 * The subset of SigNoz's dashboard JSON ("version": "v5") that these dashboards use.
 * Field names follow the SigNoz frontend types (`frontend/src/types/api/dashboard/getAll.ts`)
 * and dashboards exported from SigNoz (github.com/SigNoz/dashboards). Current SigNoz converts
 * this shape to its v6 (Perses) schema on import (`POST /api/v2/dashboards`).
 */

/** SigNoz `PANEL_TYPES` values that these dashboards use. */
export const PanelType = {
  GRAPH: 'graph',
  VALUE: 'value',
  TABLE: 'table',
  BAR: 'bar',
  PIE: 'pie',
  HISTOGRAM: 'histogram',
} as const;
export type PanelType = (typeof PanelType)[keyof typeof PanelType];

/** SigNoz y-axis units (`frontend/src/container/NewWidget/RightContainer/types.ts`). */
export const Unit = {
  /** 0–100. */
  PERCENT: 'percent',
  MILLISECONDS: 'ms',
  SHORT: 'short',
  NONE: 'none',
  USD: 'currencyUSD',
} as const;
export type Unit = (typeof Unit)[keyof typeof Unit];

export type ThresholdOperator = '>' | '<' | '>=' | '<=' | '=';

export interface SignozThreshold {
  index: string;
  keyIndex: number;
  isEditEnabled: false;
  selectedGraph: PanelType;
  thresholdColor: string;
  thresholdFormat: 'Text' | 'Background';
  thresholdLabel: string;
  thresholdOperator: ThresholdOperator;
  /** For table panels: the column the threshold colours. */
  thresholdTableOptions: string;
  thresholdUnit: Unit;
  thresholdValue: number;
}

export interface SignozClickhouseQuery {
  name: string;
  legend: string;
  disabled: false;
  query: string;
}

export interface SignozWidgetQuery {
  id: string;
  queryType: 'clickhouse_sql';
  clickhouse_sql: SignozClickhouseQuery[];
  promql: { name: string; query: string; legend: string; disabled: boolean }[];
  builder: { queryData: unknown[]; queryFormulas: unknown[] };
}

export interface SignozWidget {
  id: string;
  title: string;
  description: string;
  panelTypes: PanelType;
  query: SignozWidgetQuery;
  yAxisUnit: Unit;
  columnUnits: Record<string, Unit>;
  thresholds: SignozThreshold[];
  timePreferance: 'GLOBAL_TIME';
  opacity: '1';
  nullZeroValues: 'zero';
  isStacked: boolean;
  stackedBarChart: boolean;
  fillSpans: boolean;
  bucketCount: number;
  bucketWidth: number;
  mergeAllActiveQueries: boolean;
  legendPosition: 'bottom' | 'right';
  softMin: number | null;
  softMax: number | null;
  selectedLogFields: null;
  selectedTracesFields: null;
}

/** One react-grid-layout entry on SigNoz's 12-column grid. */
export interface SignozLayoutItem {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
  moved: false;
  static: false;
}

export type SignozVariableType = 'QUERY' | 'TEXTBOX' | 'CUSTOM';

export interface SignozVariable {
  id: string;
  key: string;
  name: string;
  description: string;
  type: SignozVariableType;
  order: number;
  queryValue: string;
  customValue: string;
  textboxValue: string;
  defaultValue?: string;
  selectedValue?: string;
  multiSelect: boolean;
  showALLOption: boolean;
  allSelected: boolean;
  sort: 'DISABLED' | 'ASC' | 'DESC';
}

export interface SignozDashboard {
  title: string;
  description: string;
  tags: string[];
  version: 'v5';
  uploadedGrafana: false;
  variables: Record<string, SignozVariable>;
  layout: SignozLayoutItem[];
  panelMap: Record<string, never>;
  widgets: SignozWidget[];
}
