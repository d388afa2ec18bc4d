/**
 * Every widget query of the four SigNoz dashboards runs against SigNoz's real traces schema in
 * embedded ClickHouse, filled with generated spans mapped as SigNoz's exporter maps them.
 */
import { buildDashboards } from '../../../lambdas/shared/dashboards';
import {
  DISTRIBUTED_TABLE,
  LOCAL_TABLE,
  otlpToSignozRows,
  SignozClickhouse,
  substituteSignozVariables,
} from '../../support/signoz-clickhouse';
import { generateSignozSpans } from '../../support/signoz-spans';
import {
  loadedTimeRange,
  resolveVariables,
  runAllWidgets,
  type TimeRange,
  type WidgetRun,
} from '../../support/signoz-verify';

const dashboards = buildDashboards();
const widgetCount = Object.values(dashboards).reduce((n, d) => n + d.widgets.length, 0);

let db: SignozClickhouse;
let range: TimeRange;
let loaded = 0;
let allRuns: Promise<WidgetRun[]> | undefined;
/** Every widget with ALL selected, run once and shared by the tests that read it. */
const runsWithAll = (): Promise<WidgetRun[]> => {
  allRuns ??= runAllWidgets(db, dashboards, range);
  return allRuns;
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

  it('resolves ALL to every option of the variable query', async () => {
    const values = await resolveVariables(db, dashboards['ml-performance'], range);
    expect(values.symbol).toEqual(['AAPL', 'AMZN', 'GOOGL', 'MSFT', 'NVDA', 'TSLA']);
    expect(values.model).toEqual(['lstm-v3', 'transformer-v1', 'xgboost-v2']);
  });
});

describe('every widget query', () => {
  it(`runs and returns rows of the panel's shape with ALL selected (${widgetCount} widgets)`, async () => {
    const runs = await runsWithAll();
    expect(runs).toHaveLength(widgetCount);
    const problems = runs.filter((r) => r.problem).map((r) => `${r.dashboard}/${r.widget.id}: ${r.problem}`);
    expect(problems).toEqual([]);
    // faas.name read from the resource or, failing that, from the root span
    const perFunction = runs.find((r) => r.widget.id === 'invocations-and-error-rate-per-function');
    expect(perFunction?.rows.map((row) => row.function)).toEqual([
      'dual-accuracy-tracker',
      'observability-demo',
      'sampling-optimizer',
      'trading-intelligence',
    ]);
  });

  it('runs and returns rows for one symbol and one model', async () => {
    const runs = await runAllWidgets(db, dashboards, range, { symbol: ['NVDA'], model: ['lstm-v3'] });
    const problems = runs.filter((r) => r.problem).map((r) => `${r.dashboard}/${r.widget.id}: ${r.problem}`);
    expect(problems).toEqual([]);
    const ranking = runs.find((r) => r.widget.id === 'symbol-ranking-by-accuracy');
    expect(ranking?.rows.map((row) => row.symbol)).toEqual(['NVDA']);
    const models = runs.find((r) => r.widget.id === 'model-comparison');
    expect(models?.rows.map((row) => row.model)).toEqual(['lstm-v3']);
  });

  it('computes the figures from the data (hit rate, volume reduction)', async () => {
    const runs = await runsWithAll();
    const value = (id: string): number => Number(runs.find((r) => r.widget.id === id)?.rows[0]?.value);
    const [expected] = await db.query<{ hit: number; reduction: number }>(`
      SELECT 100 * sumIf(1 / attributes_number['sampling.probability'], attributes_bool['ml.accuracy.direction_hit'])
        / sum(1 / attributes_number['sampling.probability']) AS hit,
        (SELECT 100 * (1 - count() / sum(1 / attributes_number['sampling.probability'])) FROM ${DISTRIBUTED_TABLE}) AS reduction
      FROM ${DISTRIBUTED_TABLE} WHERE name = 'ml.validate_prediction'`);
    expect(value('directional-hit-rate')).toBeCloseTo(Number(expected?.hit), 1);
    expect(value('volume-reduction')).toBeCloseTo(Number(expected?.reduction), 1);
    expect(value('volume-reduction')).toBeGreaterThan(10);
  });

  it('returns nothing outside the time range (the time filters apply)', async () => {
    const before = { startMs: range.startMs - 10 * 86_400_000, endMs: range.startMs - 9 * 86_400_000 };
    const runs = await runAllWidgets(db, { 'ml-performance': dashboards['ml-performance'] }, before, {
      symbol: ['NVDA'],
      model: ['lstm-v3'],
    });
    const series = runs.find((r) => r.widget.id === 'accuracy-trend-by-model');
    expect(series?.rows).toEqual([]);
  });

  it("returns nothing for another service's spans (the service filter applies)", async () => {
    const runs = await runAllWidgets(db, { 'cost-optimization': dashboards['cost-optimization'] }, range, {
      service: 'another_service',
    });
    expect(runs.find((r) => r.widget.id === 'exported-spans')?.rows).toEqual([{ value: 0 }]);
    expect(runs.find((r) => r.widget.id === 'sampling-by-category')?.rows).toEqual([]);
  });
});
