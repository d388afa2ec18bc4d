/** Report sections: are the models right (the 7-day validate_all and the scheduled runs), and by session. */
import type { AccuracyReport, CompactGroup, SessionRow, SessionsReport } from '../story/types';
import { type Column, fmt, section, table, wrap } from './text';

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

export function accuracySection(a: AccuracyReport): string {
  const o = a.overall;
  return section(
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
      wrap(
        'The scheduled validate_all of each replayed day (every 15 minutes over the last 30, as the stack ' +
          'schedules it; a prediction is checked by up to three runs):',
      ),
      table(a.daily, [
        { header: 'day', value: (d) => d.date, align: 'left' },
        { header: 'runs', value: (d) => fmt.int(d.runs) },
        { header: 'failed', value: (d) => (d.failedRuns > 0 ? fmt.int(d.failedRuns) : '–') },
        { header: 'checks', value: (d) => fmt.int(d.validations) },
        { header: 'hit rate', value: (d) => fmt.pct(d.hitRate) },
        { header: 'pending', value: (d) => fmt.int(d.pending) },
        { header: 'alerts raised', value: (d) => d.alerts.join(', ') || '–', align: 'left' },
      ]),
      '',
      a.alerts.length === 0
        ? '  Alerts of the 7-day summary: none (an alert needs the Wilson upper bound below 60 % and enough predictions)'
        : `  Alerts of the 7-day summary (${a.alerts.length}):\n${a.alerts.map((alert) => `    ! ${alert.scope} ${alert.key}: ${alert.message}`).join('\n')}`,
    ].join('\n'),
  );
}

const SESSION_ORDER = ['pre_market', 'regular', 'after_hours', 'closed'];

export function sessionsSection(s: SessionsReport): string {
  const rows = SESSION_ORDER.filter((name) => (s.bySession[name]?.n ?? 0) > 0).map((name) => ({
    name,
    row: s.bySession[name] as SessionRow,
  }));
  return section(
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
  );
}
