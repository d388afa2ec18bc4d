/**
 * The calibration alert, per group like the accuracy alert: the expected calibration error of a group is above
 * the threshold on a sample large enough to trust (ECE of a small sample is noisy and biased upwards).
 */
import { CalibrationAlertDefaults } from './alert-defaults';
import { AccuracyOptionsError } from './errors';
import { type AccuracyGroup, type AccuracySummary, AlertScope } from './types';

export { CalibrationAlertDefaults } from './alert-defaults';

export interface CalibrationAlertOptions {
  readonly eceThreshold?: number;
  readonly minSampleForAlert?: number;
}

/** A calibration alert: ECE above the threshold with at least the minimum sample. */
export interface CalibrationAlert {
  readonly scope: AlertScope;
  /** Symbol or model; 'overall' for the overall scope. */
  readonly key: string;
  readonly ece: number;
  readonly n: number;
  readonly threshold: number;
  readonly message: string;
}

function alertFor(
  scope: AlertScope,
  key: string,
  group: AccuracyGroup,
  threshold: number,
  minSample: number,
): CalibrationAlert | null {
  if (group.n < minSample || group.ece === null || !(group.ece > threshold)) return null;
  const subject = scope === AlertScope.Overall ? 'Overall calibration' : `Calibration of ${scope} ${key}`;
  return {
    scope,
    key,
    ece: group.ece,
    n: group.n,
    threshold,
    message: `${subject}: ECE ${group.ece.toFixed(3)} (n = ${group.n}) is above ${threshold}.`,
  };
}

/** The groups whose calibration alert holds: overall first, then symbols, then models (each sorted by key). */
export function calibrationAlerts(
  summary: Pick<AccuracySummary<unknown>, 'overall' | 'bySymbol' | 'byModel'>,
  options: CalibrationAlertOptions = {},
): CalibrationAlert[] {
  const threshold = options.eceThreshold ?? CalibrationAlertDefaults.eceThreshold;
  const minSample = options.minSampleForAlert ?? CalibrationAlertDefaults.minSampleForAlert;
  if (!(threshold > 0 && threshold < 1)) {
    throw new AccuracyOptionsError(`eceThreshold ${threshold} is not in (0, 1)`);
  }
  if (!Number.isInteger(minSample) || minSample < 1) {
    throw new AccuracyOptionsError(`calibration minSampleForAlert ${minSample} is not a positive integer`);
  }
  const alerts: CalibrationAlert[] = [];
  const overall = alertFor(AlertScope.Overall, 'overall', summary.overall, threshold, minSample);
  if (overall) alerts.push(overall);
  for (const [scope, groups] of [
    [AlertScope.Symbol, summary.bySymbol],
    [AlertScope.Model, summary.byModel],
  ] as const) {
    for (const key of Object.keys(groups).sort()) {
      const alert = alertFor(scope, key, groups[key] as AccuracyGroup, threshold, minSample);
      if (alert) alerts.push(alert);
    }
  }
  return alerts;
}
