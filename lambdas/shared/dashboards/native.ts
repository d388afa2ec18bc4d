/**
 * SigNoz's native dashboard format, schema "v6" (Perses with SigNoz plugins), as `POST /api/v2/dashboards`
 * and `PUT /api/v2/dashboards/{id}` take it. Shapes transcribed from SigNoz's Go types, which decode with
 * unknown fields refused (`pkg/types/dashboardtypes/perses_dashboard.go`, `perses_dashboard_data.go`,
 * `perses_replicas.go`, `perses_signoz_plugins.go`); mappings as SigNoz's own classic→v6 migration makes
 * them (`perses_v1_to_v2_panels.go`, `_queries.go`, `_variables.go`, `_tags.go`).
 */
import {
  DASHBOARD_DEFAULTS,
  type DashboardDefinition,
  PanelType,
  type ThresholdOperator,
  type ThresholdSpec,
  type VariableDefinition,
  type WidgetDefinition,
} from './types';

export const NATIVE_SCHEMA_VERSION = 'v6';

/** Prefix of every dashboard's `name` (a DNS-1123 label, immutable once created: the update key). */
export const NATIVE_NAME_PREFIX = 'trading-observability-';

export const PanelPluginKind = {
  TIME_SERIES: 'signoz/TimeSeriesPanel',
  BAR_CHART: 'signoz/BarChartPanel',
  NUMBER: 'signoz/NumberPanel',
  PIE_CHART: 'signoz/PieChartPanel',
  TABLE: 'signoz/TablePanel',
  HISTOGRAM: 'signoz/HistogramPanel',
} as const;
export type PanelPluginKind = (typeof PanelPluginKind)[keyof typeof PanelPluginKind];

/** The query's request type: what result shape the panel reads (SigNoz's `requestTypeForPanel`). */
export type RequestType = 'time_series' | 'scalar';

const PANEL_KIND: Record<PanelType, { plugin: PanelPluginKind; request: RequestType }> = {
  [PanelType.GRAPH]: { plugin: PanelPluginKind.TIME_SERIES, request: 'time_series' },
  [PanelType.BAR]: { plugin: PanelPluginKind.BAR_CHART, request: 'time_series' },
  [PanelType.HISTOGRAM]: { plugin: PanelPluginKind.HISTOGRAM, request: 'time_series' },
  [PanelType.VALUE]: { plugin: PanelPluginKind.NUMBER, request: 'scalar' },
  [PanelType.PIE]: { plugin: PanelPluginKind.PIE_CHART, request: 'scalar' },
  [PanelType.TABLE]: { plugin: PanelPluginKind.TABLE, request: 'scalar' },
};

/** SigNoz's ComparisonOperator values, as its migration maps the classic operators. */
const OPERATOR: Record<ThresholdOperator, string> = {
  '>': 'above',
  '>=': 'above_or_equal',
  '<': 'below',
  '<=': 'below_or_equal',
  '=': 'equal',
};

export interface NativeDisplay {
  name: string;
  description: string;
}

export interface NativeClickHouseQuery {
  kind: RequestType;
  spec: {
    name: string;
    plugin: {
      kind: 'signoz/ClickHouseSQL';
      spec: { name: string; query: string; disabled: false; legend: string };
    };
  };
}

export interface NativePanel {
  kind: 'Panel';
  spec: {
    display: NativeDisplay;
    plugin: { kind: PanelPluginKind; spec: Record<string, unknown> };
    queries: [NativeClickHouseQuery];
    links: [];
  };
}

export type NativeVariable =
  | {
      kind: 'TextVariable';
      spec: { display: NativeDisplay; value: string; constant: false; name: string };
    }
  | {
      kind: 'ListVariable';
      spec: {
        display: NativeDisplay;
        defaultValue?: string;
        allowAllValue: boolean;
        allowMultiple: boolean;
        customAllValue: '';
        capturingRegexp: '';
        sort: 'none' | 'alphabetical-asc';
        plugin:
          | { kind: 'signoz/QueryVariable'; spec: { queryValue: string } }
          | { kind: 'signoz/CustomVariable'; spec: { customValue: string } };
        name: string;
      };
    };

export interface NativeGridItem {
  x: number;
  y: number;
  width: number;
  height: number;
  content: { $ref: string };
}

export interface NativeDashboard {
  schemaVersion: typeof NATIVE_SCHEMA_VERSION;
  name: string;
  tags: Array<{ key: string; value: string }>;
  spec: {
    display: NativeDisplay;
    variables: NativeVariable[];
    panels: Record<string, NativePanel>;
    layouts: [{ kind: 'Grid'; spec: { items: NativeGridItem[] } }];
    duration: string;
    refreshInterval: string;
    links: [];
  };
}

const formatting = (widget: WidgetDefinition) => ({
  unit: widget.unit,
  decimalPrecision: String(widget.precision),
});
const axes = (widget: WidgetDefinition) => ({
  softMin: widget.softMin,
  softMax: widget.softMax,
  isLogScale: false,
});
const legend = { position: 'bottom', mode: 'list', customColors: {} };
const visualization = { timePreference: 'global_time' };

const labelled = (widget: WidgetDefinition) =>
  widget.thresholds.map((t) => ({ value: t.value, unit: widget.unit, color: t.color, label: t.label }));

const comparison = (widget: WidgetDefinition, t: ThresholdSpec) => ({
  value: t.value,
  operator: OPERATOR[t.operator],
  unit: widget.unit,
  color: t.color,
  format: 'text',
});

/** The panel plugin's spec: exactly the fields SigNoz's Go type for that kind declares. */
function pluginSpec(widget: WidgetDefinition): Record<string, unknown> {
  switch (widget.panelType) {
    case PanelType.GRAPH:
      return {
        visualization: { ...visualization, fillSpans: false },
        formatting: formatting(widget),
        chartAppearance: {
          lineInterpolation: 'spline',
          showPoints: false,
          lineStyle: 'solid',
          fillMode: 'none',
          spanGaps: { fillOnlyBelow: false, fillLessThan: '' },
        },
        axes: axes(widget),
        legend,
        thresholds: labelled(widget),
      };
    case PanelType.BAR:
      return {
        visualization: { ...visualization, fillSpans: false, stackedBarChart: widget.stacked },
        formatting: formatting(widget),
        axes: axes(widget),
        legend,
        thresholds: labelled(widget),
      };
    case PanelType.VALUE:
      return {
        visualization,
        formatting: formatting(widget),
        thresholds: widget.thresholds.map((t) => comparison(widget, t)),
      };
    case PanelType.PIE:
      return { visualization, formatting: formatting(widget), legend };
    case PanelType.TABLE:
      return {
        visualization,
        formatting: { columnUnits: { ...widget.columnUnits }, decimalPrecision: String(widget.precision) },
        thresholds: widget.thresholds.map((t) => ({ ...comparison(widget, t), columnName: t.column ?? '' })),
      };
    case PanelType.HISTOGRAM:
      return {
        histogramBuckets: {
          bucketCount: widget.bucketCount,
          bucketWidth: null,
          mergeAllActiveQueries: false,
        },
        legend,
      };
  }
}

function nativePanel(widget: WidgetDefinition): NativePanel {
  const kind = PANEL_KIND[widget.panelType];
  return {
    kind: 'Panel',
    spec: {
      display: { name: widget.title, description: widget.description },
      plugin: { kind: kind.plugin, spec: pluginSpec(widget) },
      queries: [
        {
          kind: kind.request,
          spec: {
            name: 'A',
            plugin: {
              kind: 'signoz/ClickHouseSQL',
              spec: { name: 'A', query: widget.sql, disabled: false, legend: '' },
            },
          },
        },
      ],
      links: [],
    },
  };
}

function nativeVariable(variable: VariableDefinition): NativeVariable {
  const display = { name: variable.name, description: variable.description };
  switch (variable.kind) {
    case 'textbox':
      return {
        kind: 'TextVariable',
        spec: { display, value: variable.defaultValue, constant: false, name: variable.name },
      };
    case 'custom':
      return {
        kind: 'ListVariable',
        spec: {
          display,
          defaultValue: variable.defaultValue,
          allowAllValue: false,
          allowMultiple: false,
          customAllValue: '',
          capturingRegexp: '',
          sort: 'none',
          plugin: { kind: 'signoz/CustomVariable', spec: { customValue: variable.options.join(',') } },
          name: variable.name,
        },
      };
    case 'query':
      // No defaultValue: SigNoz selects ALL for a multi-select variable that offers it.
      return {
        kind: 'ListVariable',
        spec: {
          display,
          allowAllValue: true,
          allowMultiple: true,
          customAllValue: '',
          capturingRegexp: '',
          sort: 'alphabetical-asc',
          plugin: { kind: 'signoz/QueryVariable', spec: { queryValue: variable.sql } },
          name: variable.name,
        },
      };
  }
}

/**
 * The dashboard as a v6 body for `POST /api/v2/dashboards` and (unchanged) `PUT /api/v2/dashboards/{id}`:
 * a fixed `name` (PUT requires the stored name), tags as SigNoz's migration turns classic tags into
 * pairs (key `tag`), no `generateName` (PUT refuses unknown fields).
 */
export function toNative(definition: DashboardDefinition): NativeDashboard {
  const panels: Record<string, NativePanel> = {};
  for (const widget of definition.widgets) panels[widget.id] = nativePanel(widget);
  return {
    schemaVersion: NATIVE_SCHEMA_VERSION,
    name: `${NATIVE_NAME_PREFIX}${definition.key}`,
    tags: definition.tags.map((value) => ({ key: 'tag', value })),
    spec: {
      display: { name: definition.title, description: definition.description },
      variables: definition.variables.map(nativeVariable),
      panels,
      layouts: [
        {
          kind: 'Grid',
          spec: {
            items: definition.layout.map(({ id, x, y, w, h }) => ({
              x,
              y,
              width: w,
              height: h,
              content: { $ref: `#/spec/panels/${id}` },
            })),
          },
        },
      ],
      duration: DASHBOARD_DEFAULTS.duration,
      refreshInterval: DASHBOARD_DEFAULTS.refreshInterval,
      links: [],
    },
  };
}
