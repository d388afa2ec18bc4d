/**
 * Runs every panel query of the SigNoz dashboards, in both formats (classic v5 and native v6), against
 * spans loaded into chdb, with SigNoz's variable substitution, and checks the results have the shape
 * the panel needs. Used by the integration test and by `npm run dashboards:verify`.
 */
import type { NativeDashboard, SignozDashboard } from '../../lambdas/shared/dashboards';
import {
  type SignozClickhouse,
  type SignozQueryContext,
  type SignozVariableValue,
  substituteSignozVariables,
  substituteVariableQuery,
} from './clickhouse';

export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** The range covering every loaded span, padded by a minute each side. */
export async function loadedTimeRange(db: SignozClickhouse): Promise<TimeRange> {
  const [row] = await db.query<{ first: string; last: string }>(
    'SELECT toString(toUnixTimestamp64Milli(min(timestamp))) AS first, ' +
      'toString(toUnixTimestamp64Milli(max(timestamp))) AS last FROM signoz_traces.signoz_index_v3',
  );
  if (!row) throw new Error('no spans loaded');
  return { startMs: Number(row.first) - 60_000, endMs: Number(row.last) + 60_000 };
}

/** What a panel needs from its rows, whatever the format says it is. */
export type PanelShape = 'value' | 'series' | 'pie' | 'table';

export interface PanelUnderTest {
  readonly id: string;
  readonly shape: PanelShape;
  readonly sql: string;
}

export interface VariableUnderTest {
  readonly name: string;
  /** `query`: options from its SQL (ALL = every option); otherwise its default value. */
  readonly kind: 'query' | 'value';
  readonly sql?: string;
  readonly value?: string;
}

/** One dashboard of one format, reduced to what SigNoz runs: variables in order, then panels. */
export interface DashboardUnderTest {
  readonly key: string;
  readonly format: 'v5' | 'v6';
  readonly variables: readonly VariableUnderTest[];
  readonly panels: readonly PanelUnderTest[];
}

const CLASSIC_SHAPE: Record<string, PanelShape> = {
  value: 'value',
  graph: 'series',
  bar: 'series',
  histogram: 'series',
  pie: 'pie',
  table: 'table',
};

const NATIVE_SHAPE: Record<string, PanelShape> = {
  'signoz/NumberPanel': 'value',
  'signoz/TimeSeriesPanel': 'series',
  'signoz/BarChartPanel': 'series',
  'signoz/HistogramPanel': 'series',
  'signoz/PieChartPanel': 'pie',
  'signoz/TablePanel': 'table',
};

export function classicUnderTest(key: string, dashboard: SignozDashboard): DashboardUnderTest {
  return {
    key,
    format: 'v5',
    variables: Object.values(dashboard.variables)
      .sort((a, b) => a.order - b.order)
      .map((v) =>
        v.type === 'QUERY'
          ? { name: v.name, kind: 'query', sql: v.queryValue }
          : { name: v.name, kind: 'value', value: v.selectedValue ?? v.textboxValue },
      ),
    panels: dashboard.widgets.map((w) => ({
      id: w.id,
      shape: CLASSIC_SHAPE[w.panelTypes] ?? 'table',
      sql: w.query.clickhouse_sql[0]?.query ?? '',
    })),
  };
}

export function nativeUnderTest(key: string, dashboard: NativeDashboard): DashboardUnderTest {
  return {
    key,
    format: 'v6',
    variables: dashboard.spec.variables.map((v) => {
      if (v.kind === 'TextVariable') return { name: v.spec.name, kind: 'value', value: v.spec.value };
      const plugin = v.spec.plugin;
      return plugin.kind === 'signoz/QueryVariable'
        ? { name: v.spec.name, kind: 'query', sql: plugin.spec.queryValue }
        : { name: v.spec.name, kind: 'value', value: v.spec.defaultValue ?? '' };
    }),
    panels: Object.entries(dashboard.spec.panels).map(([id, panel]) => ({
      id,
      shape: NATIVE_SHAPE[panel.spec.plugin.kind] ?? 'table',
      sql: panel.spec.queries[0].spec.plugin.spec.query,
    })),
  };
}

/** Both formats of every dashboard. */
export function dashboardsUnderTest(
  classic: Readonly<Record<string, SignozDashboard>>,
  native: Readonly<Record<string, NativeDashboard>>,
): DashboardUnderTest[] {
  return [
    ...Object.entries(classic).map(([key, d]) => classicUnderTest(key, d)),
    ...Object.entries(native).map(([key, d]) => nativeUnderTest(key, d)),
  ];
}

/**
 * Variable values as the SigNoz frontend sends them: a QUERY variable with ALL selected is the
 * list of all its options (its own query's first column, run as SigNoz runs variable queries);
 * a textbox or custom variable is its default. `overrides` select specific values instead.
 */
export async function resolveVariables(
  db: SignozClickhouse,
  dashboard: DashboardUnderTest,
  range: TimeRange,
  overrides: Readonly<Record<string, SignozVariableValue>> = {},
): Promise<Record<string, SignozVariableValue>> {
  const values: Record<string, SignozVariableValue> = {};
  for (const variable of dashboard.variables) {
    const override = overrides[variable.name];
    if (override !== undefined) {
      values[variable.name] = override;
    } else if (variable.kind === 'query') {
      const sql = substituteVariableQuery(variable.sql ?? '', { ...range, variables: values });
      const rows = await db.query(sql);
      values[variable.name] = rows.map((row) => String(Object.values(row)[0]));
    } else {
      values[variable.name] = variable.value ?? '';
    }
  }
  return values;
}

export interface PanelRun {
  readonly dashboard: string;
  readonly format: 'v5' | 'v6';
  readonly panel: PanelUnderTest;
  readonly sql: string;
  readonly rows: Record<string, unknown>[];
  /** Why the result is unusable for the panel (query error, no rows, wrong shape), or null. */
  readonly problem: string | null;
  readonly ms: number;
}

const isFiniteNumber = (value: unknown): boolean =>
  value !== null &&
  value !== '' &&
  (typeof value === 'number' || typeof value === 'string') &&
  Number.isFinite(Number(value));

/** Checks the rows against what the panel needs (see SigNoz pkg/querier/consume.go). */
export function shapeProblem(shape: PanelShape, rows: readonly Record<string, unknown>[]): string | null {
  if (rows.length === 0) return 'returned no rows';
  switch (shape) {
    case 'value': {
      if (rows.length !== 1) return `value panel returned ${rows.length} rows`;
      return isFiniteNumber(rows[0]?.value) ? null : `value is ${JSON.stringify(rows[0]?.value)}`;
    }
    case 'series': {
      const bad = rows.find((r) => typeof r.ts !== 'string' || !isFiniteNumber(r.value));
      return bad ? `time-series row without ts/value: ${JSON.stringify(bad)}` : null;
    }
    case 'pie': {
      const bad = rows.find((r) => !isFiniteNumber(r.value));
      return bad ? `pie row without value: ${JSON.stringify(bad)}` : null;
    }
    case 'table':
      return null;
  }
}

export async function runPanel(
  db: SignozClickhouse,
  dashboard: DashboardUnderTest,
  panel: PanelUnderTest,
  context: SignozQueryContext,
): Promise<PanelRun> {
  const started = performance.now();
  const base = { dashboard: dashboard.key, format: dashboard.format, panel };
  let sql = panel.sql;
  try {
    sql = substituteSignozVariables(panel.sql, context);
    const rows = await db.query(sql);
    return { ...base, sql, rows, problem: shapeProblem(panel.shape, rows), ms: performance.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, sql, rows: [], problem: `query failed: ${message}`, ms: performance.now() - started };
  }
}

/** Runs every panel of every dashboard given; variables at their defaults (ALL) unless overridden. */
export async function runAllPanels(
  db: SignozClickhouse,
  dashboards: readonly DashboardUnderTest[],
  range: TimeRange,
  overrides: Readonly<Record<string, SignozVariableValue>> = {},
): Promise<PanelRun[]> {
  const runs: PanelRun[] = [];
  for (const dashboard of dashboards) {
    const variables = await resolveVariables(db, dashboard, range, overrides);
    for (const panel of dashboard.panels) {
      runs.push(await runPanel(db, dashboard, panel, { ...range, variables }));
    }
  }
  return runs;
}
