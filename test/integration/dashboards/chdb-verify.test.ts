/**
 * Every panel query of the four SigNoz dashboards, in both formats (classic v5 and native v6), runs
 * against SigNoz's real traces schema (spans and the resource pre-filter table) in embedded ClickHouse,
 * filled with generated spans mapped as SigNoz's exporter maps them.
 */
import { buildDashboards, buildNativeDashboards } from '../../../lambdas/shared/dashboards';
import {
  DISTRIBUTED_RESOURCE_TABLE,
  DISTRIBUTED_TABLE,
  LOCAL_TABLE,
  otlpToSignozRows,
  SignozClickhouse,
  substituteSignozVariables,
} from '../../../scripts/signoz/clickhouse';
import { generateSignozSpans } from '../../../scripts/signoz/spans';
import {
  type DashboardUnderTest,
  dashboardsUnderTest,
  loadedTimeRange,
  type PanelRun,
  resolveVariables,
  runAllPanels,
  type TimeRange,
} from '../../../scripts/signoz/verify';

const dashboards = dashboardsUnderTest(buildDashboards(), buildNativeDashboards());
const classic = dashboards.filter((d) => d.format === 'v5');
const byKey = (key: string, format: 'v5' | 'v6' = 'v5'): DashboardUnderTest => {
  const found = dashboards.find((d) => d.key === key && d.format === format);
  if (!found) throw new Error(`no ${format} dashboard ${key}`);
  return found;
};
const panelCount = dashboards.reduce((n, d) => n + d.panels.length, 0);
const name = (r: PanelRun): string => `${r.format}/${r.dashboard}/${r.panel.id}`;
const problemsOf = (runs: readonly PanelRun[]): string[] =>
  runs.filter((r) => r.problem).map((r) => `${name(r)}: ${r.problem}`);

let db: SignozClickhouse;
let range: TimeRange;
let loaded = 0;
let allRuns: Promise<PanelRun[]> | undefined;
/** Every panel with the variables at their defaults, run once and shared by the tests that read it. */
const runsWithDefaults = (): Promise<PanelRun[]> => {
  allRuns ??= runAllPanels(db, dashboards, range);
  return allRuns;
};
const run = async (id: string, format: 'v5' | 'v6' = 'v5'): Promise<PanelRun> => {
  const found = (await runsWithDefaults()).find((r) => r.panel.id === id && r.format === format);
  if (!found) throw new Error(`no panel ${id}`);
  return found;
};

beforeAll(async () => {
  db = SignozClickhouse.create();
  loaded = await db.load(generateSignozSpans({ seed: 42, days: 4 }));
  range = await loadedTimeRange(db);
});

afterAll(() => db?.close());

describe('SigNoz traces schema in chdb', () => {
  it('loads the generated spans into the local table and reads them through the distributed name', async () => {
    expect(loaded).toBeGreaterThan(500);
    const [local] = await db.query<{ n: string }>(`SELECT count() AS n FROM ${LOCAL_TABLE}`);
    const [distributed] = await db.query<{ n: string }>(`SELECT count() AS n FROM ${DISTRIBUTED_TABLE}`);
    expect(Number(local?.n)).toBe(loaded);
    expect(Number(distributed?.n)).toBe(loaded);
  });

  it("has SigNoz's column types on both table names", async () => {
    for (const table of [LOCAL_TABLE, DISTRIBUTED_TABLE]) {
      const columns = await db.query<{ name: string; type: string; default_type: string }>(
        `DESCRIBE TABLE ${table}`,
      );
      const types = Object.fromEntries(columns.map((c) => [c.name, c.type]));
      expect(types).toMatchObject({
        ts_bucket_start: 'UInt64',
        resource_fingerprint: 'String',
        timestamp: 'DateTime64(9)',
        trace_id: 'FixedString(32)',
        span_id: 'String',
        parent_span_id: 'String',
        name: 'LowCardinality(String)',
        kind: 'Int8',
        duration_nano: 'UInt64',
        status_code: 'Int16',
        has_error: 'Bool',
        attributes_string: 'Map(LowCardinality(String), String)',
        attributes_number: 'Map(LowCardinality(String), Float64)',
        attributes_bool: 'Map(LowCardinality(String), Bool)',
        resources_string: 'Map(LowCardinality(String), String)',
        resource: 'JSON(max_dynamic_paths=100)',
        serviceName: 'LowCardinality(String)',
      });
      expect(columns.find((c) => c.name === 'serviceName')?.default_type).toBe('ALIAS');
    }
  });

  it('maps attributes by type, resources, bucket start and error flag as the exporter does', async () => {
    const [row] = await db.query<Record<string, unknown>>(`
      SELECT attributes_number['ml.confidence'] AS confidence, toTypeName(attributes_bool['ml.accuracy.direction_hit']) AS hit_type,
        mapContains(attributes_string, 'ml.confidence') AS confidence_in_strings,
        serviceName, resources_string['faas.name'] AS fn, ts_bucket_start % 1800 AS bucket_rest,
        toUnixTimestamp(timestamp) - ts_bucket_start < 1800 AS in_bucket, kind_string
      FROM ${DISTRIBUTED_TABLE} WHERE name = 'ml.validate_prediction' LIMIT 1`);
    expect(row).toMatchObject({
      confidence_in_strings: 0,
      serviceName: 'stock_analytics',
      fn: 'dual-accuracy-tracker',
      bucket_rest: 0,
      in_bucket: 1,
      kind_string: 'Internal',
      hit_type: 'Bool',
    });
    expect(Number(row?.confidence)).toBeGreaterThan(0.4);
    const [errors] = await db.query<{ n: string; bad: string }>(
      `SELECT countIf(has_error) AS n, countIf(has_error != (status_code = 2)) AS bad FROM ${DISTRIBUTED_TABLE}`,
    );
    expect(Number(errors?.n)).toBeGreaterThan(0);
    expect(Number(errors?.bad)).toBe(0);
  });

  it("fills the resource table as the exporter does: one row per resource and bucket, the spans' fingerprints", async () => {
    const [row] = await db.query<{ rows: string; keys: string; orphans: string; labels: string }>(`
      SELECT count() AS rows, uniqExact(fingerprint, seen_at_ts_bucket_start) AS keys,
        (SELECT count() FROM ${DISTRIBUTED_TABLE} WHERE resource_fingerprint NOT IN
          (SELECT fingerprint FROM ${DISTRIBUTED_RESOURCE_TABLE})) AS orphans,
        any(labels) AS labels
      FROM ${DISTRIBUTED_RESOURCE_TABLE}`);
    expect(Number(row?.rows)).toBeGreaterThan(10);
    expect(Number(row?.keys)).toBe(Number(row?.rows));
    expect(Number(row?.orphans)).toBe(0);
    // Go's json.Marshal of the resource's string values: sorted keys
    const labels = JSON.parse(String(row?.labels)) as Record<string, string>;
    expect(Object.keys(labels)).toEqual([...Object.keys(labels)].sort());
    expect(labels['service.name']).toBe('stock_analytics');
    const [buckets] = await db.query<{ bad: string }>(`
      SELECT count() AS bad FROM ${DISTRIBUTED_TABLE} AS s
      WHERE (resource_fingerprint, ts_bucket_start) NOT IN
        (SELECT fingerprint, toUInt64(seen_at_ts_bucket_start) FROM ${DISTRIBUTED_RESOURCE_TABLE})`);
    expect(Number(buckets?.bad)).toBe(0);
  });

  it('maps one OTLP request field by field', () => {
    const [row] = otlpToSignozRows({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'stock_analytics' } }] },
          scopeSpans: [
            {
              scope: { name: 'trading-observability' },
              spans: [
                {
                  traceId: 'a'.repeat(32),
                  spanId: 'b'.repeat(16),
                  name: 'trading.opportunity_analysis',
                  kind: 1,
                  startTimeUnixNano: '1764001234000000000',
                  endTimeUnixNano: '1764001234250000000',
                  attributes: [
                    { key: 'opportunity_score', value: { intValue: '72' } },
                    { key: 'ml.confidence', value: { doubleValue: 0.74 } },
                    { key: 'trading.is_opportunity', value: { boolValue: true } },
                    { key: 'finance.symbol', value: { stringValue: 'AAPL' } },
                    { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'x' }] } } },
                  ],
                  status: { code: 2, message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(row).toMatchObject({
      ts_bucket_start: 1764000000,
      timestamp: '1764001234000000000',
      duration_nano: '250000000',
      parent_span_id: '',
      attributes_number: { opportunity_score: 72, 'ml.confidence': 0.74 },
      attributes_bool: { 'trading.is_opportunity': true },
      attributes_string: { 'finance.symbol': 'AAPL', tags: '["x"]' },
      resources_string: { 'service.name': 'stock_analytics' },
      has_error: true,
      status_code_string: 'Error',
      kind_string: 'Internal',
    });
    expect(row?.resource_fingerprint).toMatch(/^service\.name=stock_analytics;hash=\d+$/);
  });
});

describe('SigNoz variable substitution', () => {
  it('renders time variables and lists as SigNoz does', () => {
    const sql = substituteSignozVariables(
      'WHERE timestamp BETWEEN $start_datetime AND $end_datetime AND b BETWEEN $start_timestamp - 1800 AND $end_timestamp AND s IN $symbol AND p = {{.price}}',
      {
        startMs: 1764000000123,
        endMs: 1764086400999,
        variables: { symbol: ['AAPL', "O'NEIL"], price: '0.40' },
      },
    );
    expect(sql).toBe(
      "WHERE timestamp BETWEEN toDateTime(1764000000) AND toDateTime(1764086400) AND b BETWEEN 1764000000 - 1800 AND 1764086400 AND s IN ['AAPL','O\\'NEIL'] AND p = '0.40'",
    );
    expect(() => substituteSignozVariables('x IN $unknown', { startMs: 0, endMs: 1 })).toThrow(/unresolved/);
  });

  it.each(['v5', 'v6'] as const)(
    'resolves ALL to every option of the variable query (%s)',
    async (format) => {
      const values = await resolveVariables(db, byKey('ml-performance', format), range);
      expect(values.symbol).toEqual(['AAPL', 'AMZN', 'GOOGL', 'MSFT', 'NVDA', 'TSLA']);
      expect(values.model).toEqual(['lstm-v3', 'transformer-v1', 'xgboost-v2']);
      expect(values.partition).toBe('live');
      expect(values.service).toBe('stock_analytics');
    },
  );

  it('bounds variable queries to the selected range, service and partition', async () => {
    const ml = byKey('ml-performance');
    const before = { startMs: range.startMs - 10 * 86_400_000, endMs: range.startMs - 9 * 86_400_000 };
    expect((await resolveVariables(db, ml, before)).symbol).toEqual([]);
    expect((await resolveVariables(db, ml, range, { service: 'another_service' })).symbol).toEqual([]);
    // the demo partition holds no validations in the generated data, only demo invocations
    expect((await resolveVariables(db, ml, range, { partition: 'demo' })).model).toEqual([]);
    const cost = await resolveVariables(db, byKey('cost-optimization'), range, { partition: 'demo' });
    expect(cost.category).toEqual(['invocation']);
  });
});

describe('every panel query, both formats', () => {
  it(`runs and returns rows of the panel's shape with the variables at their defaults (${panelCount} panels)`, async () => {
    const runs = await runsWithDefaults();
    expect(runs).toHaveLength(panelCount);
    expect(new Set(runs.map((r) => r.format))).toEqual(new Set(['v5', 'v6']));
    expect(problemsOf(runs)).toEqual([]);
    // faas.name read from the resource or, failing that, from the root span; the demo is not live
    expect((await run('invocations-and-error-rate-per-function')).rows.map((row) => row.function)).toEqual([
      'dual-accuracy-tracker',
      'sampling-optimizer',
      'trading-intelligence',
    ]);
  });

  it('gives the same rows in v6 as in v5 for every panel', async () => {
    const runs = await runsWithDefaults();
    for (const v5 of runs.filter((r) => r.format === 'v5')) {
      const v6 = runs.find(
        (r) => r.format === 'v6' && r.dashboard === v5.dashboard && r.panel.id === v5.panel.id,
      );
      expect({ panel: name(v5), rows: v6?.rows }).toEqual({ panel: name(v5), rows: v5.rows });
    }
  });

  it('runs and returns rows for one symbol and one model', async () => {
    const runs = await runAllPanels(db, dashboards, range, { symbol: ['NVDA'], model: ['lstm-v3'] });
    expect(problemsOf(runs)).toEqual([]);
    const ranking = runs.find((r) => r.panel.id === 'symbol-ranking-by-accuracy');
    expect(ranking?.rows.map((row) => row.symbol)).toEqual(['NVDA']);
    const models = runs.find((r) => r.panel.id === 'model-comparison');
    expect(models?.rows.map((row) => row.model)).toEqual(['lstm-v3']);
  });

  it('computes the figures from the data (hit rate, volume reduction) over the live partition only', async () => {
    const value = async (id: string): Promise<number> => Number((await run(id)).rows[0]?.value);
    const LIVE =
      "if(mapContains(attributes_string, 'data.partition'), attributes_string['data.partition'], 'live') = 'live'";
    const [expected] = await db.query<{ hit: number; reduction: number; demo: string }>(`
      SELECT 100 * sumIf(1 / attributes_number['sampling.probability'], attributes_bool['ml.accuracy.direction_hit'])
        / sum(1 / attributes_number['sampling.probability']) AS hit,
        (SELECT 100 * (1 - count() / sum(1 / attributes_number['sampling.probability'])) FROM ${DISTRIBUTED_TABLE} WHERE ${LIVE}) AS reduction,
        (SELECT count() FROM ${DISTRIBUTED_TABLE} WHERE NOT ${LIVE}) AS demo
      FROM ${DISTRIBUTED_TABLE} WHERE name = 'ml.validate_prediction'`);
    expect(Number(expected?.demo)).toBeGreaterThan(0);
    expect(await value('directional-hit-rate')).toBeCloseTo(Number(expected?.hit), 1);
    expect(await value('volume-reduction')).toBeCloseTo(Number(expected?.reduction), 1);
    expect(await value('volume-reduction')).toBeGreaterThan(10);
  });

  it('shows the demo partition apart: its spans only, none of the live ones', async () => {
    const runs = await runAllPanels(db, [byKey('cost-optimization'), byKey('market-overview', 'v6')], range, {
      partition: 'demo',
    });
    const [demo] = await db.query<{ n: string }>(
      `SELECT count() AS n FROM ${DISTRIBUTED_TABLE} WHERE attributes_string['data.partition'] = 'demo'`,
    );
    expect(runs.find((r) => r.panel.id === 'exported-spans')?.rows).toEqual([{ value: Number(demo?.n) }]);
    expect(
      runs
        .find((r) => r.panel.id === 'invocations-and-error-rate-per-function')
        ?.rows.map((row) => row.function),
    ).toEqual(['observability-demo']);
  });

  it('samples histograms across the whole range, not the oldest spans of it', async () => {
    const histogram = byKey('ml-performance').panels.find((p) => p.id === 'price-error-distribution');
    expect(histogram?.sql).toMatch(/LIMIT 20000$/);
    const variables = await resolveVariables(db, byKey('ml-performance'), range);
    const sql = substituteSignozVariables(histogram?.sql.replace(/LIMIT 20000$/, 'LIMIT 40') ?? '', {
      ...range,
      variables,
    });
    const rows = await db.query<{ ts: string }>(sql);
    expect(rows).toHaveLength(40);
    const times = rows.map((row) => Date.parse(`${row.ts.replace(' ', 'T')}Z`)).sort((a, b) => a - b);
    const span = range.endMs - range.startMs;
    // 40 of ~1 000 spans spread over 4 days: some in the first and in the last quarter of the range
    expect((times[0] as number) - range.startMs).toBeLessThan(span / 4);
    expect(range.endMs - (times[times.length - 1] as number)).toBeLessThan(span / 4);
    // the same sample on every refresh
    expect(await db.query<{ ts: string }>(sql)).toEqual(rows);
  });

  it('returns nothing outside the time range (the time filters apply)', async () => {
    const before = { startMs: range.startMs - 10 * 86_400_000, endMs: range.startMs - 9 * 86_400_000 };
    const runs = await runAllPanels(db, [byKey('ml-performance')], before, {
      symbol: ['NVDA'],
      model: ['lstm-v3'],
    });
    expect(runs.find((r) => r.panel.id === 'accuracy-trend-by-model')?.rows).toEqual([]);
  });

  it("returns nothing for another service's spans (the resource pre-filter applies)", async () => {
    const runs = await runAllPanels(db, [byKey('cost-optimization', 'v6')], range, {
      service: 'another_service',
      category: ['invocation'],
    });
    expect(runs.find((r) => r.panel.id === 'exported-spans')?.rows).toEqual([{ value: 0 }]);
    expect(runs.find((r) => r.panel.id === 'sampling-by-category')?.rows).toEqual([]);
  });

  it('reads the service through the resource table in every query (no row-level service filter)', () => {
    for (const dashboard of classic) {
      for (const panel of dashboard.panels) {
        expect(panel.sql).toContain(
          `resource_fingerprint GLOBAL IN (SELECT fingerprint FROM ${DISTRIBUTED_RESOURCE_TABLE}`,
        );
        expect(panel.sql).not.toContain("resources_string['service.name']");
      }
    }
  });
});
