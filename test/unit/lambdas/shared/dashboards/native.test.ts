import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildDashboards,
  buildNativeDashboards,
  DASHBOARD_FILES,
  type NativeDashboard,
} from '../../../../../lambdas/shared/dashboards';
import { nativeDashboardProblems } from '../../../../support/signoz-v6-schema';

const native = buildNativeDashboards();
const classic = buildDashboards();
const entries = Object.entries(native) as [keyof typeof native, NativeDashboard][];
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe.each(entries)('native v6 %s', (key, d) => {
  it('is a body SigNoz accepts for POST /api/v2/dashboards and PUT /api/v2/dashboards/{id}', () => {
    expect(nativeDashboardProblems(d)).toEqual([]);
  });

  it('declares the 30 s refresh and the 90-day default range in the JSON', () => {
    expect(d.schemaVersion).toBe('v6');
    expect(d.spec.refreshInterval).toBe('30s');
    expect(d.spec.duration).toBe('90d');
    expect(d.name).toBe(`trading-observability-${key}`);
  });

  it('holds the same panels, queries, layout and variables as the classic file', () => {
    const c = classic[key];
    expect(d.spec.display.name).toBe(c.title);
    expect(Object.keys(d.spec.panels)).toEqual(c.widgets.map((w) => w.id));
    for (const w of c.widgets) {
      const panel = d.spec.panels[w.id];
      expect(panel?.spec.display.name).toBe(w.title);
      expect(panel?.spec.queries[0].spec.plugin.spec.query).toBe(w.query.clickhouse_sql[0]?.query);
    }
    expect(
      d.spec.layouts[0].spec.items.map((item) => ({
        i: item.content.$ref.replace('#/spec/panels/', ''),
        x: item.x,
        y: item.y,
        w: item.width,
        h: item.height,
      })),
    ).toEqual(c.layout.map(({ i, x, y, w, h }) => ({ i, x, y, w, h })));
    expect(d.spec.variables.map((v) => v.spec.name)).toEqual(Object.keys(c.variables));
    expect(d.tags).toEqual(c.tags.map((value) => ({ key: 'tag', value })));
  });

  it('asks for scalars on number, pie and table panels and time series on the others', () => {
    for (const panel of Object.values(d.spec.panels)) {
      const scalar = ['signoz/NumberPanel', 'signoz/PieChartPanel', 'signoz/TablePanel'].includes(
        panel.spec.plugin.kind,
      );
      expect(panel.spec.queries[0].kind).toBe(scalar ? 'scalar' : 'time_series');
    }
  });

  it('is committed as generated', () => {
    const committed = readFileSync(
      join(__dirname, '../../../../../dashboards/v6', DASHBOARD_FILES[key]),
      'utf8',
    );
    expect(JSON.parse(committed)).toEqual(d);
  });
});

describe('native v6 variables and thresholds', () => {
  const ml = native['ml-performance'];

  it('defaults the partition to live, a single choice; list variables offer ALL without a default', () => {
    const [service, partition, symbol] = ml.spec.variables;
    expect(service).toMatchObject({
      kind: 'TextVariable',
      spec: { name: 'service', value: 'stock_analytics' },
    });
    expect(partition).toMatchObject({
      kind: 'ListVariable',
      spec: {
        name: 'partition',
        defaultValue: 'live',
        allowMultiple: false,
        allowAllValue: false,
        plugin: { kind: 'signoz/CustomVariable', spec: { customValue: 'live,demo' } },
      },
    });
    expect(symbol).toMatchObject({
      kind: 'ListVariable',
      spec: {
        name: 'symbol',
        allowMultiple: true,
        allowAllValue: true,
        plugin: { kind: 'signoz/QueryVariable' },
      },
    });
    expect(symbol?.spec).not.toHaveProperty('defaultValue');
  });

  it("maps classic threshold operators to SigNoz's comparison operators, with decimals set", () => {
    const hitRate = ml.spec.panels['directional-hit-rate']?.spec.plugin;
    expect(hitRate?.kind).toBe('signoz/NumberPanel');
    expect(hitRate?.spec).toMatchObject({
      formatting: { unit: 'percent', decimalPrecision: '1' },
      thresholds: [{ value: 60, operator: 'below', unit: 'percent', format: 'text' }],
    });
    const calibration = ml.spec.panels['confidence-calibration']?.spec.plugin.spec;
    expect(calibration).toMatchObject({ thresholds: [{ columnName: 'hit_rate_pct', operator: 'below' }] });
  });
});

describe('nativeDashboardProblems (the check bites)', () => {
  const body = native['trading-signals'];
  const panelKey = Object.keys(body.spec.panels)[0] as string;

  it.each([
    [
      'an unknown field',
      (d: NativeDashboard) => Object.assign(d, { generateName: false, extra: 1 }),
      /unknown field "extra"/,
    ],
    [
      'a wrong schema version',
      (d: NativeDashboard) => Object.assign(d, { schemaVersion: 'v5' }),
      /schemaVersion/,
    ],
    [
      'a name that is not a DNS label',
      (d: NativeDashboard) => Object.assign(d, { name: 'Trading Signals' }),
      /DNS-1123/,
    ],
    [
      'a panel field of another panel kind',
      (d: NativeDashboard) =>
        Object.assign(d.spec.panels[panelKey]?.spec.plugin.spec ?? {}, { chartAppearance: {} }),
      /unknown field "chartAppearance"/,
    ],
    [
      'two queries on a panel',
      (d: NativeDashboard) => {
        const queries = d.spec.panels[panelKey]?.spec.queries as unknown[];
        queries.push(queries[0]);
      },
      /one query/,
    ],
    [
      'a layout item without its panel',
      (d: NativeDashboard) => {
        const item = d.spec.layouts[0].spec.items[0];
        if (item) item.content.$ref = '#/spec/panels/nope';
      },
      /unknown panel/,
    ],
    [
      'a bad refresh interval',
      (d: NativeDashboard) => Object.assign(d.spec, { refreshInterval: '30 seconds' }),
      /duration/,
    ],
    [
      'ALL on a single-select variable',
      (d: NativeDashboard) => {
        const partition = d.spec.variables[1];
        if (partition?.kind === 'ListVariable') partition.spec.allowAllValue = true;
      },
      /allowAllValue needs allowMultiple/,
    ],
  ])('reports %s', (_name, mutate, problem) => {
    const broken = clone(body);
    mutate(broken);
    expect(nativeDashboardProblems(broken).join('\n')).toMatch(problem);
  });
});
