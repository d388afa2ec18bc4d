/**
 * The alert backtest: replay a workload with injected incidents, evaluate THE rules of lib/alerting/rules.ts over it
 * with CloudWatch's alarm semantics, and score every alert: which incidents were detected, how fast, when they
 * cleared, and how many alerts fired on healthy time.
 */

import { tradingDaysEndingAt } from '../../lambdas/observability-demo/replay';
import {
  type AlertParams,
  type AlertRule,
  buildAlertRules,
  DEFAULT_ALERT_PARAMS,
  type ExpressionRule,
  findRule,
  RuleId,
} from '../../lib/alerting/rules';
import { type AlarmInterval, type Alert, buildAlarms, evaluateAlarms, SUPPRESSOR_TIMING } from './alarms';
import { INCIDENT_GRACE_MINUTES, type Incident, type IncidentTemplate, scheduleIncidents } from './scenarios';
import { etTime, minuteIndex, simulateWorkload, WORKLOAD_DEFAULTS } from './workload';

export { type AlarmDef, type Alert, buildAlarms, evaluateAlarms, SUPPRESSOR_TIMING } from './alarms';
export { MetricStore, seriesKey } from './metric-store';
export {
  INCIDENT_GRACE_MINUTES,
  INCIDENT_TEMPLATES,
  IncidentKind,
  type IncidentTemplate,
  scheduleIncidents,
} from './scenarios';

/** Minutes at the start of the replay that no alarm evaluates (see runBacktest). */
export const WARM_UP_MINUTES = 60;

export const BACKTEST_DEFAULTS = {
  days: 60,
  seed: 42,
  /** A fixed last day keeps the run reproducible (the replay's calendar covers 2025–2027). */
  endDate: '2026-11-20',
} as const;

/** The goals of issue 12. */
export const GOALS = {
  maxAlertsPerHealthyDay: 2,
  maxFalsePositiveRate: 0.05,
  fastBurnMinutes: 5,
} as const;

export interface BacktestOptions {
  readonly days?: number;
  readonly seed?: number;
  readonly endDate?: string;
  readonly params?: AlertParams;
  /** The rules to evaluate; default `buildAlertRules(params)` (what the stack deploys). For tuning experiments. */
  readonly rules?: readonly AlertRule[];
  /** Actions-suppressor timing of the composites; default monitoring.ts's (`SUPPRESSOR_TIMING`). */
  readonly suppressorTiming?: { readonly waitMinutes: number; readonly extensionMinutes: number };
  /** The incidents to inject; default `INCIDENT_TEMPLATES` (e.g. to move the cost spike through a quarter-hour). */
  readonly incidents?: readonly IncidentTemplate[];
  readonly onProgress?: (message: string) => void;
}

export interface ScenarioResult {
  readonly name: string;
  readonly kind: string;
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
  readonly goal: { readonly description: string; readonly maxMinutes: number; readonly met: boolean } | null;
}

export interface RuleQuality {
  readonly ruleId: string;
  readonly alerts: number;
  readonly falsePositives: number;
  readonly falsePositiveRate: number | null;
  readonly scenariosDetected: readonly string[];
  readonly meanMinutesToDetect: number | null;
}

export interface BacktestResult {
  readonly seed: number;
  readonly tradingDays: number;
  readonly from: string;
  readonly to: string;
  readonly rules: string;
  readonly assumptions: Readonly<Record<string, unknown>>;
  readonly scenarios: readonly ScenarioResult[];
  readonly healthy: {
    readonly days: number;
    readonly alerts: number;
    readonly falsePositives: number;
    readonly alertsPerDay: number;
  };
  readonly totals: {
    readonly alerts: number;
    readonly pages: number;
    readonly falsePositives: number;
    readonly falsePositiveRate: number | null;
    readonly alertsPerTradingDay: number;
  };
  readonly perRule: readonly RuleQuality[];
  readonly goals: Readonly<Record<string, boolean>>;
  readonly alerts: ReadonlyArray<{
    at: string;
    ruleId: string;
    alarm: string;
    severity: string;
    incident: string | null;
  }>;
}

export function runBacktest(options: BacktestOptions = {}): BacktestResult {
  const days = options.days ?? BACKTEST_DEFAULTS.days;
  const seed = options.seed ?? BACKTEST_DEFAULTS.seed;
  const params = options.params ?? DEFAULT_ALERT_PARAMS;
  const progress = options.onProgress ?? (() => undefined);
  const rules = options.rules ?? buildAlertRules(params);
  const accuracyRule = findRule(rules, RuleId.ACCURACY) as ExpressionRule;

  const tradingDays = tradingDaysEndingAt(options.endDate ?? BACKTEST_DEFAULTS.endDate, days, false);
  const incidents = scheduleIncidents(tradingDays, options.incidents);
  const workload = simulateWorkload({
    days: tradingDays,
    incidents,
    params,
    accuracyRule,
    seed,
    onProgress: progress,
  });
  const defs = buildAlarms(rules, params, workload.store);
  const timing = options.suppressorTiming ?? SUPPRESSOR_TIMING;
  progress(`evaluating ${defs.length} alarms of ${rules.length} rules every minute`);
  // The replay starts without history: the first hour (the longest period a non-SLO rule reads, the key-age
  // check's) is warm-up, so that a rule treating missing data as breaching does not fire on the empty past.
  const { alerts, intervals } = evaluateAlarms(
    defs,
    WARM_UP_MINUTES,
    workload.totalMinutes,
    timing,
    (minute) =>
      progress(`  alarms: day ${Math.floor(minute / 1440)} of ${Math.ceil(workload.totalMinutes / 1440)}`),
  );

  const minute = (ms: number) => minuteIndex(workload.originMs, ms);
  const iso = (m: number) => new Date(workload.originMs + m * 60_000).toISOString();
  const windows = incidents.map((incident) => ({
    incident,
    from: minute(incident.startMs),
    to: minute(incident.endMs) + INCIDENT_GRACE_MINUTES,
  }));
  const incidentOf = (alert: Alert) =>
    windows.find((w) => alert.minute >= w.from && alert.minute < w.to)?.incident ?? null;

  const notifying = new Set(defs.filter((def) => def.notifies).map((def) => def.name));
  const scenarios = incidents.map((incident) =>
    scoreIncident(
      incident,
      alerts,
      intervals.filter((i) => notifying.has(i.alarm)),
      minute,
      iso,
      workload.validationsPerMinute,
      workload.lookbackMinutes,
      params,
    ),
  );

  const falsePositives = alerts.filter((alert) => incidentOf(alert) === null);
  const healthyDays = tradingDays.filter((day) => {
    const open = minute(Date.parse(day.open as string));
    const dayStart = minute(Date.parse(`${day.date}T00:00:00Z`));
    return !windows.some((w) => w.from < dayStart + 1440 && w.to > dayStart) && open >= 0;
  });
  const healthyDayStarts = new Set(healthyDays.map((day) => minute(Date.parse(`${day.date}T00:00:00Z`))));
  const healthyAlerts = alerts.filter((alert) => healthyDayStarts.has(alert.minute - (alert.minute % 1440)));

  const perRule: RuleQuality[] = rules.map((rule) => {
    const ruleAlerts = alerts.filter((alert) => alert.ruleId === rule.id);
    const fps = ruleAlerts.filter((alert) => incidentOf(alert) === null).length;
    const detected = scenarios.filter((s) => s.detectedBy?.startsWith(rule.id) ?? false);
    const times = scenarios
      .map((s) =>
        Object.entries(s.alertsByAlarm)
          .filter(([alarm]) => alarm.startsWith(rule.id))
          .map(([, m]) => m),
      )
      .filter((list) => list.length > 0)
      .map((list) => Math.min(...list));
    return {
      ruleId: rule.id,
      alerts: ruleAlerts.length,
      falsePositives: fps,
      falsePositiveRate: ruleAlerts.length > 0 ? fps / ruleAlerts.length : null,
      scenariosDetected: detected.map((s) => s.name),
      meanMinutesToDetect:
        times.length > 0 ? round(times.reduce((a, b) => a + b, 0) / times.length, 1) : null,
    };
  });

  const falsePositiveRate = alerts.length > 0 ? falsePositives.length / alerts.length : null;
  const alertsPerDay = healthyDays.length > 0 ? healthyAlerts.length / healthyDays.length : 0;
  const goals = {
    everyIncidentDetected: scenarios.every((s) => s.detected),
    detectionGoalsMet: scenarios.every((s) => s.goal === null || s.goal.met),
    alertsPerHealthyDayAtMost2: alertsPerDay <= GOALS.maxAlertsPerHealthyDay,
    falsePositivesUnder5Percent: (falsePositiveRate ?? 0) < GOALS.maxFalsePositiveRate,
  };
  return {
    seed,
    tradingDays: tradingDays.length,
    from: (tradingDays[0] as { date: string }).date,
    to: (tradingDays[tradingDays.length - 1] as { date: string }).date,
    rules: 'lib/alerting/rules.ts buildAlertRules(DEFAULT_ALERT_PARAMS)',
    assumptions: {
      symbols:
        'AAPL, SPX, MSFT, AMZN, IBM, GOOG (real prices from vega-datasets / @observablehq/sample-datasets)',
      modelSkill: WORKLOAD_DEFAULTS.skill,
      predictionsPerMinute: workload.validationsPerMinute,
      horizonMinutes: WORKLOAD_DEFAULTS.horizonMinutes,
      validateEveryMinutes: WORKLOAD_DEFAULTS.validateEveryMinutes,
      validationLookbackMinutes: workload.lookbackMinutes,
      baseErrorRate: WORKLOAD_DEFAULTS.baseErrorRate,
      incidentGraceMinutes: INCIDENT_GRACE_MINUTES,
      suppressor: timing,
      predictions: workload.predictions,
      invocations: workload.invocations,
    },
    scenarios,
    healthy: {
      days: healthyDays.length,
      alerts: healthyAlerts.length,
      falsePositives: falsePositives.length,
      alertsPerDay: round(alertsPerDay, 3),
    },
    totals: {
      alerts: alerts.length,
      pages: alerts.filter((a) => a.severity === 'critical').length,
      falsePositives: falsePositives.length,
      falsePositiveRate: falsePositiveRate === null ? null : round(falsePositiveRate, 4),
      alertsPerTradingDay: round(alerts.length / tradingDays.length, 3),
    },
    perRule,
    goals,
    alerts: alerts.map((alert) => ({
      at: iso(alert.minute),
      ruleId: alert.ruleId,
      alarm: alert.alarm,
      severity: alert.severity,
      incident: incidentOf(alert)?.name ?? null,
    })),
  };
}

function scoreIncident(
  incident: Incident,
  alerts: readonly Alert[],
  intervals: readonly AlarmInterval[],
  minute: (ms: number) => number,
  iso: (m: number) => string,
  predictionsPerMinute: number,
  lookbackMinutes: number,
  params: AlertParams,
): ScenarioResult {
  const start = minute(incident.startMs);
  const end = minute(incident.endMs);
  const expected = (ruleId: string) => incident.detectedBy.includes(ruleId);
  const mine = alerts.filter(
    (a) => expected(a.ruleId) && a.minute >= start && a.minute < end + INCIDENT_GRACE_MINUTES,
  );
  const first = mine[0];
  const alertsByAlarm: Record<string, number> = {};
  for (const alert of mine) alertsByAlarm[alert.alarm] ??= alert.minute - start;

  // Cleared: the end of the merged ALARM stretch (of the expected rules' alarms) that holds the detection.
  let clearedMinute: number | null = null;
  if (first) {
    const spans = intervals
      .filter((i) => expected(i.ruleId) && i.to > start && i.from < end + INCIDENT_GRACE_MINUTES)
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
    };
  } else if (incident.goal === 'minimum-sample') {
    // The evidence the rule reads: predictions made after the injection resolve after the horizon; the first
    // validate_all whose whole lookback window is post-incident and holds the rule's minimum sample, plus the
    // alarm's next evaluation.
    const needed = Math.max(lookbackMinutes, Math.ceil(params.accuracyMinSamples / predictionsPerMinute));
    const ready = start + WORKLOAD_DEFAULTS.horizonMinutes + needed;
    const run =
      Math.ceil(ready / WORKLOAD_DEFAULTS.validateEveryMinutes) * WORKLOAD_DEFAULTS.validateEveryMinutes;
    const maxMinutes = run + 1 - start;
    goal = {
      description:
        `within the time the workload needs to fill the ${lookbackMinutes}-minute validation window with ` +
        `≥ ${params.accuracyMinSamples} post-incident validations (horizon ${WORKLOAD_DEFAULTS.horizonMinutes} min, ` +
        `validate_all every ${WORKLOAD_DEFAULTS.validateEveryMinutes} min)`,
      maxMinutes,
      met: first !== undefined && first.minute - start <= maxMinutes,
    };
  }
  return {
    name: incident.name,
    kind: incident.kind,
    injectedAt: new Date(incident.startMs).toISOString(),
    endsAt: new Date(incident.endMs).toISOString(),
    detected: first !== undefined,
    detectedAt: first ? iso(first.minute) : null,
    minutesToDetect: first ? first.minute - start : null,
    detectedBy: first ? first.alarm : null,
    clearedAt: clearedMinute === null ? null : iso(clearedMinute),
    minutesToClearAfterEnd: clearedMinute === null ? null : clearedMinute - end,
    alertsByAlarm,
    goal,
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The result as a plain-text table (scenarios, healthy time, per rule, goals). */
export function formatTable(result: BacktestResult): string {
  const lines: string[] = [];
  const pad = (text: string, width: number) =>
    text.length >= width ? text : text + ' '.repeat(width - text.length);
  const row = (cells: readonly string[], widths: readonly number[]) =>
    cells.map((c, i) => pad(c, widths[i] ?? 10)).join('  ');
  const widths = [42, 20, 9, 9, 34, 8];
  lines.push(row(['scenario', 'injected (ET)', 'detected', 'minutes', 'first alert', 'cleared±'], widths));
  lines.push('-'.repeat(widths.reduce((a, b) => a + b + 2, 0)));
  for (const s of result.scenarios) {
    lines.push(
      row(
        [
          s.name,
          etTime(Date.parse(s.injectedAt)).replace(' ET', ''),
          s.detected ? 'yes' : 'NO',
          s.minutesToDetect === null ? '—' : String(s.minutesToDetect),
          s.detectedBy ?? '—',
          s.minutesToClearAfterEnd === null
            ? '—'
            : `${s.minutesToClearAfterEnd > 0 ? '+' : ''}${s.minutesToClearAfterEnd}`,
        ],
        widths,
      ),
    );
    if (s.goal)
      lines.push(
        `    goal: ${s.goal.description}: ≤ ${s.goal.maxMinutes} min → ${s.goal.met ? 'met' : 'NOT met'}`,
      );
  }
  lines.push('');
  lines.push(
    `healthy: ${result.healthy.days} trading days, ${result.healthy.alerts} alerts (${result.healthy.alertsPerDay}/day); ` +
      `all alerts: ${result.totals.alerts} (${result.totals.pages} pages), false positives ${result.totals.falsePositives} ` +
      `(${result.totals.falsePositiveRate === null ? 'n/a' : `${(result.totals.falsePositiveRate * 100).toFixed(1)} %`})`,
  );
  lines.push('');
  const ruleWidths = [28, 7, 16, 22];
  lines.push(row(['rule', 'alerts', 'false positives', 'mean minutes to detect'], ruleWidths));
  for (const rule of result.perRule) {
    lines.push(
      row(
        [
          rule.ruleId,
          String(rule.alerts),
          String(rule.falsePositives),
          rule.meanMinutesToDetect === null ? '—' : String(rule.meanMinutesToDetect),
        ],
        ruleWidths,
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
