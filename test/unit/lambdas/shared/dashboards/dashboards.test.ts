import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  autoLayout,
  buildDashboards,
  DASHBOARD_FILES,
  GRID_COLUMNS,
  IN_PARTITION,
  PanelType,
  RESOURCES_TABLE,
  renderDashboardFiles,
  type SignozDashboard,
  type SignozLayoutItem,
  SPANS_TABLE,
  serviceResources,
  Unit,
  widget,
} from '../../../../../lambdas/shared/dashboards';
import { reservedTimeVariables } from '../../../../../scripts/signoz/variables';

const dashboards = buildDashboards();
const entries = Object.entries(dashboards) as [string, SignozDashboard][];
const allWidgets = entries.flatMap(([key, d]) => d.widgets.map((w) => ({ key, dashboard: d, widget: w })));
const sqlOf = (w: (typeof allWidgets)[number]['widget']): string => w.query.clickhouse_sql[0]?.query ?? '';

const overlaps = (a: SignozLayoutItem, b: SignozLayoutItem): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** SigNoz tag values (pkg/types/tagtypes/tag.go) and a variable name usable as `$name`. */
const TAG_VALUE = /^[a-zA-Z0-9$_@#{}:.+=/-]+$/;
const VARIABLE_NAME = /^[a-z][a-z0-9_]*$/;
const WIDGET_ID = /^[a-zA-Z0-9_-]+$/;
const RESERVED = Object.keys(reservedTimeVariables(0, 0));

describe('buildDashboards', () => {
  it('builds the four dashboards, one file each', () => {
    expect(Object.keys(dashboards).sort()).toEqual(Object.keys(DASHBOARD_FILES).sort());
    expect(entries.map(([, d]) => d.title)).toEqual([
      'ML Performance',
      'Trading Signals',
      'Market Overview',
      'Cost Optimization',
    ]);
    expect(Object.keys(renderDashboardFiles()).sort()).toEqual(
      ['v5', 'v6']
        .flatMap((format) => Object.values(DASHBOARD_FILES).map((file) => `${format}/${file}`))
        .sort(),
    );
  });

  it('has at least 15 widgets in total, and some on every dashboard', () => {
    expect(allWidgets.length).toBeGreaterThanOrEqual(15);
    for (const [, d] of entries) expect(d.widgets.length).toBeGreaterThanOrEqual(4);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildDashboards())).toBe(JSON.stringify(dashboards));
  });
});

describe.each(entries)('%s', (_key, d) => {
  it('is SigNoz v5 JSON with a title, description and at most 10 valid tags', () => {
    expect(d.version).toBe('v5');
    expect(d.title.length).toBeGreaterThan(0);
    expect(d.description.length).toBeGreaterThan(20);
    expect(d.tags.length).toBeGreaterThan(0);
    expect(d.tags.length).toBeLessThanOrEqual(10);
    for (const tag of d.tags) expect(tag).toMatch(TAG_VALUE);
    expect(new Set(d.tags).size).toBe(d.tags.length);
  });

  it('has valid, unique variable names keyed by name, with ALL on multi-select QUERY variables', () => {
    const variables = Object.entries(d.variables);
    expect(variables.length).toBeGreaterThan(0);
    for (const [key, v] of variables) {
      expect(key).toBe(v.name);
      expect(v.id).toBe(v.name);
      expect(v.name).toMatch(VARIABLE_NAME);
      expect(RESERVED).not.toContain(v.name);
      if (v.type === 'QUERY') {
        expect(v.queryValue).toContain(SPANS_TABLE);
        expect(v.queryValue).toMatch(/mapContains\(attributes_string, '[^']+'\)/);
        expect(v).toMatchObject({ multiSelect: true, showALLOption: true, allSelected: true });
        // bounded: the selected range's buckets, the service's resources, the partition
        expect(v.queryValue).toContain(`FROM ${RESOURCES_TABLE}`);
        expect(v.queryValue).toContain('ts_bucket_start >= toUInt64($start_timestamp) - 1800');
        expect(v.queryValue).toContain('ts_bucket_start <= toUInt64($end_timestamp)');
        expect(v.queryValue).toContain(IN_PARTITION);
        expect(v.queryValue).not.toContain('INTERVAL 90 DAY');
      }
    }
    expect(variables.map(([, v]) => v.order)).toEqual(variables.map((_, i) => i));
  });

  it('gives every widget exactly one layout entry on the 12-column grid, without overlap', () => {
    const ids = d.widgets.map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(WIDGET_ID);
    expect(d.layout.map((l) => l.i).sort()).toEqual([...ids].sort());
    for (const item of d.layout) {
      expect(item.x).toBeGreaterThanOrEqual(0);
      expect(item.y).toBeGreaterThanOrEqual(0);
      expect(item.w).toBeGreaterThanOrEqual(1);
      expect(item.h).toBeGreaterThanOrEqual(1);
      expect(item.x + item.w).toBeLessThanOrEqual(GRID_COLUMNS);
    }
    for (const [i, a] of d.layout.entries()) {
      for (const b of d.layout.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    }
  });
});

describe.each(allWidgets.map((w) => [`${w.key}/${w.widget.id}`, w] as const))('widget %s', (_name, entry) => {
  const { widget: w, dashboard: d } = entry;
  const sql = sqlOf(w);

  it('has a title, a description, a known panel type and unit, and one ClickHouse SQL query', () => {
    expect(w.title.trim().length).toBeGreaterThan(0);
    expect(w.description.trim().length).toBeGreaterThan(10);
    expect(Object.values(PanelType)).toContain(w.panelTypes);
    expect(Object.values(Unit)).toContain(w.yAxisUnit);
    for (const unit of Object.values(w.columnUnits)) expect(Object.values(Unit)).toContain(unit);
    expect(w.query.queryType).toBe('clickhouse_sql');
    expect(w.query.clickhouse_sql).toHaveLength(1);
    expect(w.timePreferance).toBe('GLOBAL_TIME');
  });

  it("reads SigNoz's distributed traces table within the time range (with a ts_bucket_start bound), for the service", () => {
    expect(sql).toContain(`FROM ${SPANS_TABLE}`);
    expect(sql).toContain('timestamp BETWEEN $start_datetime AND $end_datetime');
    expect(sql).toContain('ts_bucket_start BETWEEN $start_timestamp - 1800 AND $end_timestamp');
    expect(sql).toContain(serviceResources());
    expect(sql).toContain(IN_PARTITION);
  });

  it('sets the decimals it shows', () => {
    expect([0, 1, 2, 3, 4]).toContain(w.decimalPrecision);
  });

  it('references only reserved time variables and variables the dashboard declares', () => {
    const declared = new Set([...RESERVED, ...Object.keys(d.variables)]);
    const referenced = [...sql.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
    for (const name of referenced) expect(declared).toContain(name);
    expect(sql).not.toMatch(/\{\{|\[\[/);
  });

  it('guards every attribute map read with mapContains (a missing key would read 0 or an empty string)', () => {
    const reads = [
      ...sql.matchAll(/(attributes_string|attributes_number|attributes_bool|resources_string)\['([^']+)'\]/g),
    ];
    expect(reads.length).toBeGreaterThan(0);
    for (const [, map, key] of reads) expect(sql).toContain(`mapContains(${map}, '${key}')`);
  });

  it('returns the columns its panel reads', () => {
    if (w.panelTypes === PanelType.VALUE || w.panelTypes === PanelType.PIE)
      expect(sql).toMatch(/ AS value\b/);
    if ([PanelType.GRAPH, PanelType.BAR, PanelType.HISTOGRAM].includes(w.panelTypes as 'graph')) {
      expect(sql).toMatch(/ AS ts\b/);
      expect(sql).toMatch(/ AS value\b/);
    }
  });
});

describe('thresholds where they mean something', () => {
  const thresholdsOf = (id: string) => allWidgets.find((w) => w.widget.id === id)?.widget.thresholds ?? [];

  it('marks the 60 % hit-rate target, the 70 opportunity score and the $60/day budget', () => {
    expect(thresholdsOf('directional-hit-rate')).toEqual([
      expect.objectContaining({ thresholdValue: 60, thresholdOperator: '<', thresholdUnit: 'percent' }),
    ]);
    expect(thresholdsOf('mean-opportunity-score-by-symbol')).toEqual([
      expect.objectContaining({ thresholdValue: 70, thresholdOperator: '>=' }),
    ]);
    expect(thresholdsOf('estimated-cost-per-day-vs-budget')).toEqual([
      expect.objectContaining({ thresholdValue: 60, thresholdOperator: '>', thresholdUnit: 'currencyUSD' }),
    ]);
    expect(thresholdsOf('confidence-calibration')).toEqual([
      expect.objectContaining({ thresholdValue: 60, thresholdTableOptions: 'hit_rate_pct' }),
    ]);
  });

  it('filters the ML and trading dashboards by symbol and model variables', () => {
    expect(Object.keys(dashboards['ml-performance'].variables)).toEqual([
      'service',
      'partition',
      'symbol',
      'model',
    ]);
    expect(Object.keys(dashboards['trading-signals'].variables)).toEqual(['service', 'partition', 'symbol']);
    for (const d of Object.values(dashboards)) {
      expect(d.variables.partition).toMatchObject({
        type: 'CUSTOM',
        customValue: 'live,demo',
        selectedValue: 'live',
        multiSelect: false,
      });
    }
    expect(dashboards['market-overview'].variables.service).toMatchObject({
      type: 'TEXTBOX',
      textboxValue: 'stock_analytics',
    });
    expect(dashboards['cost-optimization'].variables.price_per_gb).toMatchObject({
      type: 'TEXTBOX',
      textboxValue: '0.40',
    });
  });
});

describe('the committed dashboards/v5 and dashboards/v6 files', () => {
  it.each(Object.entries(renderDashboardFiles()))(
    '%s equals what the definitions generate',
    (file, content) => {
      const committed = readFileSync(
        join(__dirname, '..', '..', '..', '..', '..', 'dashboards', file),
        'utf8',
      );
      expect(committed).toBe(content);
    },
  );
});

describe('builder', () => {
  let n = 0;
  const placed = (w: number, h = 3) => {
    n += 1;
    return widget({
      id: `w${n}`,
      title: 't',
      description: 'd',
      panelType: 'value',
      unit: 'none',
      sql: 'x',
      w,
      h,
    });
  };

  it('packs widgets left to right and wraps below the tallest widget of the row', () => {
    const layout = autoLayout([placed(6, 4), placed(4, 2), placed(3, 3), placed(12, 5), placed(2)]);
    expect(layout.map((item) => item.id)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
    expect(layout.map(({ x, y, w, h }) => ({ x, y, w, h }))).toEqual([
      { x: 0, y: 0, w: 6, h: 4 },
      { x: 6, y: 0, w: 4, h: 2 },
      { x: 0, y: 4, w: 3, h: 3 },
      { x: 0, y: 7, w: 12, h: 5 },
      { x: 0, y: 12, w: 2, h: 3 },
    ]);
  });

  it('rejects a widget wider than the grid', () => {
    expect(() => placed(13)).toThrow(RangeError);
    expect(() => placed(0)).toThrow(RangeError);
  });

  it('trims SQL indentation and derives ids from titles', () => {
    const w = widget({
      title: 'Signal hit rate (%)',
      description: 'd',
      panelType: 'value',
      unit: 'percent',
      sql: '\n   SELECT 1 AS value\n     FROM t\n',
    });
    expect(w.widget.id).toBe('signal-hit-rate');
    expect(w.widget.sql).toBe('SELECT 1 AS value\nFROM t');
  });
});
