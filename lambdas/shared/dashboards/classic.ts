/**
 * SigNoz's classic dashboard JSON (`"version": "v5"`): what SigNoz before v0.135 stores and what the UI's
 * "Import JSON" reads. Field names follow the SigNoz frontend types
 * (`frontend/src/types/api/dashboard/getAll.ts`); SigNoz from v0.135 converts this shape to its v6
 * schema on import (`pkg/types/dashboardtypes/perses_v1_to_v2*.go`).
 */
import type {
  DashboardDefinition,
  DecimalPrecision,
  PanelType,
  ThresholdOperator,
  ThresholdSpec,
  Unit,
  VariableDefinition,
  WidgetDefinition,
} from './types';

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
  decimalPrecision: DecimalPrecision;
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

function threshold(spec: ThresholdSpec, widget: WidgetDefinition, keyIndex: number): SignozThreshold {
  return {
    index: `threshold-${keyIndex}`,
    keyIndex,
    isEditEnabled: false,
    selectedGraph: widget.panelType,
    thresholdColor: spec.color,
    thresholdFormat: 'Text',
    thresholdLabel: spec.label,
    thresholdOperator: spec.operator,
    thresholdTableOptions: spec.column ?? '',
    thresholdUnit: widget.unit,
    thresholdValue: spec.value,
  };
}

function classicWidget(widget: WidgetDefinition): SignozWidget {
  return {
    id: widget.id,
    title: widget.title,
    description: widget.description,
    panelTypes: widget.panelType,
    query: {
      id: `${widget.id}-query`,
      queryType: 'clickhouse_sql',
      clickhouse_sql: [{ name: 'A', legend: '', disabled: false, query: widget.sql }],
      promql: [{ name: 'A', query: '', legend: '', disabled: false }],
      builder: { queryData: [], queryFormulas: [] },
    },
    yAxisUnit: widget.unit,
    decimalPrecision: widget.precision,
    columnUnits: { ...widget.columnUnits },
    thresholds: widget.thresholds.map((t, i) => threshold(t, widget, i)),
    timePreferance: 'GLOBAL_TIME',
    opacity: '1',
    nullZeroValues: 'zero',
    isStacked: widget.stacked,
    stackedBarChart: widget.stacked,
    fillSpans: false,
    bucketCount: widget.bucketCount,
    bucketWidth: 0,
    mergeAllActiveQueries: false,
    legendPosition: 'bottom',
    softMin: widget.softMin,
    softMax: widget.softMax,
    selectedLogFields: null,
    selectedTracesFields: null,
  };
}

function classicVariable(spec: VariableDefinition, order: number): SignozVariable {
  const common = { id: spec.name, key: spec.name, name: spec.name, description: spec.description, order };
  switch (spec.kind) {
    case 'textbox':
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
    case 'custom':
      return {
        ...common,
        type: 'CUSTOM',
        queryValue: '',
        customValue: spec.options.join(','),
        textboxValue: '',
        defaultValue: spec.defaultValue,
        selectedValue: spec.defaultValue,
        multiSelect: false,
        showALLOption: false,
        allSelected: false,
        sort: 'DISABLED',
      };
    case 'query':
      return {
        ...common,
        type: 'QUERY',
        queryValue: spec.sql,
        customValue: '',
        textboxValue: '',
        multiSelect: true,
        showALLOption: true,
        allSelected: true,
        sort: 'ASC',
      };
  }
}

/** The dashboard as SigNoz's classic JSON. */
export function toClassic(definition: DashboardDefinition): SignozDashboard {
  const variables: Record<string, SignozVariable> = {};
  definition.variables.forEach((variable, order) => {
    variables[variable.name] = classicVariable(variable, order);
  });
  return {
    title: definition.title,
    description: definition.description,
    tags: [...definition.tags],
    version: 'v5',
    uploadedGrafana: false,
    variables,
    layout: definition.layout.map(({ id, x, y, w, h }) => ({
      i: id,
      x,
      y,
      w,
      h,
      moved: false,
      static: false,
    })),
    panelMap: {},
    widgets: definition.widgets.map(classicWidget),
  };
}
