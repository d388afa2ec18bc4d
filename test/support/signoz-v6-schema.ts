/**
 * What SigNoz accepts as a v6 dashboard body (`POST /api/v2/dashboards`, `PUT /api/v2/dashboards/{id}`),
 * transcribed from its Go types and validators (SigNoz/signoz @ 9997c3da, v0.138+): every object is
 * decoded with unknown fields refused, so each key set here is the struct's JSON fields; enums,
 * required fields and the cross-field rules are those of `PostableDashboardV2.Validate`,
 * `UpdatableDashboardV2.Validate`, `DashboardSpec.Validate` and the plugin decoders
 * (`pkg/types/dashboardtypes/perses_*.go`, `pkg/types/tagtypes/tag.go`, perses `common.ValidateID`).
 * Returns the problems found (empty when SigNoz would accept the body).
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Perses `common.ValidateID`. */
const ID = /^[a-zA-Z0-9_.-]{1,75}$/;
/** Kubernetes DNS-1123 label (the dashboard's `name`). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const TAG_KEY = /^[a-zA-Z$_@{#][a-zA-Z0-9$_@#{}:/-]*$/;
const TAG_VALUE = /^[a-zA-Z0-9$_@#{}:.+=/-]*$/;
const RESERVED_TAG_KEYS = [
  'name',
  'description',
  'created_at',
  'updated_at',
  'created_by',
  'locked',
  'source',
];
/** Perses DurationString (Prometheus duration syntax). */
const DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
const MAX_DISPLAY_NAME = 128;

const PRECISION = ['0', '1', '2', '3', '4', 'full'];
const TIME_PREFERENCE = [
  'global_time',
  'last_5_min',
  'last_15_min',
  'last_30_min',
  'last_1_hr',
  'last_6_hr',
  'last_1_day',
  'last_3_days',
  'last_1_week',
  'last_1_month',
];
const OPERATOR = ['above', 'below', 'above_or_equal', 'below_or_equal', 'equal', 'not_equal'];
const SORT = [
  'none',
  'alphabetical-asc',
  'alphabetical-desc',
  'numerical-asc',
  'numerical-desc',
  'alphabetical-ci-asc',
  'alphabetical-ci-desc',
];

/** Panel plugin kind → the fields of its spec type, and the query request type SigNoz's migration gives it. */
const PANEL_SPECS: Record<string, { fields: readonly string[]; request: string }> = {
  'signoz/TimeSeriesPanel': {
    fields: ['visualization', 'formatting', 'chartAppearance', 'axes', 'legend', 'thresholds'],
    request: 'time_series',
  },
  'signoz/BarChartPanel': {
    fields: ['visualization', 'formatting', 'axes', 'legend', 'thresholds'],
    request: 'time_series',
  },
  'signoz/NumberPanel': { fields: ['visualization', 'formatting', 'thresholds'], request: 'scalar' },
  'signoz/PieChartPanel': { fields: ['visualization', 'formatting', 'legend'], request: 'scalar' },
  'signoz/TablePanel': { fields: ['visualization', 'formatting', 'thresholds'], request: 'scalar' },
  'signoz/HistogramPanel': { fields: ['histogramBuckets', 'legend'], request: 'time_series' },
};

class Checker {
  readonly problems: string[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  /** An object whose keys are all known and whose required keys are present. */
  object(path: string, value: unknown, known: readonly string[], required: readonly string[] = []): Json {
    if (!isObject(value)) {
      this.fail(path, `expected an object, got ${JSON.stringify(value)}`);
      return {};
    }
    for (const key of Object.keys(value)) if (!known.includes(key)) this.fail(path, `unknown field "${key}"`);
    for (const key of required) if (!(key in value)) this.fail(path, `missing required field "${key}"`);
    return value;
  }

  oneOf(path: string, value: unknown, allowed: readonly unknown[]): void {
    if (value !== undefined && !allowed.includes(value))
      this.fail(path, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  }

  type(path: string, value: unknown, type: 'string' | 'number' | 'boolean', nullable = false): void {
    if (value === undefined || (nullable && value === null)) return;
    if (typeof value !== type) this.fail(path, `expected a ${type}, got ${JSON.stringify(value)}`);
  }

  display(path: string, value: unknown): void {
    const display = this.object(path, value, ['name', 'description'], ['name']);
    this.type(`${path}.name`, display.name, 'string');
    this.type(`${path}.description`, display.description, 'string');
    if (typeof display.name === 'string' && [...display.name].length > MAX_DISPLAY_NAME) {
      this.fail(`${path}.name`, `longer than ${MAX_DISPLAY_NAME} characters`);
    }
  }

  formatting(path: string, value: unknown, table: boolean): void {
    const formatting = this.object(
      path,
      value,
      table ? ['columnUnits', 'decimalPrecision'] : ['unit', 'decimalPrecision'],
    );
    this.oneOf(`${path}.decimalPrecision`, formatting.decimalPrecision, PRECISION);
    if (table && formatting.columnUnits !== undefined && !isObject(formatting.columnUnits)) {
      this.fail(`${path}.columnUnits`, 'expected an object');
    }
  }

  legend(path: string, value: unknown): void {
    const legend = this.object(path, value, ['position', 'mode', 'customColors']);
    this.oneOf(`${path}.position`, legend.position, ['bottom', 'right']);
    this.oneOf(`${path}.mode`, legend.mode, ['list', 'table']);
  }

  axes(path: string, value: unknown): void {
    const axes = this.object(path, value, ['softMin', 'softMax', 'isLogScale']);
    this.type(`${path}.softMin`, axes.softMin, 'number', true);
    this.type(`${path}.softMax`, axes.softMax, 'number', true);
    this.type(`${path}.isLogScale`, axes.isLogScale, 'boolean');
  }

  thresholds(path: string, value: unknown, fields: readonly string[], required: readonly string[]): void {
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) {
      this.fail(path, 'expected an array');
      return;
    }
    value.forEach((item, i) => {
      const threshold = this.object(`${path}[${i}]`, item, fields, required);
      this.type(`${path}[${i}].value`, threshold.value, 'number');
      if (typeof threshold.color !== 'string' || threshold.color === '')
        this.fail(`${path}[${i}].color`, 'required');
      this.oneOf(`${path}[${i}].operator`, threshold.operator, OPERATOR);
      this.oneOf(`${path}[${i}].format`, threshold.format, ['text', 'background']);
      if (
        'columnName' in threshold &&
        (typeof threshold.columnName !== 'string' || threshold.columnName === '')
      ) {
        this.fail(`${path}[${i}].columnName`, 'required');
      }
    });
  }

  panelSpec(path: string, kind: string, value: unknown): void {
    const allowed = PANEL_SPECS[kind];
    if (!allowed) {
      this.fail(path, `unknown panel plugin kind ${kind}`);
      return;
    }
    const spec = this.object(path, value, allowed.fields);
    const visualizationFields =
      kind === 'signoz/TimeSeriesPanel'
        ? ['timePreference', 'fillSpans']
        : kind === 'signoz/BarChartPanel'
          ? ['timePreference', 'fillSpans', 'stackedBarChart']
          : ['timePreference'];
    if ('visualization' in spec) {
      const visualization = this.object(`${path}.visualization`, spec.visualization, visualizationFields);
      this.oneOf(`${path}.visualization.timePreference`, visualization.timePreference, TIME_PREFERENCE);
    }
    if ('formatting' in spec)
      this.formatting(`${path}.formatting`, spec.formatting, kind === 'signoz/TablePanel');
    if ('legend' in spec) this.legend(`${path}.legend`, spec.legend);
    if ('axes' in spec) this.axes(`${path}.axes`, spec.axes);
    if ('chartAppearance' in spec) {
      const appearance = this.object(`${path}.chartAppearance`, spec.chartAppearance, [
        'lineInterpolation',
        'showPoints',
        'lineStyle',
        'fillMode',
        'spanGaps',
      ]);
      this.oneOf(`${path}.chartAppearance.lineInterpolation`, appearance.lineInterpolation, [
        'linear',
        'spline',
        'step_after',
        'step_before',
      ]);
      this.oneOf(`${path}.chartAppearance.lineStyle`, appearance.lineStyle, ['solid', 'dashed']);
      this.oneOf(`${path}.chartAppearance.fillMode`, appearance.fillMode, ['solid', 'gradient', 'none']);
      const gaps = this.object(`${path}.chartAppearance.spanGaps`, appearance.spanGaps ?? {}, [
        'fillOnlyBelow',
        'fillLessThan',
      ]);
      if (gaps.fillOnlyBelow === true && !gaps.fillLessThan)
        this.fail(`${path}.chartAppearance.spanGaps`, 'fillLessThan required');
    }
    if ('histogramBuckets' in spec) {
      const buckets = this.object(`${path}.histogramBuckets`, spec.histogramBuckets, [
        'bucketCount',
        'bucketWidth',
        'mergeAllActiveQueries',
      ]);
      this.type(`${path}.histogramBuckets.bucketCount`, buckets.bucketCount, 'number', true);
      this.type(`${path}.histogramBuckets.bucketWidth`, buckets.bucketWidth, 'number', true);
    }
    const thresholdPath = `${path}.thresholds`;
    if (kind === 'signoz/TimeSeriesPanel' || kind === 'signoz/BarChartPanel') {
      this.thresholds(
        thresholdPath,
        spec.thresholds,
        ['value', 'unit', 'color', 'label'],
        ['value', 'color'],
      );
    } else if (kind === 'signoz/NumberPanel') {
      this.thresholds(
        thresholdPath,
        spec.thresholds,
        ['value', 'operator', 'unit', 'color', 'format'],
        ['value', 'color'],
      );
    } else if (kind === 'signoz/TablePanel') {
      this.thresholds(
        thresholdPath,
        spec.thresholds,
        ['value', 'operator', 'unit', 'color', 'format', 'columnName'],
        ['value', 'color', 'columnName'],
      );
    }
  }

  panel(path: string, value: unknown): void {
    const panel = this.object(path, value, ['kind', 'spec'], ['kind', 'spec']);
    this.oneOf(`${path}.kind`, panel.kind, ['Panel']);
    const spec = this.object(
      `${path}.spec`,
      panel.spec,
      ['display', 'plugin', 'queries', 'links'],
      ['display', 'plugin', 'queries'],
    );
    this.display(`${path}.spec.display`, spec.display);
    const plugin = this.object(`${path}.spec.plugin`, spec.plugin, ['kind', 'spec'], ['kind', 'spec']);
    this.panelSpec(`${path}.spec.plugin.spec`, String(plugin.kind), plugin.spec);
    if (!Array.isArray(spec.queries) || spec.queries.length !== 1) {
      this.fail(`${path}.spec.queries`, 'panel must have one query');
      return;
    }
    const query = this.object(`${path}.spec.queries[0]`, spec.queries[0], ['kind', 'spec'], ['kind', 'spec']);
    this.oneOf(`${path}.spec.queries[0].kind`, query.kind, [PANEL_SPECS[String(plugin.kind)]?.request]);
    const querySpec = this.object(`${path}.spec.queries[0].spec`, query.spec, ['name', 'plugin'], ['plugin']);
    const queryPlugin = this.object(
      `${path}.spec.queries[0].spec.plugin`,
      querySpec.plugin,
      ['kind', 'spec'],
      ['kind', 'spec'],
    );
    this.oneOf(`${path}.spec.queries[0].spec.plugin.kind`, queryPlugin.kind, ['signoz/ClickHouseSQL']);
    const sql = this.object(`${path}.spec.queries[0].spec.plugin.spec`, queryPlugin.spec, [
      'name',
      'query',
      'disabled',
      'legend',
    ]);
    if (typeof sql.query !== 'string' || sql.query.trim() === '') {
      this.fail(`${path}.spec.queries[0].spec.plugin.spec.query`, 'ClickHouse SQL query is required');
    }
  }

  variable(path: string, value: unknown, seen: Set<string>): void {
    const variable = this.object(path, value, ['kind', 'spec'], ['kind', 'spec']);
    const fields =
      variable.kind === 'TextVariable'
        ? ['display', 'value', 'constant', 'name']
        : [
            'display',
            'defaultValue',
            'allowAllValue',
            'allowMultiple',
            'customAllValue',
            'capturingRegexp',
            'sort',
            'plugin',
            'name',
          ];
    if (variable.kind !== 'TextVariable' && variable.kind !== 'ListVariable') {
      this.fail(`${path}.kind`, `unknown variable kind ${String(variable.kind)}`);
      return;
    }
    const spec = this.object(
      `${path}.spec`,
      variable.spec,
      fields,
      variable.kind === 'TextVariable' ? ['display', 'value', 'name'] : ['display', 'name'],
    );
    this.display(`${path}.spec.display`, spec.display);
    const name = String(spec.name);
    if (!ID.test(name) || /^\d+$/.test(name)) this.fail(`${path}.spec.name`, `invalid variable name ${name}`);
    if (seen.has(name)) this.fail(`${path}.spec.name`, `duplicate variable name ${name}`);
    seen.add(name);
    if (variable.kind === 'ListVariable') {
      this.oneOf(`${path}.spec.sort`, spec.sort, SORT);
      if (spec.allowAllValue === true && spec.allowMultiple !== true)
        this.fail(path, 'allowAllValue needs allowMultiple');
      if (Array.isArray(spec.defaultValue) && spec.allowMultiple !== true)
        this.fail(path, 'a list default needs allowMultiple');
      const plugin = this.object(`${path}.spec.plugin`, spec.plugin, ['kind', 'spec'], ['kind', 'spec']);
      const pluginFields: Record<string, string[]> = {
        'signoz/QueryVariable': ['queryValue'],
        'signoz/CustomVariable': ['customValue'],
        'signoz/DynamicVariable': ['name', 'signal'],
      };
      const allowed = pluginFields[String(plugin.kind)];
      if (!allowed) {
        this.fail(`${path}.spec.plugin.kind`, `unknown ${String(plugin.kind)}`);
        return;
      }
      const pluginSpec = this.object(`${path}.spec.plugin.spec`, plugin.spec, allowed, allowed);
      for (const key of allowed)
        if (!pluginSpec[key]) this.fail(`${path}.spec.plugin.spec.${key}`, 'required');
    }
  }

  layouts(path: string, value: unknown, panels: Json): void {
    if (!Array.isArray(value)) {
      this.fail(path, 'is required and must not be null');
      return;
    }
    const placed = new Set<string>();
    for (const [li, layout] of value.entries()) {
      const lp = `${path}[${li}]`;
      const envelope = this.object(lp, layout, ['kind', 'spec'], ['kind', 'spec']);
      this.oneOf(`${lp}.kind`, envelope.kind, ['Grid']);
      const grid = this.object(
        `${lp}.spec`,
        envelope.spec,
        ['display', 'items', 'repeatVariable'],
        ['items'],
      );
      if (!Array.isArray(grid.items)) {
        this.fail(`${lp}.spec.items`, 'expected an array');
        continue;
      }
      if (grid.items.length > 100) this.fail(`${lp}.spec.items`, 'more than 100 items');
      for (const [ii, raw] of grid.items.entries()) {
        const ip = `${lp}.spec.items[${ii}]`;
        const item = this.object(
          ip,
          raw,
          ['x', 'y', 'width', 'height', 'content'],
          ['x', 'y', 'width', 'height', 'content'],
        );
        const [x, y, w, h] = [item.x, item.y, item.width, item.height].map(Number) as [
          number,
          number,
          number,
          number,
        ];
        if (!(w >= 1 && h >= 1 && x >= 0 && y >= 0 && x < 12 && x + w <= 12))
          this.fail(ip, `bad geometry ${x},${y} ${w}×${h}`);
        const content = this.object(`${ip}.content`, item.content, ['$ref'], ['$ref']);
        const match = /^#\/spec\/panels\/(.+)$/.exec(String(content.$ref));
        const key = match?.[1];
        if (!key || !(key in panels)) {
          this.fail(`${ip}.content`, `references unknown panel ${String(content.$ref)}`);
          continue;
        }
        if (placed.has(key)) this.fail(`${ip}.content`, `panel ${key} placed twice`);
        placed.add(key);
      }
    }
  }
}

/** Problems SigNoz would report for this v6 body, or [] when it would be accepted. */
export function nativeDashboardProblems(body: unknown): string[] {
  const c = new Checker();
  const root = c.object(
    '$',
    body,
    ['schemaVersion', 'image', 'name', 'generateName', 'tags', 'spec'],
    ['schemaVersion', 'tags', 'spec'],
  );
  c.oneOf('$.schemaVersion', root.schemaVersion, ['v6']);
  if (root.generateName !== true && !DNS_LABEL.test(String(root.name ?? '')))
    c.fail('$.name', `not a DNS-1123 label: ${String(root.name)}`);
  if (!Array.isArray(root.tags)) c.fail('$.tags', 'required');
  else {
    if (root.tags.length > 10) c.fail('$.tags', 'at most 10 tags');
    root.tags.forEach((raw, i) => {
      const tag = c.object(`$.tags[${i}]`, raw, ['key', 'value'], ['key', 'value']);
      const key = String(tag.key);
      const value = String(tag.value);
      if (!TAG_KEY.test(key) || key.length > 32 || RESERVED_TAG_KEYS.includes(key.toLowerCase()))
        c.fail(`$.tags[${i}].key`, `invalid ${key}`);
      if (!TAG_VALUE.test(value) || value.length > 32) c.fail(`$.tags[${i}].value`, `invalid ${value}`);
    });
  }
  const spec = c.object(
    '$.spec',
    root.spec,
    ['display', 'variables', 'panels', 'layouts', 'duration', 'refreshInterval', 'links'],
    ['display', 'variables', 'panels', 'layouts'],
  );
  c.display('$.spec.display', spec.display);
  for (const key of ['duration', 'refreshInterval'] as const) {
    if (spec[key] !== undefined && !DURATION.test(String(spec[key])))
      c.fail(`$.spec.${key}`, `not a duration: ${String(spec[key])}`);
  }
  const seen = new Set<string>();
  if (!Array.isArray(spec.variables)) c.fail('$.spec.variables', 'is required and must not be null');
  else for (const [i, v] of spec.variables.entries()) c.variable(`$.spec.variables[${i}]`, v, seen);
  const panels = isObject(spec.panels) ? spec.panels : {};
  if (!isObject(spec.panels)) c.fail('$.spec.panels', 'is required and must not be null');
  for (const [key, panel] of Object.entries(panels)) {
    if (!ID.test(key)) c.fail(`$.spec.panels`, `invalid panel key ${key}`);
    c.panel(`$.spec.panels.${key}`, panel);
  }
  c.layouts('$.spec.layouts', spec.layouts, panels);
  return c.problems;
}
