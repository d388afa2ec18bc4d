/** The one-sentence reading of a summary, put before the figures in validate_all and report answers. */
import type { TrackerSummary } from './types';

const pct = (x: number | null, digits = 1): string => (x === null ? 'n/a' : `${(x * 100).toFixed(digits)} %`);

/** "1110 predictions validated, 4 pending, over 7 days; hit rate 66.4 % (95 % CI 63.6 %–69.1 %), …" */
export function headline(summary: TrackerSummary): string {
  const { overall, window, alerts } = summary;
  const parts = [
    `${overall.n} prediction${overall.n === 1 ? '' : 's'} validated, ${overall.pending} pending, ` +
      `over ${window.lookbackDays} day${window.lookbackDays === 1 ? '' : 's'}`,
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
          alerts.map((alert) => `${alert.scope} ${alert.key} ${pct(alert.hitRate)}`).join(', '),
  );
  return `${parts.join('; ')}.`;
}
