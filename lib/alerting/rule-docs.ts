/**
 * The runbook's statement of each rule — severity, what it reads, threshold, period, M of N, missing data,
 * fan-out, suppression; the burn-rate tiers as a table — generated from the rules themselves, so the page
 * on-call reads says what is deployed (`npm run runbook` writes it into docs/runbook.md; a test checks it).
 */
import { burnRateThreshold } from './burn-rate';
import {
  type AlertRule,
  type BurnRateRule,
  Comparison,
  type ExpressionRule,
  FanOut,
  type MetricRef,
  MissingData,
  Placeholder,
  type ThresholdRule,
} from './rule-types';

const COMPARISON_TEXT: Record<Comparison, string> = {
  [Comparison.GT]: '>',
  [Comparison.GTE]: '≥',
  [Comparison.LT]: '<',
  [Comparison.LTE]: '≤',
};

const MISSING_TEXT: Record<MissingData, string> = {
  [MissingData.NOT_BREACHING]: 'not breaching',
  [MissingData.BREACHING]: '**breaching**',
  [MissingData.IGNORE]: 'ignored (state kept)',
  [MissingData.MISSING]: 'missing (insufficient data)',
};

const FAN_OUT_TEXT: Record<FanOut, string> = {
  [FanOut.NONE]: '',
  [FanOut.FUNCTION]: 'per function (the four product functions and `key-age-check`)',
  [FanOut.TABLE]: 'per table (market, rankings, sampling)',
  [FanOut.WATCHED_SYMBOL]: 'per watch-listed symbol (context `metricSymbolWatchlist`)',
};

/** "15 min", "1 h", "3 days". */
export function duration(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

/** Dimension names of a metric, e.g. `[Service, Symbol]`. */
function dimensions(metric: MetricRef): string {
  return `[${Object.keys(metric.dimensions).join(', ')}]`;
}

function metricText(metric: MetricRef): string {
  const perTarget = Object.values(metric.dimensions).some(
    (value) => value === Placeholder.FUNCTION || value === Placeholder.TABLE,
  );
  return `\`${metric.name}\` (${metric.statistic}${perTarget ? '' : `, \`${dimensions(metric)}\``})`;
}

function thresholdText(rule: ThresholdRule | ExpressionRule): string {
  const comparison = COMPARISON_TEXT[rule.comparison];
  if (rule.kind === 'threshold' && rule.thresholdUnit === 'fraction-of-timeout') {
    return `${comparison} ${rule.threshold * 100} % of the function's timeout`;
  }
  return `${comparison} ${rule.threshold}`;
}

function signalText(rule: ThresholdRule | ExpressionRule): string {
  if (rule.kind === 'threshold') return `${metricText(rule.metric)} ${thresholdText(rule)}`;
  const terms = Object.entries(rule.metrics)
    .map(([id, metric]) => `\`${id}\` = ${metricText(metric)}`)
    .join(', ');
  return `metric math \`${rule.expression}\` ${thresholdText(rule)}, with ${terms}`;
}

/** The one-paragraph statement of a threshold or expression rule. */
export function describeRule(rule: ThresholdRule | ExpressionRule): string {
  const parts = [
    `**${rule.severity}**`,
    ...(rule.fanOut === FanOut.NONE ? [] : [FAN_OUT_TEXT[rule.fanOut]]),
    signalText(rule),
    `period ${duration(rule.periodSeconds / 60)}, ${rule.datapointsToAlarm} of ${rule.evaluationPeriods} datapoints`,
    `missing data ${MISSING_TEXT[rule.missingData]}`,
  ];
  const notes: string[] = [];
  if (rule.fanOut !== FanOut.NONE && rule.notify === 'any')
    notes.push('one composite notifies for any member');
  if (rule.suppressedBy) notes.push(`silenced while \`${rule.suppressedBy}\` fires`);
  if (rule.kind === 'expression' && rule.lookbackMinutes !== undefined) {
    notes.push(`the tracker's metrics summarise the scheduled ${rule.lookbackMinutes}-minute window`);
  }
  return `${parts.join(' · ')}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}.`;
}

const percent = (ratio: number) => `${Number((ratio * 100).toPrecision(6))} %`;

/** The tier table of a burn-rate rule (Markdown). */
export function describeBurnRate(rule: BurnRateRule): string {
  const rows = rule.tiers.map((tier, index) => {
    const higher = rule.tiers.slice(0, index).map((t) => t.name);
    return [
      tier.name,
      `${tier.factor}×`,
      duration(tier.longWindowMinutes),
      duration(tier.shortWindowMinutes),
      duration(tier.shortWindowMinutes * tier.shortClearPeriods),
      percent(burnRateThreshold(rule.objective, tier.factor)),
      `${tier.minSamples.long} / ${tier.minSamples.short}`,
      tier.severity,
      higher.length === 0 ? '—' : higher.join(' or '),
    ];
  });
  const header = [
    'tier',
    'burn',
    'long window',
    'short window',
    'short clears after',
    'bad ratio ≥',
    'min. events (long / short)',
    'severity',
    'suppressed by',
  ];
  return [
    `SLO ${percent(rule.objective)} over ${rule.sloPeriodDays} days (error budget ${percent(1 - rule.objective)}); ` +
      'each tier pages when both its windows breach; its short window clears only after the stated time without a ' +
      'breaching period (one burst, one page).',
    '',
    ...markdownTable(header, rows),
  ].join('\n');
}

/** A Markdown table with padded columns, as the formatter (biome) writes it. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const width = (text: string) => [...text].length;
  const widths = header.map((cell, column) =>
    Math.max(3, width(cell), ...rows.map((row) => width(row[column] ?? ''))),
  );
  const pad = (text: string, column: number) => text + ' '.repeat((widths[column] ?? 0) - width(text));
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The generated statement of any rule. */
export function describeAlertRule(rule: AlertRule): string {
  return rule.kind === 'burn-rate' ? describeBurnRate(rule) : describeRule(rule);
}
