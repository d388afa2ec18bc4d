/**
 * Structured log lines other parts read by their fields: the Logs Insights saved queries and the Contributor
 * Insights rule (lib/alerting) find the tracker's lines by `message` and group them by these field names.
 */

/** The tracker's one line per validate_all, with its totals. */
export const VALIDATE_ALL_FINISHED = 'validate_all finished' as const;

/** One line per group (overall, a model, a symbol) for which an alert rule holds, per validate_all. */
export const GroupAlertLog = {
  MESSAGE: 'group alerting',
  /** `accuracy` or `calibration`. */
  RULE: 'alertRule',
  /** `overall`, `model` or `symbol`. */
  KIND: 'groupKind',
  /** The model id or symbol ('overall' for the overall group). */
  GROUP: 'group',
  /** Matched predictions of the group in the window. */
  N: 'n',
  HIT_RATE: 'hitRate',
  UPPER_BOUND: 'upperBound',
  ECE: 'ece',
  /** `alarm` for the scheduled run the alarms read, `ad-hoc` for any other (filtered, another window). */
  RUN: 'run',
} as const;

/** Values of the `run` field. */
export const GroupAlertRun = { ALARM: 'alarm', AD_HOC: 'ad-hoc' } as const;
export type GroupAlertRun = (typeof GroupAlertRun)[keyof typeof GroupAlertRun];

/** The rules a group alert line names. */
export const GroupAlertRule = { ACCURACY: 'accuracy', CALIBRATION: 'calibration' } as const;
export type GroupAlertRule = (typeof GroupAlertRule)[keyof typeof GroupAlertRule];
