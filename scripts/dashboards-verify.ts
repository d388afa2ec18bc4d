/**
 * `npm run dashboards:verify [spans.jsonl | --generated]`: proves every SigNoz dashboard query, in both
 * formats (classic v5 and native v6), against SigNoz's traces schema in embedded ClickHouse (chdb).
 * Loads the given OTLP/JSON lines file, else `.local/spans.jsonl` when the demo has written it, else
 * (or with --generated) seeded generated spans; for each data partition the spans hold, runs each
 * panel with the variables at their defaults (ALL) and with one symbol and model selected; exits 1
 * when a query fails or returns no rows.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildDashboards, buildNativeDashboards, VariableName } from '../lambdas/shared/dashboards';
import { DataPartition, PARTITION_ATTRIBUTE } from '../lambdas/shared/partition';
import {
  type OtlpExportRequest,
  readSpansJsonl,
  SIGNOZ_SCHEMA_SOURCE,
  SignozClickhouse,
  type SignozVariableValue,
} from './signoz/clickhouse';
import { generateSignozSpans } from './signoz/spans';
import {
  dashboardsUnderTest,
  loadedTimeRange,
  type PanelRun,
  resolveVariables,
  runAllPanels,
} from './signoz/verify';

function spansSource(arg: string | undefined): { label: string; requests: OtlpExportRequest[] } {
  const localFile = join(__dirname, '..', '.local', 'spans.jsonl');
  const generated = arg === '--generated';
  const file = arg && !generated ? resolve(arg) : !generated && existsSync(localFile) ? localFile : undefined;
  if (file) return { label: relative(process.cwd(), file), requests: readSpansJsonl(file) };
  return {
    label: 'generated spans (seed 42, 4 days; run `npm run demo` for real ones)',
    requests: generateSignozSpans(),
  };
}

function report(title: string, runs: readonly PanelRun[]): number {
  console.log(`\n${title}`);
  let failures = 0;
  for (const run of runs) {
    const status = run.problem ? 'FAIL' : 'ok  ';
    if (run.problem) failures += 1;
    const detail = run.problem ?? `${run.rows.length} rows`;
    const name = `${run.format}/${run.dashboard}/${run.panel.id}`;
    console.log(`  ${status} ${name.padEnd(62)} ${detail} (${run.ms.toFixed(0)} ms)`);
  }
  return failures;
}

async function main(): Promise<number> {
  const started = performance.now();
  const source = spansSource(process.argv[2]);
  const db = SignozClickhouse.create();
  try {
    const spans = await db.load(source.requests);
    const range = await loadedTimeRange(db);
    console.log(
      `Schema: ${SIGNOZ_SCHEMA_SOURCE.repository} ${SIGNOZ_SCHEMA_SOURCE.file} @ ${SIGNOZ_SCHEMA_SOURCE.commit.slice(0, 12)}`,
    );
    console.log(`Loaded ${spans} spans from ${source.label}`);
    console.log(`Range ${new Date(range.startMs).toISOString()} – ${new Date(range.endMs).toISOString()}`);
    // which spans the data holds: a widget over a span name that is absent has nothing to show
    const census = await db.query<{ name: string; n: string }>(
      'SELECT name, count() AS n FROM signoz_traces.signoz_index_v3 GROUP BY name ORDER BY name',
    );
    console.log(`Spans by name: ${census.map((c) => `${c.name} ${c.n}`).join(', ')}`);
    const partitions = await db.query<{ partition: string; n: string }>(
      `SELECT if(mapContains(attributes_string, '${PARTITION_ATTRIBUTE}'), attributes_string['${PARTITION_ATTRIBUTE}'], '${DataPartition.LIVE}') AS partition, count() AS n ` +
        'FROM signoz_traces.signoz_index_v3 GROUP BY partition ORDER BY partition',
    );
    console.log(
      `Spans by ${PARTITION_ATTRIBUTE}: ${partitions.map((p) => `${p.partition} ${p.n}`).join(', ')}`,
    );

    const dashboards = dashboardsUnderTest(buildDashboards(), buildNativeDashboards());
    let failures = 0;
    let queries = 0;
    for (const { partition } of partitions) {
      const scope = { [VariableName.PARTITION]: partition };
      const all = await runAllPanels(db, dashboards, range, scope);
      failures += report(`partition=${partition}, variables at their defaults (ALL):`, all);
      // one specific symbol and model: the first option of each variable
      const ml = dashboards.find((d) => d.key === 'ml-performance' && d.format === 'v5');
      const options = ml ? await resolveVariables(db, ml, range, scope) : {};
      const first = (value: SignozVariableValue | undefined): string[] =>
        Array.isArray(value) && value.length > 0 ? [String(value[0])] : [];
      const one = { ...scope, symbol: first(options.symbol), model: first(options.model) };
      const selected = await runAllPanels(db, dashboards, range, one);
      failures += report(
        `partition=${partition}, symbol=${one.symbol.join(',') || '-'} model=${one.model.join(',') || '-'}:`,
        selected,
      );
      queries += all.length + selected.length;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const formats = [...new Set(dashboards.map((d) => d.format))].join(' and ');
    console.log(
      failures === 0
        ? `\nAll ${queries} panel queries (${formats}) ran and returned rows (${seconds} s).`
        : `\n${failures} of ${queries} failed (${seconds} s).`,
    );
    return failures === 0 ? 0 : 1;
  } finally {
    db.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
