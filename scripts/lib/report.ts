/**
 * The demo's readable text report: aligned tables, formatted numbers, no timings (so two runs with the
 * same seed print the same report; timings go to the progress lines).
 */
import type { CompactGroup, DemoResult, SessionRow } from '../../lambdas/observability-demo/story';

export type Align = 'left' | 'right';

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  readonly align?: Align;
}

/** Rows under a header and a rule, columns padded to their widest cell (numbers right-aligned). */
export function table<Row>(rows: readonly Row[], columns: readonly Column<Row>[], indent = '  '): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, c) =>
    Math.max(column.header.length, ...cells.map((row) => (row[c] ?? '').length)),
  );
  const pad = (text: string, c: number) =>
    (columns[c]?.align ?? 'right') === 'left' ? text.padEnd(widths[c] ?? 0) : text.padStart(widths[c] ?? 0);
  const line = (values: readonly string[]) =>
    `${indent}${values.map((value, c) => pad(value, c)).join('  ')}`.trimEnd();
  return [
    line(columns.map((column) => column.header)),
    `${indent}${widths.map((width) => '─'.repeat(width)).join('  ')}`,
    ...cells.map(line),
  ].join('\n');
}

export const fmt = {
  /** 0.6432 → "64.3 %" */
  pct: (x: number | null | undefined, digits = 1): string =>
    x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)} %`,
  /** A value already in percent: 12.345 → "12.3 %" */
  pctValue: (x: number | null | undefined, digits = 1): string =>
    x === null || x === undefined ? '–' : `${x.toFixed(digits)} %`,
  num: (x: number | null | undefined, digits = 3): string =>
    x === null || x === undefined ? '–' : x.toFixed(digits),
  signed: (x: number | null | undefined, digits = 3): string =>
    x === null || x === undefined ? '–' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`,
  int: (x: number | null | undefined): string =>
    x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-US'),
  money: (x: number | null | undefined): string =>
    x === null || x === undefined
      ? '–'
      : `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
  ci: (ci: readonly [number, number] | null | undefined): string =>
    ci ? `${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)} %` : '–',
  /** ISO instant → "2026-11-24 15:45 ET" */
  et: (iso: string): string => {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(iso));
    const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ET`;
  },
} as const;

/** 3191 → 3200: a scale, not a measurement (and stable against a byte more or less in the estimate). */
const twoSignificant = (x: number): number => Number(x.toPrecision(2));

/** Wraps prose at `width` columns, every line indented. */
export function wrap(text: string, indent = '  ', width = 108): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function section(title: string, body: string): string {
  return `${title}\n${'═'.repeat(title.length)}\n${body}`;
}

const accuracyColumns = <Row extends { key: string; group: CompactGroup }>(label: string): Column<Row>[] => [
  { header: label, value: (row) => row.key, align: 'left' },
  { header: 'n', value: (row) => fmt.int(row.group.n) },
  { header: 'pending', value: (row) => fmt.int(row.group.pending) },
  { header: 'hit rate', value: (row) => fmt.pct(row.group.hitRate) },
  { header: '95 % CI', value: (row) => fmt.ci(row.group.hitRateCi) },
  { header: 'price err', value: (row) => fmt.pctValue(row.group.meanPriceErrorPct, 3) },
  { header: 'ECE', value: (row) => fmt.num(row.group.ece) },
  { header: 'Brier', value: (row) => fmt.num(row.group.brier) },
  { header: 'AUROC', value: (row) => fmt.num(row.group.auroc) },
];

function groups(record: Readonly<Record<string, CompactGroup>>): { key: string; group: CompactGroup }[] {
  return Object.keys(record)
    .sort()
    .map((key) => ({ key, group: record[key] as CompactGroup }));
}

const SESSION_ORDER = ['pre_market', 'regular', 'after_hours', 'closed'];

export interface ReportFiles {
  readonly dashboardsDir?: string;
  readonly spansFile?: string;
  readonly metricsFile?: string;
  readonly storeDir?: string;
}

/** The whole report as text (sections present in the result only). */
export function formatReport(result: DemoResult, files: ReportFiles = {}): string {
  const out: string[] = [];
  const w = result.workload;
  out.push(
    section(
      'trading-observability demo',
      [
        `  demo_type ${result.demo_type}, namespace "${result.namespace}", seed ${result.seed}`,
        `  clock fixed at ${fmt.et(result.clock.now)} (end of the last completed NYSE trading day)`,
        ...(w
          ? [
              `  ${w.symbols.length} symbols (${w.symbols.join(', ')}), models ${w.models.join(', ')}`,
              `  ${w.tradingDays} trading days ${w.firstDay} … ${w.lastDay}: ${fmt.int(w.prices)} prices, ${fmt.int(w.predictions)} predictions`,
              '',
              table(w.sources, [
                { header: 'symbol', value: (s) => s.symbol, align: 'left' },
                { header: 'real prices from', value: (s) => s.file, align: 'left' },
                { header: 'real dates replayed', value: (s) => s.realDates, align: 'left' },
              ]),
            ]
          : []),
      ].join('\n'),
    ),
  );

  const a = result.accuracy;
  if (a) {
    const o = a.overall;
    out.push(
      section(
        `Are the models right? (validate_all, last ${a.window.lookbackDays} days)`,
        [
          wrap(a.headline),
          '',
          table(
            [{ key: 'all', group: o }, ...groups(a.byModel).map((g) => ({ ...g, key: `model ${g.key}` }))],
            accuracyColumns('group'),
          ),
          '',
          table(groups(a.bySymbol), accuracyColumns('symbol')),
          '',
          `  Calibration (all predictions): ECE ${fmt.num(o.ece)}, MCE ${fmt.num(o.mce)}, Brier ${fmt.num(o.brier)}, ` +
            `log loss ${fmt.num(o.logLoss)}`,
          `  Confidence vs correctness: point-biserial ${fmt.signed(o.pointBiserial)}, Spearman ${fmt.signed(o.spearman)}, AUROC ${fmt.num(o.auroc)}`,
          '',
          '  Reliability (confidence bins, right-closed):',
          table(a.reliability, [
            { header: 'bin', value: (b) => `(${b.lower.toFixed(1)}, ${b.upper.toFixed(1)}]`, align: 'left' },
            { header: 'count', value: (b) => fmt.int(b.count) },
            { header: 'mean conf', value: (b) => fmt.pct(b.meanConfidence) },
            { header: 'hit rate', value: (b) => fmt.pct(b.hitRate) },
            {
              header: 'gap',
              value: (b) =>
                b.hitRate === null || b.meanConfidence === null
                  ? '–'
                  : `${fmt.signed((b.hitRate - b.meanConfidence) * 100, 1)} pt`,
            },
          ]),
          '',
          '  Nightly validate_all runs (per replayed day; one run per symbol):',
          table(a.nightly, [
            { header: 'day', value: (n) => n.date, align: 'left' },
            { header: 'validated', value: (n) => fmt.int(n.n) },
            { header: 'hit rate', value: (n) => fmt.pct(n.hitRate) },
            { header: 'alerts raised', value: (n) => n.alerts.join(', ') || '–', align: 'left' },
          ]),
          '',
          a.alerts.length === 0
            ? '  Alerts of the 7-day summary: none (an alert needs the Wilson upper bound below 60 % and enough predictions)'
            : `  Alerts of the 7-day summary (${a.alerts.length}):\n${a.alerts.map((alert) => `    ! ${alert.scope} ${alert.key}: ${alert.message}`).join('\n')}`,
        ].join('\n'),
      ),
    );
  }

  const t = result.trading;
  if (t) {
    const top = t.top;
    const factors = [...new Set(top.flatMap((entry) => entry.breakdown.map((f) => f.factor)))];
    out.push(
      section(
        `Where are the opportunities? (analyze as of ${fmt.et(t.asOf)})`,
        [
          `  ${t.scored} symbols scored, ${t.opportunitiesFound} opportunit${t.opportunitiesFound === 1 ? 'y' : 'ies'} (score ≥ ${t.threshold})`,
          '',
          table(top, [
            { header: 'rank', value: (e) => (e.rank === null ? '–' : String(e.rank)) },
            { header: 'symbol', value: (e) => e.symbol, align: 'left' },
            { header: 'score', value: (e) => fmt.num(e.score, 1) },
            { header: 'opp.', value: (e) => (e.isOpportunity ? 'yes' : ''), align: 'left' },
            ...factors.map(
              (factor): Column<(typeof top)[number]> => ({
                header: factor,
                value: (e) => fmt.num(e.breakdown.find((f) => f.factor === factor)?.contribution, 1),
              }),
            ),
          ]),
          '  (each factor column: points contributed to the score; they add up to it)',
          '',
          '  Scheduled rankings replayed through the day:',
          table(t.rankings, [
            { header: 'as of', value: (r) => fmt.et(r.asOf), align: 'left' },
            { header: 'leader', value: (r) => r.topSymbol ?? '–', align: 'left' },
            { header: 'score', value: (r) => fmt.num(r.topScore, 1) },
            { header: 'opportunities', value: (r) => fmt.int(r.opportunities) },
          ]),
        ].join('\n'),
      ),
    );
  }

  const s = result.sessions;
  if (s) {
    const rows = SESSION_ORDER.filter((name) => (s.bySession[name]?.n ?? 0) > 0).map((name) => ({
      name,
      row: s.bySession[name] as SessionRow,
    }));
    out.push(
      section(
        `Which session do the models do best in? (session_correlation, ${s.lookbackDays} days)`,
        [
          `  ${fmt.int(s.validations)} validated predictions; best session (by Wilson lower bound): ${s.bestSession ?? '–'}`,
          '',
          table(rows, [
            { header: 'session', value: (r) => r.name, align: 'left' },
            { header: 'n', value: (r) => fmt.int(r.row.n) },
            { header: 'hit rate', value: (r) => fmt.pct(r.row.hitRate) },
            { header: '95 % CI', value: (r) => fmt.ci(r.row.hitRateCi) },
            { header: 'price err', value: (r) => fmt.pctValue(r.row.meanPriceErrorPct, 3) },
            { header: 'signals', value: (r) => fmt.int(r.row.signals) },
            { header: 'mean signal return', value: (r) => fmt.pctValue(r.row.meanSignalReturnPct, 4) },
          ]),
        ].join('\n'),
      ),
    );
  }

  const p = result.sampling;
  if (p) {
    const categories = Object.entries(p.categories).map(([name, c]) => ({ name, ...c }));
    out.push(
      section(
        'What does observing it cost? (sampling optimizer, dry run)',
        [
          wrap(`Span volume of this run (${p.source}, ${p.windowMinutes}-minute window):`),
          `    spans started ${fmt.int(p.spansBefore)}, exported after sampling ${fmt.int(p.spansAfter)}: ` +
            `${fmt.pctValue(p.reductionPct)} fewer${p.observed ? ' (expected at the current probabilities)' : ''}`,
          ...(p.observed
            ? [
                `    as the layer sampled this run: ${fmt.int(p.observed.spansExported)} of ` +
                  `${fmt.int(p.observed.spansStarted)} exported, ${fmt.pctValue(p.observed.reductionPct)} fewer`,
                '    (traces with an alert, an error or a high-value score are kept whole)',
              ]
            : []),
          `    cost/day at this rate: unsampled ${fmt.money(p.costPerDayUnsampled)}, current sampling ` +
            `${fmt.money(p.costPerDayBefore)}, the optimizer's proposal ${fmt.money(p.costPerDayAfter)}`,
          `    budget ${fmt.money(p.budgetPerDay)}/day: ` +
            `${p.withinBudget === null ? 'no projection' : p.withinBudget ? 'within' : 'OVER'}` +
            (p.costPerDayBefore !== null && p.costPerDayBefore > 0
              ? `; reached at about ${fmt.int(twoSignificant(p.budgetPerDay / p.costPerDayBefore))}× this traffic`
              : ''),
          '',
          table(categories, [
            { header: 'category', value: (c) => c.name, align: 'left' },
            { header: 'started', value: (c) => fmt.int(c.spansBefore) },
            { header: 'exported', value: (c) => fmt.int(c.spansAfter) },
            { header: 'p now', value: (c) => fmt.num(c.from, 4) },
            { header: 'p proposed', value: (c) => fmt.num(c.to, 4) },
            { header: 'action', value: (c) => c.action, align: 'left' },
          ]),
          '  Errors and high-value traces (opportunity ≥ 70, alerts) are exported whole on top of these.',
          wrap(p.reason),
        ].join('\n'),
      ),
    );
  }

  const d = result.dashboards;
  if (d) {
    out.push(
      section(
        'Can analysts see it? (SigNoz dashboards)',
        [
          `  ${d.count} dashboards, ${d.widgets} widgets`,
          table(d.files, [
            {
              header: 'file',
              value: (f) => `${files.dashboardsDir ? `${files.dashboardsDir}/` : ''}${f.file}`,
              align: 'left',
            },
            { header: 'title', value: (f) => f.title, align: 'left' },
            { header: 'widgets', value: (f) => fmt.int(f.widgets) },
          ]),
        ].join('\n'),
      ),
    );
  }

  const written = [
    files.spansFile && `  spans (OTLP JSON lines, as the layer exports them, sampled): ${files.spansFile}`,
    files.metricsFile && `  metrics (CloudWatch EMF lines): ${files.metricsFile}`,
    files.storeDir && `  embedded DynamoDB (namespace "${result.namespace}"): ${files.storeDir}`,
    files.dashboardsDir &&
      `  SigNoz dashboards: ${files.dashboardsDir}/*.json (import in SigNoz, or npm run dashboards:verify)`,
  ].filter((line): line is string => typeof line === 'string');
  if (written.length > 0) out.push(section('Files', written.join('\n')));
  return `${out.join('\n\n')}\n`;
}
