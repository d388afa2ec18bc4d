/**
 * Runs every widget query of the SigNoz dashboards against spans loaded into chdb, with SigNoz's
 * variable substitution, and checks the results have the shape the panel needs.
 * Used by the integration test and by `npm run dashboards:verify`.
 */
import type { SignozDashboard, SignozWidget } from '../../lambdas/shared/dashboards';
import {
  type SignozClickhouse,
  type SignozQueryContext,
  type SignozVariableValue,
  substituteSignozVariables,
} from './signoz-clickhouse';

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

/**
 * Variable values as the SigNoz frontend sends them: a QUERY variable with ALL selected is the
 * list of all its options (its own query's first column); a textbox is its text. `overrides`
 * select specific values instead.
 */
export async function resolveVariables(
  db: SignozClickhouse,
  dashboard: SignozDashboard,
  range: TimeRange,
  overrides: Readonly<Record<string, SignozVariableValue>> = {},
): Promise<Record<string, SignozVariableValue>> {
  const values: Record<string, SignozVariableValue> = {};
  const ordered = Object.values(dashboard.variables).sort((a, b) => a.order - b.order);
  for (const variable of ordered) {
    const override = overrides[variable.name];
    if (override !== undefined) {
      values[variable.name] = override;
    } else if (variable.type === 'QUERY') {
      const sql = substituteSignozVariables(variable.queryValue, { ...range, variables: values });
      const rows = await db.query(sql);
      values[variable.name] = rows.map((row) => String(Object.values(row)[0]));
    } else {
      values[variable.name] = variable.selectedValue ?? variable.textboxValue;
    }
  }
  return values;
}

export interface WidgetRun {
  dashboard: string;
  widget: SignozWidget;
  sql: string;
  rows: Record<string, unknown>[];
  /** Why the result is unusable for the panel (query error, no rows, wrong shape), or null. */
  problem: string | null;
  ms: number;
}

const isFiniteNumber = (value: unknown): boolean =>
  value !== null &&
  value !== '' &&
  (typeof value === 'number' || typeof value === 'string') &&
  Number.isFinite(Number(value));

/** Checks the rows against what the panel type needs (see SigNoz pkg/querier/consume.go). */
export function shapeProblem(widget: SignozWidget, rows: readonly Record<string, unknown>[]): string | null {
  if (rows.length === 0) return 'returned no rows';
  switch (widget.panelTypes) {
    case 'value': {
      if (rows.length !== 1) return `value panel returned ${rows.length} rows`;
      return isFiniteNumber(rows[0]?.value) ? null : `value is ${JSON.stringify(rows[0]?.value)}`;
    }
    case 'graph':
    case 'bar':
    case 'histogram': {
      const bad = rows.find((r) => typeof r.ts !== 'string' || !isFiniteNumber(r.value));
      return bad ? `time-series row without ts/value: ${JSON.stringify(bad)}` : null;
    }
    case 'pie': {
      const bad = rows.find((r) => !isFiniteNumber(r.value));
      return bad ? `pie row without value: ${JSON.stringify(bad)}` : null;
    }
    default:
      return null;
  }
}

export async function runWidget(
  db: SignozClickhouse,
  dashboard: string,
  widget: SignozWidget,
  context: SignozQueryContext,
): Promise<WidgetRun> {
  const started = performance.now();
  const template = widget.query.clickhouse_sql[0]?.query ?? '';
  let sql = template;
  try {
    sql = substituteSignozVariables(template, context);
    const rows = await db.query(sql);
    return {
      dashboard,
      widget,
      sql,
      rows,
      problem: shapeProblem(widget, rows),
      ms: performance.now() - started,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      dashboard,
      widget,
      sql,
      rows: [],
      problem: `query failed: ${message}`,
      ms: performance.now() - started,
    };
  }
}

/** Runs every widget of every dashboard; variables ALL unless overridden. */
export async function runAllWidgets(
  db: SignozClickhouse,
  dashboards: Readonly<Record<string, SignozDashboard>>,
  range: TimeRange,
  overrides: Readonly<Record<string, SignozVariableValue>> = {},
): Promise<WidgetRun[]> {
  const runs: WidgetRun[] = [];
  for (const [key, dashboard] of Object.entries(dashboards)) {
    const variables = await resolveVariables(db, dashboard, range, overrides);
    for (const widget of dashboard.widgets)
      runs.push(await runWidget(db, key, widget, { ...range, variables }));
  }
  return runs;
}
