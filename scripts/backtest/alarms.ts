/**
 * The alarms of `lib/alerting/rules.ts`, wired as `lib/alerting/monitoring.ts` wires them in CloudFormation,
 * and a minute-by-minute evaluator with CloudWatch's semantics:
 * - metric alarms: each datapoint aggregates one period (sliding evaluation window, the default EvaluationWindow),
 *   evaluated every minute over the last `evaluationPeriods` periods; ALARM when at least `datapointsToAlarm` of
 *   them breach; missing datapoints treated per TreatMissingData (notBreaching: good, breaching: bad, ignore: keep
 *   the state when all are missing, missing: INSUFFICIENT_DATA when all are missing);
 * - metric math: the rules' own expression strings through lib/alerting/metric-math, missing when none of its
 *   metrics has data in the period;
 * - composite alarms: AND / OR of their members' ALARM state;
 * - actions suppressor (composites): entering ALARM while the suppressor is in ALARM is suppressed; otherwise the
 *   composite waits up to the wait period for the suppressor, and notifies at its end if the suppressor did not
 *   go into ALARM; after the suppressor leaves ALARM, a composite still in ALARM notifies when the extension
 *   period has passed (unless the suppressor alarms again meanwhile).
 * Notifications are ALARM actions of the alarms that notify (OK actions of critical alarms are not alerts).
 */

import { FUNCTION_NAMES } from '../../lambdas/shared/names/functions';
import {
  type AlarmSignal,
  type AlarmTargets,
  planAlarms,
  type SuppressorTiming,
} from '../../lib/alerting/alarm-plan';
import { compileExpression, evaluateAlarm } from '../../lib/alerting/metric-math';
import {
  type AlertParams,
  type AlertRule,
  type Comparison,
  KEY_AGE_CHECK_NAME,
  MissingData,
  type MonitoredFunction,
  type Severity,
} from '../../lib/alerting/rules';
import { OBSERVABILITY_DEMO_TIMEOUT } from '../../lib/functions/observability-demo';
import { ScriptError, ScriptErrorCode } from '../errors';
import { type MetricStore, seriesKey } from './metric-store';

/** Function timeouts from lib/functions/*.ts and key-age-check.ts (the p95-duration threshold is a share of them). */
export const FUNCTION_TIMEOUT_MS: Readonly<Record<MonitoredFunction, number>> = {
  'dual-accuracy-tracker': 60_000,
  'trading-intelligence': 60_000,
  'sampling-optimizer': 30_000,
  'observability-demo': OBSERVABILITY_DEMO_TIMEOUT.toMilliseconds(),
  [KEY_AGE_CHECK_NAME]: 20_000,
};

/** DynamoDB tables the TABLE fan-out covers (ids as monitoring.ts names them). */
export const TABLE_IDS = ['market', 'rankings', 'sampling'] as const;

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** A planned alarm the backtest cannot evaluate as deployed (e.g. a suppressed composite without its timing). */
export class BacktestWiringError extends ScriptError {
  override readonly name = 'BacktestWiringError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ScriptErrorCode.BACKTEST_WIRING_INCOMPLETE, message, options);
  }
}

/** The value of one period [from, to) in minutes, or null when missing. */
type Datapoint = (from: number, to: number) => number | null;

interface MetricAlarmDef {
  readonly kind: 'metric';
  readonly name: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly notifies: boolean;
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly missingData: MissingData;
  readonly datapoint: Datapoint;
}

interface CompositeAlarmDef {
  readonly kind: 'composite';
  readonly name: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly notifies: boolean;
  readonly op: 'AND' | 'OR';
  readonly members: readonly string[];
  readonly suppressor?: string;
  readonly suppressorTiming?: SuppressorTiming;
}

export type AlarmDef = MetricAlarmDef | CompositeAlarmDef;

export interface Alert {
  /** Minute index of the notification. */
  readonly minute: number;
  readonly ruleId: string;
  readonly alarm: string;
  readonly severity: Severity;
  /** Minutes the notification waited for the suppressor (wait or extension period), 0 when sent at once. */
  readonly delayedMinutes: number;
}

export interface AlarmInterval {
  readonly alarm: string;
  readonly ruleId: string;
  readonly from: number;
  /** Exclusive; the end of the replay when still in ALARM. */
  readonly to: number;
}

/** The replay's fan-out: the functions and tables by their undeployed names, the rules' watchlist. */
export function backtestTargets(params: AlertParams): AlarmTargets {
  return {
    serviceName: params.serviceName,
    functions: [...FUNCTION_NAMES, KEY_AGE_CHECK_NAME].map((name) => ({
      name,
      functionName: name,
      timeoutMs: FUNCTION_TIMEOUT_MS[name],
    })),
    tables: TABLE_IDS.map((id) => ({ id, tableName: id })),
    watchlist: params.watchlist,
  };
}

/**
 * The alarms of the rules as lib/alerting/alarm-plan.ts plans them for the stack (members and suppressors before
 * the composites using them), each metric alarm reading its datapoints from the replay's metric store.
 */
export function buildAlarms(
  rules: readonly AlertRule[],
  params: AlertParams,
  store: MetricStore,
): AlarmDef[] {
  return planAlarms(rules, backtestTargets(params)).map((planned): AlarmDef => {
    if (planned.kind === 'composite') {
      return {
        kind: 'composite',
        name: planned.name,
        ruleId: planned.ruleId,
        severity: planned.severity,
        notifies: planned.notifies,
        op: planned.op,
        members: planned.members,
        ...(planned.suppressor ? { suppressor: planned.suppressor } : {}),
        ...(planned.suppressorTiming ? { suppressorTiming: planned.suppressorTiming } : {}),
      };
    }
    return {
      kind: 'metric',
      name: planned.name,
      ruleId: planned.ruleId,
      severity: planned.severity,
      notifies: planned.notifies,
      periodMinutes: planned.periodSeconds / 60,
      evaluationPeriods: planned.evaluationPeriods,
      datapointsToAlarm: planned.datapointsToAlarm,
      threshold: planned.threshold,
      comparison: planned.comparison,
      missingData: planned.missingData,
      datapoint: signalDatapoint(planned.signal, store),
    };
  });
}

/** The signal's value over one period: the metric's statistic, or the rule's own expression string evaluated. */
function signalDatapoint(signal: AlarmSignal, store: MetricStore): Datapoint {
  const keyOf = (metric: { namespace: string; name: string; dimensions: Readonly<Record<string, string>> }) =>
    seriesKey(metric.namespace, metric.name, metric.dimensions);
  if (signal.kind === 'metric') {
    const key = keyOf(signal.metric);
    const statistic = signal.metric.statistic;
    return (from, to) => store.statistic(key, statistic, from, to);
  }
  // The rules' own expression strings, through lib/alerting/metric-math (what the deployed alarms compute).
  const compiled = compileExpression(signal.expression);
  const metrics = Object.entries(signal.metrics).map(([id, metric]) => ({
    id,
    key: keyOf(metric),
    statistic: metric.statistic,
  }));
  return (from, to) => {
    const values: Record<string, number | null> = {};
    let any = false;
    for (const metric of metrics) {
      const value = store.statistic(metric.key, metric.statistic, from, to);
      values[metric.id] = value;
      if (value !== null) any = true;
    }
    // No metric has a datapoint in the period: the expression has no timestamp, so no datapoint either.
    return any ? compiled(values) : null;
  };
}

interface ActionState {
  /** Pending notification: 'wait' (for the suppressor) or 'extension' (after it cleared), until `deadline`. */
  pending: { kind: 'wait' | 'extension'; deadline: number; since: number } | null;
  suppressed: boolean;
}

export interface EvaluationResult {
  readonly alerts: Alert[];
  readonly intervals: AlarmInterval[];
  readonly alarms: readonly AlarmDef[];
}

/** Evaluates every alarm at every minute of [fromMinute, toMinute). */
export function evaluateAlarms(
  defs: readonly AlarmDef[],
  fromMinute: number,
  toMinute: number,
  /** Overrides every composite's own suppressor timing (tuning experiments). */
  timing?: SuppressorTiming,
  onProgress?: (minute: number) => void,
): EvaluationResult {
  const state = new Map<string, AlarmState>();
  const since = new Map<string, number>();
  const actions = new Map<string, ActionState>();
  for (const def of defs) {
    state.set(
      def.name,
      def.kind === 'metric' && def.missingData === MissingData.MISSING ? 'INSUFFICIENT_DATA' : 'OK',
    );
    if (def.kind === 'composite' && def.suppressor)
      actions.set(def.name, { pending: null, suppressed: false });
  }
  const alerts: Alert[] = [];
  const intervals: AlarmInterval[] = [];
  const isAlarm = (name: string) => state.get(name) === 'ALARM';
  const timingOf = (def: AlarmDef): SuppressorTiming => {
    const own = def.kind === 'composite' ? def.suppressorTiming : undefined;
    const chosen = timing ?? own;
    if (!chosen) throw new BacktestWiringError(`composite ${def.name} has a suppressor but no timing`);
    return chosen;
  };

  for (let t = fromMinute; t < toMinute; t++) {
    if (onProgress && (t - fromMinute) % 10_080 === 0) onProgress(t);
    for (const def of defs) {
      const previous = state.get(def.name) as AlarmState;
      let next: AlarmState;
      if (def.kind === 'metric') next = evaluateMetricAlarm(def, t, previous);
      else {
        const members = def.members.map(isAlarm);
        next = (def.op === 'AND' ? members.every(Boolean) : members.some(Boolean)) ? 'ALARM' : 'OK';
      }
      if (next !== previous) {
        state.set(def.name, next);
        if (previous === 'ALARM') {
          intervals.push({ alarm: def.name, ruleId: def.ruleId, from: since.get(def.name) as number, to: t });
        }
        if (next === 'ALARM') since.set(def.name, t);
      }
      const entered = next === 'ALARM' && previous !== 'ALARM';
      if (!def.notifies) continue;
      const action = actions.get(def.name);
      const notify = (delayed: number) =>
        alerts.push({
          minute: t,
          ruleId: def.ruleId,
          alarm: def.name,
          severity: def.severity,
          delayedMinutes: delayed,
        });
      if (!action || def.kind === 'metric') {
        if (entered) notify(0);
        continue;
      }
      const suppressorInAlarm = def.kind === 'composite' && def.suppressor ? isAlarm(def.suppressor) : false;
      if (next !== 'ALARM') {
        action.pending = null;
        action.suppressed = false;
        continue;
      }
      if (entered) {
        action.pending = null;
        action.suppressed = suppressorInAlarm;
        if (!suppressorInAlarm)
          action.pending = { kind: 'wait', deadline: t + timingOf(def).waitMinutes, since: t };
        continue;
      }
      // Still in ALARM: follow the suppressor.
      if (suppressorInAlarm) {
        action.pending = null;
        action.suppressed = true;
      } else if (action.suppressed) {
        action.suppressed = false;
        action.pending = { kind: 'extension', deadline: t + timingOf(def).extensionMinutes, since: t };
      }
      if (action.pending && t >= action.pending.deadline) {
        notify(t - action.pending.since);
        action.pending = null;
      }
    }
  }
  for (const def of defs) {
    if (state.get(def.name) === 'ALARM') {
      intervals.push({
        alarm: def.name,
        ruleId: def.ruleId,
        from: since.get(def.name) as number,
        to: toMinute,
      });
    }
  }
  return { alerts, intervals, alarms: defs };
}

function evaluateMetricAlarm(def: MetricAlarmDef, t: number, previous: AlarmState): AlarmState {
  // The last N periods, oldest first, back to back; the sliding window ends at t.
  const datapoints: Array<number | null> = [];
  for (let k = def.evaluationPeriods - 1; k >= 0; k--) {
    const to = t - k * def.periodMinutes;
    datapoints.push(def.datapoint(to - def.periodMinutes, to));
  }
  return evaluateAlarm(datapoints, def, previous);
}
