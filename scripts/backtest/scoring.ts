/**
 * Scoring an incident against the alerts the replay's alarms sent: detected or not (or, for a quiet incident,
 * kept quiet), how fast, by which alarm, when it cleared, how many pages and notifications one incident cost,
 * and which alerts came before any evidence could exist (they are not detections).
 */
import { type AlertParams, RuleId } from '../../lib/alerting/rules';
import type { AlarmInterval, Alert } from './alarms';
import { INCIDENT_GRACE_MINUTES, type Incident } from './scenarios';

/** The goals of issue 12 (kept) and issue 15 (pages per incident). */
export const GOALS = {
  maxAlertsPerHealthyDay: 2,
  maxFalsePositiveRate: 0.05,
  fastBurnMinutes: 5,
  /** One incident, one page: at most this many critical notifications per incident. */
  maxPagesPerIncident: 1,
} as const;

export interface ScenarioResult {
  readonly name: string;
  readonly kind: string;
  /** `detect`: the expected rules must notify; `quiet`: nothing may notify. */
  readonly expect: 'detect' | 'quiet';
  readonly injectedAt: string;
  readonly endsAt: string;
  readonly detected: boolean;
  readonly detectedAt: string | null;
  readonly minutesToDetect: number | null;
  /** The rule (and alarm) whose notification detected it first. */
  readonly detectedBy: string | null;
  /** When every detecting rule's alarm was back to OK (may precede endsAt when the system compensates). */
  readonly clearedAt: string | null;
  readonly minutesToClearAfterEnd: number | null;
  /** First notification per expected rule (alarm name → minutes after injection). */
  readonly alertsByAlarm: Readonly<Record<string, number>>;
  /** Critical notifications (pages) of any rule between injection and the end of the grace period. */
  readonly pages: number;
  /** All notifications (pages and warnings) of any rule in the same time. */
  readonly notifications: number;
  /** Expected rules' notifications before evidence could exist (before the prediction horizon): not detections. */
  readonly earlyAlerts: number;
  /** For a quiet incident: whether nothing notified. */
  readonly keptQuiet: boolean | null;
  readonly goal: {
    readonly description: string;
    readonly maxMinutes: number;
    readonly met: boolean;
    /** false for an aim that is reported but does not fail the run. */
    readonly binding: boolean;
  } | null;
}

export interface ScoringContext {
  readonly alerts: readonly Alert[];
  /** ALARM intervals of the alarms that notify. */
  readonly intervals: readonly AlarmInterval[];
  readonly minute: (ms: number) => number;
  readonly iso: (m: number) => string;
  readonly predictionsPerMinute: number;
  readonly lookbackMinutes: number;
  readonly horizonMinutes: number;
  readonly validateEveryMinutes: number;
  readonly params: AlertParams;
}

/** [from, to) minutes in which alerts belong to the incident. */
export function incidentWindow(incident: Incident, minute: (ms: number) => number) {
  return { from: minute(incident.startMs), to: minute(incident.endMs) + INCIDENT_GRACE_MINUTES };
}

/** Whether an alert in the incident's window is a legitimate consequence of it (else a false positive). */
export function attributable(incident: Incident, alert: Alert, minute: (ms: number) => number): boolean {
  if ((incident.expect ?? 'detect') === 'quiet') return false;
  const start = minute(incident.startMs);
  return !(
    incident.detectedBy.includes(alert.ruleId) && alert.minute < start + (incident.evidenceAfterMinutes ?? 0)
  );
}

export function scoreIncident(incident: Incident, ctx: ScoringContext): ScenarioResult {
  const start = ctx.minute(incident.startMs);
  const end = ctx.minute(incident.endMs);
  const { to } = incidentWindow(incident, ctx.minute);
  const evidenceFrom = start + (incident.evidenceAfterMinutes ?? 0);
  const expected = (ruleId: string) => incident.detectedBy.includes(ruleId);
  const during = ctx.alerts.filter((a) => a.minute >= start && a.minute < to);
  const mine = during.filter((a) => expected(a.ruleId) && a.minute >= evidenceFrom);
  const first = mine[0];
  const alertsByAlarm: Record<string, number> = {};
  for (const alert of mine) alertsByAlarm[alert.alarm] ??= alert.minute - start;

  // Cleared: the end of the merged ALARM stretch (of the expected rules' alarms) that holds the detection.
  let clearedMinute: number | null = null;
  if (first) {
    const spans = ctx.intervals
      .filter((i) => expected(i.ruleId) && i.to > start && i.from < to)
      .sort((a, b) => a.from - b.from);
    let stretchEnd = first.minute;
    for (const span of spans) {
      if (span.from > stretchEnd) break;
      stretchEnd = Math.max(stretchEnd, span.to);
    }
    clearedMinute = stretchEnd;
  }

  let goal: ScenarioResult['goal'] = null;
  if (incident.goal === 'fast-burn-5-minutes') {
    const fast = alertsByAlarm[`${RuleId.AVAILABILITY_SLO}-fast`];
    goal = {
      description: 'paged by the 14.4× fast-burn tier within 5 minutes',
      maxMinutes: GOALS.fastBurnMinutes,
      met: fast !== undefined && fast <= GOALS.fastBurnMinutes,
      binding: true,
    };
  } else if (incident.goal === 'minimum-sample' || incident.goal === 'aim-horizon-plus-window') {
    // The evidence the rule reads: predictions made after the injection resolve after the horizon; the first
    // validate_all whose whole lookback window is post-incident and holds the rule's minimum sample, plus the
    // alarm's next evaluation.
    const perMinute = ctx.predictionsPerMinute;
    const needed = Math.max(ctx.lookbackMinutes, Math.ceil(ctx.params.accuracyMinSamples / perMinute));
    const ready = start + ctx.horizonMinutes + needed;
    const run = Math.ceil(ready / ctx.validateEveryMinutes) * ctx.validateEveryMinutes;
    const maxMinutes = run + 1 - start;
    const binding = incident.goal === 'minimum-sample';
    goal = {
      description:
        `${binding ? '' : 'aim (not binding): '}within the time the workload needs to fill the ` +
        `${ctx.lookbackMinutes}-minute validation window with post-incident validations (horizon ` +
        `${ctx.horizonMinutes} min + window, validate_all every ${ctx.validateEveryMinutes} min, the alarm's next ` +
        'evaluation)',
      maxMinutes,
      met: first !== undefined && first.minute - start <= maxMinutes,
      binding,
    };
  }
  const quiet = (incident.expect ?? 'detect') === 'quiet';
  return {
    name: incident.name,
    kind: incident.kind,
    expect: quiet ? 'quiet' : 'detect',
    injectedAt: new Date(incident.startMs).toISOString(),
    endsAt: new Date(incident.endMs).toISOString(),
    detected: first !== undefined,
    detectedAt: first ? ctx.iso(first.minute) : null,
    minutesToDetect: first ? first.minute - start : null,
    detectedBy: first ? first.alarm : null,
    clearedAt: clearedMinute === null ? null : ctx.iso(clearedMinute),
    minutesToClearAfterEnd: clearedMinute === null ? null : clearedMinute - end,
    alertsByAlarm,
    pages: during.filter((a) => a.severity === 'critical').length,
    notifications: during.length,
    earlyAlerts: during.filter((a) => expected(a.ruleId) && a.minute < evidenceFrom).length,
    keptQuiet: quiet ? during.length === 0 : null,
    goal,
  };
}
