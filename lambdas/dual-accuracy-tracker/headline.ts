/** The one-sentence reading of a summary, put before the figures in validate_all and report answers. */
import { EnvVar } from '../shared/config';
import { DataPartition, isLivePartition } from '../shared/partition';
import type { AccuracyOnlySummary, TrackerSummary } from './types';

/** A summary as answered or stored; summaries stored before calibration alerts and shortening lack both. */
export type HeadlineSummary = AccuracyOnlySummary &
  Partial<Pick<TrackerSummary, 'calibrationAlerts' | 'shortened'>>;

const pct = (x: number | null, digits = 1): string => (x === null ? 'n/a' : `${(x * 100).toFixed(digits)} %`);

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** How many alerts are shown by name in the headline; the rest are counted. */
const NAMED_ALERTS = 5;

function named(parts: readonly string[], total: number): string {
  const more = total - Math.min(parts.length, NAMED_ALERTS);
  return parts.slice(0, NAMED_ALERTS).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/** "overall 55.0 %" (named once) or "model lstm-v3 55.0 %". */
const subject = (alert: { scope: string; key: string }) =>
  alert.scope === alert.key ? alert.scope : `${alert.scope} ${alert.key}`;

/** A lookback in the unit a person would say: "30 minutes", "6 hours", "7 days" (never 0.0208… days). */
export function lookbackText(days: number): string {
  const minutes = Math.round(days * 24 * 60);
  if (minutes < 120) return plural(minutes, 'minute');
  if (minutes % (24 * 60) === 0) return plural(minutes / (24 * 60), 'day');
  if (minutes % 60 === 0 && minutes < 48 * 60) return plural(minutes / 60, 'hour');
  const rounded = Number(days.toFixed(1));
  return `${rounded} day${rounded === 1 ? '' : 's'}`;
}

/**
 * "1110 predictions validated, 4 pending, over 7 days; hit rate 66.4 % (95 % CI 63.6 %–69.1 %), …", the
 * accuracy and calibration alerts (counted in full, the first few named), and whether the summary was shortened.
 * With nothing in the window it says which data partition it read, and, for the live one, how to read the
 * demo's (the observability-demo writes only to its own).
 */
export function headline(summary: HeadlineSummary, partition?: string): string {
  const { overall, window, alerts } = summary;
  const calibration = summary.calibrationAlerts ?? [];
  const shortened = summary.shortened;
  const parts = [
    `${plural(overall.n, 'prediction')} validated, ${overall.pending} pending, ` +
      `over ${lookbackText(window.lookbackDays)}`,
  ];
  if (overall.n > 0) {
    const ci = overall.hitRateCi
      ? ` (95 % CI ${pct(overall.hitRateCi[0])}–${pct(overall.hitRateCi[1])})`
      : '';
    parts.push(
      `hit rate ${pct(overall.hitRate)}${ci}, mean price error ` +
        `${overall.meanPriceErrorPct === null ? 'n/a' : `${overall.meanPriceErrorPct.toFixed(2)} %`}, ` +
        `ECE ${overall.ece === null ? 'n/a' : overall.ece.toFixed(3)}`,
    );
  }
  const accuracyTotal = alerts.length + (shortened?.alertsLeftOut ?? 0);
  parts.push(
    accuracyTotal === 0
      ? 'no accuracy alert'
      : `${plural(accuracyTotal, 'accuracy alert')}: ` +
          named(
            alerts.map((alert) => `${subject(alert)} ${pct(alert.hitRate)}`),
            accuracyTotal,
          ),
  );
  const calibrationTotal = calibration.length + (shortened?.calibrationAlertsLeftOut ?? 0);
  if (calibrationTotal > 0) {
    parts.push(
      `${plural(calibrationTotal, 'calibration alert')}: ` +
        named(
          calibration.map((alert) => `${subject(alert)} ECE ${alert.ece.toFixed(3)}`),
          calibrationTotal,
        ),
    );
  }
  if (shortened) {
    const left = [
      shortened.byModel ? plural(shortened.byModel.groups, 'model') : null,
      shortened.bySymbol ? plural(shortened.bySymbol.groups, 'symbol') : null,
    ].filter(Boolean);
    parts.push(
      `summary shortened to ${shortened.maxGroups} groups per grouping (${left.join(' and ')} left out)`,
    );
  }
  if (partition !== undefined && overall.n === 0 && overall.pending === 0) {
    parts.push(
      isLivePartition(partition)
        ? `nothing in the "${partition}" data partition's window (the observability-demo writes to "${DataPartition.DEMO}": ` +
            `read it with ${EnvVar.DATA_NAMESPACE}=${DataPartition.DEMO})`
        : `nothing in the "${partition}" data partition's window`,
    );
  }
  return `${parts.join('; ')}.`;
}
