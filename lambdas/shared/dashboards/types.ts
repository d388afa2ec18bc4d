/**
 * The dashboards' own model, independent of SigNoz's two JSON formats: widgets (one ClickHouse SQL
 * query each), variables and a grid layout. `classic.ts` renders it as SigNoz's classic dashboard JSON
 * (`"version": "v5"`), `native.ts` as SigNoz's native v6 (Perses) dashboard.
 */

/** Panel types, named as SigNoz's classic `PANEL_TYPES` (each maps to one v6 panel plugin). */
export const PanelType = {
  GRAPH: 'graph',
  VALUE: 'value',
  TABLE: 'table',
  BAR: 'bar',
  PIE: 'pie',
  HISTOGRAM: 'histogram',
} as const;
export type PanelType = (typeof PanelType)[keyof typeof PanelType];

/** SigNoz y-axis / column units (the same ids in both formats). */
export const Unit = {
  /** 0–100. */
  PERCENT: 'percent',
  MILLISECONDS: 'ms',
  SHORT: 'short',
  NONE: 'none',
  USD: 'currencyUSD',
} as const;
export type Unit = (typeof Unit)[keyof typeof Unit];

/** Decimals SigNoz shows for a panel's values (its `PrecisionOption`, without "full"). */
export type DecimalPrecision = 0 | 1 | 2 | 3 | 4;

export type ThresholdOperator = '>' | '<' | '>=' | '<=' | '=';

export interface ThresholdSpec {
  readonly value: number;
  readonly operator: ThresholdOperator;
  readonly color: string;
  readonly label: string;
  /** Table panels: the column to colour. */
  readonly column?: string;
}

/** One widget: a panel with one ClickHouse SQL query. */
export interface WidgetDefinition {
  /** Stable id (letters, digits, `-`), the panel's key in both formats. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly panelType: PanelType;
  readonly unit: Unit;
  readonly precision: DecimalPrecision;
  readonly sql: string;
  readonly thresholds: readonly ThresholdSpec[];
  /** Table panels: unit per column. */
  readonly columnUnits: Readonly<Record<string, Unit>>;
  /** Histogram panels: number of buckets. */
  readonly bucketCount: number;
  /** Line/bar charts: stack series. */
  readonly stacked: boolean;
  readonly softMin: number | null;
  readonly softMax: number | null;
}

/** Where a widget sits on SigNoz's 12-column grid. */
export interface LayoutItem {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A dashboard variable, referenced as `$name` in the queries. */
export type VariableDefinition =
  /** Options from a ClickHouse query; multi-select with ALL selected by default. */
  | {
      readonly kind: 'query';
      readonly name: string;
      readonly description: string;
      readonly sql: string;
    }
  /** A fixed list of options, single-select, with a default. */
  | {
      readonly kind: 'custom';
      readonly name: string;
      readonly description: string;
      readonly options: readonly string[];
      readonly defaultValue: string;
    }
  /** Free text with a default. */
  | {
      readonly kind: 'textbox';
      readonly name: string;
      readonly description: string;
      readonly defaultValue: string;
    };

export interface DashboardDefinition {
  /** Stable key: the file name and the v6 `name` suffix. */
  readonly key: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly variables: readonly VariableDefinition[];
  readonly widgets: readonly WidgetDefinition[];
  readonly layout: readonly LayoutItem[];
}

/** What every dashboard declares as its default view (v6 keeps these in the JSON). */
export const DASHBOARD_DEFAULTS = {
  /** Auto-refresh (a Perses duration). */
  refreshInterval: '30s',
  /** The default time range; every query is written to work up to this range. */
  duration: '90d',
} as const;
