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
import { burnRateThreshold } from '../../lib/alerting/burn-rate';
import { compileExpression, evaluateAlarm } from '../../lib/alerting/metric-math';
import {
  type AlertParams,
  type AlertRule,
  type BurnRateRule,
  burnRateSli,
  Comparison,
  type ExpressionRule,
  FanOut,
  KEY_AGE_CHECK_NAME,
  type MetricRef,
  MissingData,
  type MonitoredFunction,
  resolveDimensions,
  type Severity,
  Severity as SeverityValue,
  type ThresholdRule,
} from '../../lib/alerting/rules';
import { FUNCTION_NAMES } from '../../lib/function-names';
import { type MetricStore, seriesKey } from './metric-store';

/**
 * Actions-suppressor timing of the composites, as monitoring.ts sets it (SUPPRESSOR_WAIT, SUPPRESSOR_EXTENSION;
 * not exported there, so repeated here: keep in step).
 */
export const SUPPRESSOR_TIMING = { waitMinutes: 2, extensionMinutes: 15 } as const;

/** Function timeouts from lib/functions/*.ts and key-age-check.ts (the p95-duration threshold is a share of them). */
export const FUNCTION_TIMEOUT_MS: Readonly<Record<MonitoredFunction, number>> = {
  'dual-accuracy-tracker': 60_000,
  'trading-intelligence': 60_000,
  'sampling-optimizer': 30_000,
  'observability-demo': 300_000,
  [KEY_AGE_CHECK_NAME]: 20_000,
};

/** DynamoDB tables the TABLE fan-out covers (ids as monitoring.ts names them). */
export const TABLE_IDS = ['market', 'rankings', 'sampling'] as const;

export class AlarmWiringError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlarmWiringError';
  }
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

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

interface Target {
  readonly key: string;
  readonly values: { function?: string; table?: string; symbol?: string };
  readonly timeoutMs?: number;
}

/** Builds every alarm of the rules, in dependency order (members and suppressors before the composites using them). */
export function buildAlarms(
  rules: readonly AlertRule[],
  params: AlertParams,
  store: MetricStore,
): AlarmDef[] {
  const defs: AlarmDef[] = [];
  const suppressors = new Map<string, string>();
  const keyOf = (ref: MetricRef, target: Target) =>
    seriesKey(
      ref.namespace,
      ref.name,
      resolveDimensions(ref, { service: params.serviceName, ...target.values }),
    );
  const targets = (rule: AlertRule): Target[] => {
    switch (rule.fanOut) {
      case FanOut.FUNCTION:
        return [...FUNCTION_NAMES, KEY_AGE_CHECK_NAME].map((name) => ({
          key: name,
          values: { function: name },
          timeoutMs: FUNCTION_TIMEOUT_MS[name],
        }));
      case FanOut.TABLE:
        return TABLE_IDS.map((id) => ({ key: id, values: { table: id } }));
      case FanOut.WATCHED_SYMBOL:
        return params.watchlist.map((symbol) => ({ key: symbol, values: { symbol } }));
      default:
        return [{ key: '', values: {} }];
    }
  };

  const ordered = [...rules].sort(
    (a, b) => Number(Boolean(a.suppressedBy)) - Number(Boolean(b.suppressedBy)),
  );
  for (const rule of ordered) {
    if (rule.kind === 'burn-rate') {
      addBurnRate(rule, defs, suppressors, store, params);
      continue;
    }
    const suppressor = rule.suppressedBy ? suppressors.get(rule.suppressedBy) : undefined;
    if (rule.suppressedBy && !suppressor) {
      throw new AlarmWiringError(`rule ${rule.id}: its suppressor ${rule.suppressedBy} is not built`);
    }
    const ruleTargets = targets(rule);
    const wrapped = suppressor !== undefined || (rule.notify === 'any' && ruleTargets.length > 1);
    const members = ruleTargets.map((target): MetricAlarmDef => {
      const suffix = target.key ? `-${target.key}` : wrapped ? '-signal' : '';
      const threshold =
        rule.kind === 'threshold' && rule.thresholdUnit === 'fraction-of-timeout'
          ? Math.round(rule.threshold * (target.timeoutMs ?? 3000))
          : rule.threshold;
      return {
        kind: 'metric',
        name: `${rule.id}${suffix}`,
        ruleId: rule.id,
        severity: rule.severity,
        notifies: !wrapped,
        periodMinutes: rule.periodSeconds / 60,
        evaluationPeriods: rule.evaluationPeriods,
        datapointsToAlarm: rule.datapointsToAlarm,
        threshold,
        comparison: rule.comparison,
        missingData: rule.missingData,
        datapoint: ruleDatapoint(rule, store, (ref) => keyOf(ref, target)),
      };
    });
    defs.push(...members);
    if (!wrapped) {
      const only = members[0];
      if (members.length === 1 && only) suppressors.set(rule.id, only.name);
      continue;
    }
    const composite: CompositeAlarmDef = {
      kind: 'composite',
      name: rule.id,
      ruleId: rule.id,
      severity: rule.severity,
      notifies: true,
      op: 'OR',
      members: members.map((member) => member.name),
      ...(suppressor ? { suppressor } : {}),
    };
    defs.push(composite);
    suppressors.set(rule.id, composite.name);
  }
  return defs;
}

function ruleDatapoint(
  rule: ThresholdRule | ExpressionRule,
  store: MetricStore,
  keyOf: (ref: MetricRef) => string,
): Datapoint {
  if (rule.kind === 'threshold') {
    const key = keyOf(rule.metric);
    const statistic = rule.metric.statistic;
    return (from, to) => store.statistic(key, statistic, from, to);
  }
  const metrics = Object.entries(rule.metrics).map(([id, ref]) => ({
    id,
    key: keyOf(ref),
    statistic: ref.statistic,
  }));
  return expressionDatapoint(rule.expression, metrics, store);
}

function expressionDatapoint(
  expression: string,
  metrics: ReadonlyArray<{ id: string; key: string; statistic: string }>,
  store: MetricStore,
): Datapoint {
  // The rules' own expression strings, through lib/alerting/metric-math (what the deployed alarms compute).
  const compiled = compileExpression(expression);
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

/** The burn-rate composites exactly as monitoring.ts builds them (window alarms, AND per tier, suppressor chain). */
function addBurnRate(
  rule: BurnRateRule,
  defs: AlarmDef[],
  suppressors: Map<string, string>,
  store: MetricStore,
  params: AlertParams,
): void {
  const composites: CompositeAlarmDef[] = [];
  const anyOf = new Map<string, string>();
  const anyOfTiers = (tiers: readonly CompositeAlarmDef[]): string | undefined => {
    const only = tiers[0];
    if (tiers.length <= 1) return only?.name;
    const key = tiers.map((tier) => tier.name.slice(rule.id.length + 1)).join('-');
    let name = anyOf.get(key);
    if (!name) {
      name = `${rule.id}-any-of-${key}`;
      defs.push({
        kind: 'composite',
        name,
        ruleId: rule.id,
        severity: SeverityValue.CRITICAL,
        notifies: false,
        op: 'OR',
        members: tiers.map((tier) => tier.name),
      });
      anyOf.set(key, name);
    }
    return name;
  };
  rule.tiers.forEach((tier, index) => {
    const threshold = burnRateThreshold(rule.objective, tier.factor);
    const windowAlarm = (which: 'long' | 'short'): MetricAlarmDef => {
      const minutes = which === 'long' ? tier.longWindowMinutes : tier.shortWindowMinutes;
      return {
        kind: 'metric',
        name: `${rule.id}-${tier.name}-${which}-${minutes}m`,
        ruleId: rule.id,
        severity: tier.severity,
        notifies: false,
        periodMinutes: minutes,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold,
        comparison: Comparison.GTE,
        missingData: MissingData.NOT_BREACHING,
        datapoint: sliDatapoint(rule, tier.minSamples[which], store, params.serviceName),
      };
    };
    const long = windowAlarm('long');
    const short = windowAlarm('short');
    defs.push(long, short);
    const suppressor = index === 0 ? undefined : anyOfTiers(composites);
    const composite: CompositeAlarmDef = {
      kind: 'composite',
      name: `${rule.id}-${tier.name}`,
      ruleId: rule.id,
      severity: tier.severity,
      notifies: true,
      op: 'AND',
      members: [long.name, short.name],
      ...(suppressor ? { suppressor } : {}),
    };
    defs.push(composite);
    composites.push(composite);
  });
  const paging = composites.filter((_, index) => rule.tiers[index]?.severity === SeverityValue.CRITICAL);
  const suppressor = anyOfTiers(paging);
  if (suppressor) suppressors.set(rule.id, suppressor);
}

/** The SLI's bad ratio over a window: rules.ts's `burnRateSli`, the expression monitoring.ts deploys. */
function sliDatapoint(
  rule: BurnRateRule,
  minSamples: number,
  store: MetricStore,
  service: string,
): Datapoint {
  const sli = burnRateSli(rule, minSamples);
  const metrics = sli.metrics.map(({ id, function: fn, metric }) => ({
    id,
    key: seriesKey(metric.namespace, metric.name, resolveDimensions(metric, { service, function: fn })),
    statistic: metric.statistic,
  }));
  return expressionDatapoint(sli.expression, metrics, store);
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
  timing: { waitMinutes: number; extensionMinutes: number } = SUPPRESSOR_TIMING,
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
        if (!suppressorInAlarm) action.pending = { kind: 'wait', deadline: t + timing.waitMinutes, since: t };
        continue;
      }
      // Still in ALARM: follow the suppressor.
      if (suppressorInAlarm) {
        action.pending = null;
        action.suppressed = true;
      } else if (action.suppressed) {
        action.suppressed = false;
        action.pending = { kind: 'extension', deadline: t + timing.extensionMinutes, since: t };
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
