/**
 * One structured log line per group an alert rule holds for, so that on-call can list the failing models and
 * symbols (the Logs Insights query `alerting-groups`, the Contributor Insights rule on the dashboard) whatever
 * their number: the lines are capped per rule and call, the largest groups (by n) first, and the validate_all
 * line carries the full counts.
 */
import type { AccuracyAlert, CalibrationAlert } from '../shared/accuracy';
import { GroupAlertLog, GroupAlertRule, type GroupAlertRun } from '../shared/names/logs';
import type { GroupAlerts } from './summary-metrics';

/** Lines per rule and call; the counts beyond are in the validate_all line and the metrics. */
export const GROUP_ALERT_LOG_LIMIT = 20;

type LogFields = Record<string, string | number>;

const byEvidence = <T extends { n: number; key: string }>(a: T, b: T) =>
  b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function accuracyFields(alert: AccuracyAlert): LogFields {
  return {
    [GroupAlertLog.RULE]: GroupAlertRule.ACCURACY,
    [GroupAlertLog.KIND]: alert.scope,
    [GroupAlertLog.GROUP]: alert.key,
    [GroupAlertLog.N]: alert.n,
    [GroupAlertLog.HIT_RATE]: Number(alert.hitRate.toFixed(4)),
    [GroupAlertLog.UPPER_BOUND]: Number(alert.hitRateCi[1].toFixed(4)),
  };
}

function calibrationFields(alert: CalibrationAlert): LogFields {
  return {
    [GroupAlertLog.RULE]: GroupAlertRule.CALIBRATION,
    [GroupAlertLog.KIND]: alert.scope,
    [GroupAlertLog.GROUP]: alert.key,
    [GroupAlertLog.N]: alert.n,
    [GroupAlertLog.ECE]: Number(alert.ece.toFixed(4)),
  };
}

/** The lines to log: per rule at most `limit`, largest n first, each saying which kind of run found it. */
export function groupAlertLines(
  alerts: GroupAlerts,
  run: GroupAlertRun,
  limit = GROUP_ALERT_LOG_LIMIT,
): LogFields[] {
  return [
    ...[...alerts.accuracy].sort(byEvidence).slice(0, limit).map(accuracyFields),
    ...[...alerts.calibration].sort(byEvidence).slice(0, limit).map(calibrationFields),
  ].map((fields) => ({ ...fields, [GroupAlertLog.RUN]: run }));
}

export function logGroupAlerts(
  alerts: GroupAlerts,
  run: GroupAlertRun,
  warn: (message: string, fields: LogFields) => void,
  limit = GROUP_ALERT_LOG_LIMIT,
): number {
  const lines = groupAlertLines(alerts, run, limit);
  for (const fields of lines) warn(GroupAlertLog.MESSAGE, fields);
  return lines.length;
}
