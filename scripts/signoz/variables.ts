/**
 * SigNoz's query-variable substitution for ClickHouse SQL panels, reproduced for tests and
 * `npm run dashboards:verify` (no chdb here, so unit tests can use it without the native engine).
 */
import { ScriptError, ScriptErrorCode } from '../errors';

export type SignozVariableValue = string | number | boolean | readonly (string | number | boolean)[];

export interface SignozQueryContext {
  /** Time range in epoch milliseconds (the dashboard's global time). */
  startMs: number;
  endMs: number;
  /** Dashboard variables by name: a list for multi-select (ALL = every option), a string otherwise. */
  variables?: Readonly<Record<string, SignozVariableValue>>;
}

const quote = (s: string): string => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** SigNoz's `formatValueForCH` (pkg/querier/format.go): strings quoted, lists as `['a','b']`. */
export function formatValueForClickhouse(value: SignozVariableValue): string {
  if (Array.isArray(value)) {
    const list = value as readonly (string | number | boolean)[];
    if (list.length === 0) return '[]';
    if (typeof list[0] === 'string') return `[${list.map((v) => quote(String(v))).join(',')}]`;
    return list.map(String).join(',');
  }
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return String(value);
}

/** SigNoz's reserved time variables (`querybuilder.AssignReservedVars`), from milliseconds. */
export function reservedTimeVariables(startMs: number, endMs: number): Record<string, string> {
  const startS = Math.floor(startMs / 1000);
  const endS = Math.floor(endMs / 1000);
  return {
    start_timestamp: String(startS),
    end_timestamp: String(endS),
    start_timestamp_ms: String(Math.floor(startMs)),
    end_timestamp_ms: String(Math.floor(endMs)),
    SIGNOZ_START_TIME: String(Math.floor(startMs)),
    SIGNOZ_END_TIME: String(Math.floor(endMs)),
    start_timestamp_nano: `${Math.floor(startMs)}000000`,
    end_timestamp_nano: `${Math.floor(endMs)}000000`,
    start_datetime: `toDateTime(${startS})`,
    end_datetime: `toDateTime(${endS})`,
  };
}

export class UnresolvedVariableError extends ScriptError {
  override readonly name = 'UnresolvedVariableError';
  constructor(message: string) {
    super(ScriptErrorCode.UNRESOLVED_VARIABLE, message);
  }
}

/**
 * Substitutes variables the way SigNoz's querier does for ClickHouse SQL panels
 * (`pkg/querier/render.go` substituteVariables): each name, longest first, as `{{name}}`, `[[name]]`
 * and `$name`, then `{{.name}}` (the Go template pass). Throws when a `$name` or `{{…}}` is left,
 * which SigNoz would have sent to ClickHouse as a syntax error.
 */
export function substituteSignozVariables(sql: string, context: SignozQueryContext): string {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.variables ?? {}))
    values[name] = formatValueForClickhouse(value);
  Object.assign(values, reservedTimeVariables(context.startMs, context.endMs));
  const names = Object.keys(values).sort((a, b) => b.length - a.length);
  let out = sql;
  for (const name of names) {
    const value = values[name] ?? '';
    out = out.replaceAll(`{{${name}}}`, value).replaceAll(`[[${name}]]`, value).replaceAll(`$${name}`, value);
  }
  out = out.replace(/\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
  const leftover = /\$[A-Za-z_][A-Za-z0-9_.]*|\{\{[^}]*\}\}/.exec(out);
  if (leftover) throw new UnresolvedVariableError(`unresolved variable ${leftover[0]} in query`);
  return out;
}

/**
 * The variables a dashboard variable query receives: the frontend posts the other variables' values
 * and the range as numbers (`dashboardVariablesQuery.ts`: start_timestamp, end_timestamp, their _ms and
 * _nano forms; no start_datetime), and the query service formats each with `metrics.FormattedValue`:
 * strings quoted as is, string lists as `['a','b']`, numbers (JSON numbers decode to float64) with %f.
 */
function formattedValue(value: SignozVariableValue): string {
  if (Array.isArray(value)) {
    const list = value as readonly (string | number | boolean)[];
    if (list.length === 0) return '';
    if (typeof list[0] === 'string') return `[${list.map((v) => `'${String(v)}'`).join(',')}]`;
    return list.map(String).join(',');
  }
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return value.toFixed(6);
  return String(value);
}

/**
 * Substitutes a dashboard variable's query as SigNoz's `POST /api/v2/variables/query` does
 * (`pkg/query-service/app/http_handler.go` prepareQuery): the Go template pass (`{{.name}}`), then
 * `$name` for each variable, longest name first. Throws on anything left unresolved.
 */
export function substituteVariableQuery(sql: string, context: SignozQueryContext): string {
  const startS = Math.floor(context.startMs / 1000);
  const endS = Math.floor(context.endMs / 1000);
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.variables ?? {})) values[name] = formattedValue(value);
  Object.assign(values, {
    start_timestamp_ms: formattedValue(startS * 1e3),
    end_timestamp_ms: formattedValue(endS * 1e3),
    start_timestamp_nano: formattedValue(startS * 1e9),
    end_timestamp_nano: formattedValue(endS * 1e9),
    start_timestamp: formattedValue(startS),
    end_timestamp: formattedValue(endS),
  });
  let out = sql.replace(/\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
  for (const name of Object.keys(values).sort((a, b) => b.length - a.length)) {
    out = out.replaceAll(`$${name}`, values[name] ?? '');
  }
  const leftover = /\$[A-Za-z_][A-Za-z0-9_.]*|\{\{[^}]*\}\}/.exec(out);
  if (leftover) throw new UnresolvedVariableError(`unresolved variable ${leftover[0]} in variable query`);
  return out;
}
