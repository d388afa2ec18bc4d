/**
 * The alert backtest: replay a workload with injected incidents, evaluate THE rules of lib/alerting/rules.ts over it
 * with CloudWatch's alarm semantics, and score every alert: which incidents were detected (or kept quiet), how fast,
 * how many pages each cost, when they cleared, how many alerts fired on healthy time, and what the tracker's
 * metrics cost per run while thousands of model ids appear.
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
import { type Alert, buildAlarms, evaluateAlarms } from './alarms';
import { BACKTEST_MODELS } from './predictions';
import {
  HORIZON_MINUTES,
  INCIDENT_GRACE_MINUTES,
  type Incident,
  IncidentKind,
  type IncidentTemplate,
  scheduleIncidents,
} from './scenarios';
import { attributable, GOALS, incidentWindow, type ScenarioResult, scoreIncident } from './scoring';
import { type SequentialComparison, sequentialComparison } from './sequential';
import { simulateWorkload } from './workload';
import { WORKLOAD_DEFAULTS } from './workload-profile';

export { type AlarmDef, type Alert, buildAlarms, evaluateAlarms } from './alarms';
export { MetricStore, seriesKey } from './metric-store';
export { formatTable } from './report';
export {
  INCIDENT_GRACE_MINUTES,
  INCIDENT_TEMPLATES,
  IncidentKind,
  type IncidentTemplate,
  scheduleIncidents,
} from './scenarios';
export { GOALS, type ScenarioResult } from './scoring';

/** Minutes at the start of the replay that no alarm evaluates (see runBacktest). */
export const WARM_UP_MINUTES = 60;

export const BACKTEST_DEFAULTS = {
  days: 60,
  seed: 42,
  /** A fixed last day keeps the run reproducible (the replay's calendar covers 2025–2027). */
  endDate: '2026-11-20',
} as const;

export interface BacktestOptions {
  readonly days?: number;
  readonly seed?: number;
  readonly endDate?: string;
  readonly params?: AlertParams;
  /** The rules to evaluate; default `buildAlertRules(params)` (what the stack deploys). For tuning experiments. */
  readonly rules?: readonly AlertRule[];
  /** Actions-suppressor timing of every composite; default each composite's own, as monitoring.ts deploys it. */
  readonly suppressorTiming?: { readonly waitMinutes: number; readonly extensionMinutes: number };
  /** The incidents to inject; default `INCIDENT_TEMPLATES` (e.g. to move the cost spike through a quarter-hour). */
  readonly incidents?: readonly IncidentTemplate[];
  readonly onProgress?: (message: string) => void;
}

export interface RuleQuality {
  readonly ruleId: string;
  readonly alerts: number;
  readonly falsePositives: number;
  readonly falsePositiveRate: number | null;
  readonly scenariosDetected: readonly string[];
  readonly meanMinutesToDetect: number | null;
}

/** What the tracker's scheduled runs cost, in metric series and stored summary size, healthy vs model-id growth. */
export interface TrackerCost {
  readonly healthy: {
    readonly maxSeriesPerRun: number;
    readonly maxStoredChars: number;
    readonly maxModels: number;
  };
  readonly modelIdGrowth: {
    readonly maxSeriesPerRun: number;
    readonly maxStoredChars: number;
    readonly maxModels: number;
  } | null;
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
  readonly trackerCost: TrackerCost;
  /** The accuracy alarm (Wilson over the scheduled window) beside sequential tests, on the same replay. */
  readonly sequential: SequentialComparison;
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
  progress(`evaluating ${defs.length} alarms of ${rules.length} rules every minute`);
  // The replay starts without history: the first hour (the longest period a non-SLO rule reads, the key-age
  // check's) is warm-up, so that a rule treating missing data as breaching does not fire on the empty past.
  const { alerts, intervals } = evaluateAlarms(
    defs,
    WARM_UP_MINUTES,
    workload.totalMinutes,
    options.suppressorTiming,
    (minute) =>
      progress(`  alarms: day ${Math.floor(minute / 1440)} of ${Math.ceil(workload.totalMinutes / 1440)}`),
  );

  const minute = (ms: number) => Math.floor((ms - workload.originMs) / 60_000);
  const iso = (m: number) => new Date(workload.originMs + m * 60_000).toISOString();
  const windows = incidents.map((incident) => ({ incident, ...incidentWindow(incident, minute) }));
  /** The incident an alert is a legitimate consequence of; null for a false positive. */
  const incidentOf = (alert: Alert): Incident | null => {
    const window = windows.find((w) => alert.minute >= w.from && alert.minute < w.to);
    return window && attributable(window.incident, alert, minute) ? window.incident : null;
  };

  const notifying = new Set(defs.filter((def) => def.notifies).map((def) => def.name));
  const scenarios = incidents.map((incident) =>
    scoreIncident(incident, {
      alerts,
      intervals: intervals.filter((i) => notifying.has(i.alarm)),
      minute,
      iso,
      predictionsPerMinute: workload.validationsPerMinute,
      lookbackMinutes: workload.lookbackMinutes,
      horizonMinutes: WORKLOAD_DEFAULTS.horizonMinutes,
      validateEveryMinutes: WORKLOAD_DEFAULTS.validateEveryMinutes,
      params,
    }),
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

  const growth = windows.filter((w) => w.incident.kind === IncidentKind.MODEL_ID_GROWTH);
  const inGrowth = (m: number) =>
    growth.some((w) => m >= minute(w.incident.startMs) && m < minute(w.incident.endMs));
  const costOf = (runs: typeof workload.validationRuns) => ({
    maxSeriesPerRun: Math.max(0, ...runs.map((r) => r.series)),
    maxStoredChars: Math.max(0, ...runs.map((r) => r.storedChars)),
    maxModels: Math.max(0, ...runs.map((r) => r.models)),
  });
  const grown = workload.validationRuns.filter((r) => inGrowth(r.minute));
  const trackerCost: TrackerCost = {
    healthy: costOf(workload.validationRuns.filter((r) => !inGrowth(r.minute))),
    modelIdGrowth: grown.length > 0 ? costOf(grown) : null,
  };

  progress('sequential tests beside the accuracy alarm');
  const sequential = sequentialComparison({
    outcomes: workload.outcomes,
    validateEveryMinutes: WORKLOAD_DEFAULTS.validateEveryMinutes,
    horizonMinutes: HORIZON_MINUTES,
    incidents,
    minute,
    healthyDayStarts,
    alarmMinutes: Object.fromEntries(
      scenarios
        .filter((s) => s.kind === IncidentKind.MODEL_DEGRADATION)
        .map((s) => [s.name, s.minutesToDetect]),
    ),
  });

  const falsePositiveRate = alerts.length > 0 ? falsePositives.length / alerts.length : null;
  const alertsPerDay = healthyDays.length > 0 ? healthyAlerts.length / healthyDays.length : 0;
  const detecting = scenarios.filter((s) => s.expect === 'detect');
  const goals = {
    everyIncidentDetected: detecting.every((s) => s.detected),
    quietIncidentsKeptQuiet: scenarios.every((s) => s.keptQuiet !== false),
    noAlertBeforeEvidence: scenarios.every((s) => s.earlyAlerts === 0),
    detectionGoalsMet: scenarios.every((s) => s.goal === null || !s.goal.binding || s.goal.met),
    onePagePerIncident: scenarios.every((s) => s.pages <= GOALS.maxPagesPerIncident),
    alertsPerHealthyDayAtMost2: alertsPerDay <= GOALS.maxAlertsPerHealthyDay,
    falsePositivesUnder5Percent: (falsePositiveRate ?? 0) < GOALS.maxFalsePositiveRate,
    trackerCostBounded:
      trackerCost.modelIdGrowth === null ||
      trackerCost.modelIdGrowth.maxSeriesPerRun <= trackerCost.healthy.maxSeriesPerRun,
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
      models: BACKTEST_MODELS,
      modelSkill: WORKLOAD_DEFAULTS.skill,
      predictionsPerMinute: workload.validationsPerMinute,
      horizonMinutes: HORIZON_MINUTES,
      validateEveryMinutes: WORKLOAD_DEFAULTS.validateEveryMinutes,
      validationLookbackMinutes: workload.lookbackMinutes,
      baseErrorRate: WORKLOAD_DEFAULTS.baseErrorRate,
      incidentGraceMinutes: INCIDENT_GRACE_MINUTES,
      suppressor: options.suppressorTiming ?? 'per composite, as deployed (alarm-plan.ts)',
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
    trackerCost,
    sequential,
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

const round = (value: number, digits: number) => Number(value.toFixed(digits));
