/** The one-sentence reading of a summary, put before the figures in validate_all and report answers. */
import { EnvVar } from '../shared/config';
import { DataPartition, isLivePartition } from '../shared/partition';
import type { TrackerSummary } from './types';

const pct = (x: number | null, digits = 1): string => (x === null ? 'n/a' : `${(x * 100).toFixed(digits)} %`);

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

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
 * "1110 predictions validated, 4 pending, over 7 days; hit rate 66.4 % (95 % CI 63.6 %–69.1 %), …". With
 * nothing in the window it says which data partition it read, and, for the live one, how to read the
 * demo's (the observability-demo writes only to its own).
 */
export function headline(summary: TrackerSummary, partition?: string): string {
  const { overall, window, alerts } = summary;
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
  parts.push(
    alerts.length === 0
      ? 'no accuracy alert'
      : `${alerts.length} accuracy alert${alerts.length === 1 ? '' : 's'}: ` +
          alerts
            .map((alert) =>
              alert.scope === alert.key
                ? `${alert.scope} ${pct(alert.hitRate)}`
                : `${alert.scope} ${alert.key} ${pct(alert.hitRate)}`,
            )
            .join(', '),
  );
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
