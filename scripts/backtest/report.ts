/** The backtest result as a plain-text table: scenarios with pages per incident, healthy time, rules, goals. */
import type { BacktestResult } from './index';
import { etTime } from './workload-profile';

const pad = (text: string, width: number) =>
  text.length >= width ? text : text + ' '.repeat(width - text.length);
const row = (cells: readonly string[], widths: readonly number[]) =>
  cells.map((c, i) => pad(c, widths[i] ?? 10)).join('  ');
const dash = (value: number | null) => (value === null ? '—' : String(value));

export function formatTable(result: BacktestResult): string {
  const lines: string[] = [];
  const widths = [52, 16, 9, 8, 30, 6, 6, 9];
  lines.push(
    row(
      ['scenario', 'injected (ET)', 'detected', 'minutes', 'first alert', 'pages', 'notes', 'cleared±'],
      widths,
    ),
  );
  lines.push('-'.repeat(widths.reduce((a, b) => a + b + 2, 0)));
  for (const s of result.scenarios) {
    const outcome = s.expect === 'quiet' ? (s.keptQuiet ? 'quiet ✓' : 'NOISY') : s.detected ? 'yes' : 'NO';
    lines.push(
      row(
        [
          s.name,
          etTime(Date.parse(s.injectedAt)).replace(' ET', '').slice(5),
          outcome,
          dash(s.minutesToDetect),
          s.detectedBy ?? '—',
          String(s.pages),
          String(s.notifications),
          s.minutesToClearAfterEnd === null
            ? '—'
            : `${s.minutesToClearAfterEnd > 0 ? '+' : ''}${s.minutesToClearAfterEnd}`,
        ],
        widths,
      ),
    );
    if (s.goal) {
      lines.push(
        `    goal: ${s.goal.description}: ≤ ${s.goal.maxMinutes} min → ${s.goal.met ? 'met' : 'NOT met'}`,
      );
    }
    if (s.earlyAlerts > 0)
      lines.push(`    ${s.earlyAlerts} alert(s) before any evidence could exist (not detections)`);
  }
  lines.push(
    '(pages: critical notifications of any rule during the incident and its grace; notes: all notifications)',
  );
  lines.push('');
  lines.push(
    `healthy: ${result.healthy.days} trading days, ${result.healthy.alerts} alerts (${result.healthy.alertsPerDay}/day); ` +
      `all alerts: ${result.totals.alerts} (${result.totals.pages} pages), false positives ${result.totals.falsePositives} ` +
      `(${result.totals.falsePositiveRate === null ? 'n/a' : `${(result.totals.falsePositiveRate * 100).toFixed(1)} %`})`,
  );
  const { healthy, modelIdGrowth } = result.trackerCost;
  lines.push(
    `tracker per scheduled run: healthy ≤ ${healthy.maxSeriesPerRun} metric series, ≤ ${healthy.maxModels} models, ` +
      `stored summary ≤ ${healthy.maxStoredChars} chars` +
      (modelIdGrowth
        ? `; with thousands of model ids ≤ ${modelIdGrowth.maxSeriesPerRun} series, ${modelIdGrowth.maxModels} ` +
          `models, ≤ ${modelIdGrowth.maxStoredChars} chars`
        : ''),
  );
  lines.push('');
  const ruleWidths = [28, 7, 16, 22];
  lines.push(row(['rule', 'alerts', 'false positives', 'mean minutes to detect'], ruleWidths));
  for (const rule of result.perRule) {
    lines.push(
      row(
        [rule.ruleId, String(rule.alerts), String(rule.falsePositives), dash(rule.meanMinutesToDetect)],
        ruleWidths,
      ),
    );
  }
  lines.push('');
  lines.push('accuracy alarm vs sequential tests (minutes to detect at 0 false positives on healthy days):');
  const names = Object.keys(result.sequential.alarm);
  const seqWidths = [52, 10, ...result.sequential.detectors.map(() => 22)];
  lines.push(
    row(
      [
        'scenario',
        'alarm',
        ...result.sequential.detectors.map((d) => `${d.detector} (h ${d.threshold ?? '—'})`),
      ],
      seqWidths,
    ),
  );
  for (const name of names) {
    lines.push(
      row(
        [
          name,
          dash(result.sequential.alarm[name] ?? null),
          ...result.sequential.detectors.map((d) => dash(d.minutesToDetect[name] ?? null)),
        ],
        seqWidths,
      ),
    );
  }
  lines.push('');
  lines.push(
    `goals: ${Object.entries(result.goals)
      .map(([goal, met]) => `${goal} ${met ? '✓' : '✗'}`)
      .join(', ')}`,
  );
  return lines.join('\n');
}
