/**
 * validate_all's summary stays small whatever the number of models and symbols in the window: the answer
 * must fit Lambda's 6 MB response and the stored copy DynamoDB's 400 KB item. Each grouping keeps at most
 * `SUMMARY_MAX_GROUPS` groups — those an alert rule holds for first, then the largest by n — and the alert
 * lists keep the alerts of the kept groups; `shortened` says what was left out and `alertingGroups` keeps the
 * full counts. The metrics and the alert log lines are computed from the full summary, before this.
 */
import type { AccuracyGroup, CalibrationAlert } from '../shared/accuracy';
import { AlertScope } from '../shared/accuracy';
import type { AlertingCounts, GroupAlerts } from './summary-metrics';
import type { AccuracyOnlySummary, SummaryShortening, TrackerSummary } from './types';

/** Groups kept per grouping (bySymbol, byModel): ≈ 1.5 KB each with its reliability table. */
export const SUMMARY_MAX_GROUPS = 50;

/** What to do to see a group that was left out. */
export const LEFT_OUT_HINT =
  'Groups beyond the limit are left out (alerting groups first, then the largest by n); ' +
  'call validate_all with "models" or "symbols" to see them, and the alerting-groups log query to list every alerting group.';

interface Kept {
  readonly groups: Record<string, AccuracyGroup>;
  readonly leftOut: { readonly groups: number; readonly n: number; readonly pending: number } | null;
}

function keep(
  groups: Readonly<Record<string, AccuracyGroup>>,
  alerting: ReadonlySet<string>,
  max: number,
): Kept {
  const keys = Object.keys(groups);
  if (keys.length <= max) return { groups: { ...groups }, leftOut: null };
  const ranked = keys.sort((a, b) => {
    const alertFirst = Number(alerting.has(b)) - Number(alerting.has(a));
    if (alertFirst !== 0) return alertFirst;
    const byN = (groups[b] as AccuracyGroup).n - (groups[a] as AccuracyGroup).n;
    return byN !== 0 ? byN : a < b ? -1 : a > b ? 1 : 0;
  });
  const kept = ranked.slice(0, max).sort();
  let n = 0;
  let pending = 0;
  for (const key of ranked.slice(max)) {
    n += (groups[key] as AccuracyGroup).n;
    pending += (groups[key] as AccuracyGroup).pending;
  }
  return {
    groups: Object.fromEntries(kept.map((key) => [key, groups[key] as AccuracyGroup])),
    leftOut: { groups: keys.length - max, n, pending },
  };
}

function alertingKeys(alerts: GroupAlerts, scope: AlertScope): Set<string> {
  return new Set(
    [...alerts.accuracy, ...alerts.calibration].filter((a) => a.scope === scope).map((a) => a.key),
  );
}

/** The summary as answered and stored: at most `max` groups per grouping, with what was left out. */
export function limitSummary(
  summary: AccuracyOnlySummary,
  calibrationAlerts: readonly CalibrationAlert[],
  counts: AlertingCounts,
  max = SUMMARY_MAX_GROUPS,
): TrackerSummary {
  const alerts: GroupAlerts = { accuracy: summary.alerts, calibration: calibrationAlerts };
  const symbols = keep(summary.bySymbol, alertingKeys(alerts, AlertScope.Symbol), max);
  const models = keep(summary.byModel, alertingKeys(alerts, AlertScope.Model), max);
  const kept = <T extends { scope: AlertScope; key: string }>(list: readonly T[]) =>
    list.filter(
      (alert) =>
        alert.scope === AlertScope.Overall ||
        Object.hasOwn(alert.scope === AlertScope.Symbol ? symbols.groups : models.groups, alert.key),
    );
  const accuracy = kept(summary.alerts);
  const calibration = kept(calibrationAlerts);
  const shortened: SummaryShortening | null =
    symbols.leftOut || models.leftOut
      ? {
          maxGroups: max,
          ...(symbols.leftOut ? { bySymbol: symbols.leftOut } : {}),
          ...(models.leftOut ? { byModel: models.leftOut } : {}),
          alertsLeftOut: summary.alerts.length - accuracy.length,
          calibrationAlertsLeftOut: calibrationAlerts.length - calibration.length,
          hint: LEFT_OUT_HINT,
        }
      : null;
  return {
    ...summary,
    bySymbol: symbols.groups,
    byModel: models.groups,
    alerts: accuracy,
    calibrationAlerts: calibration,
    alertingGroups: counts,
    ...(shortened ? { shortened } : {}),
  };
}
