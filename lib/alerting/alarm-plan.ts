/**
 * The alarm graph of the rules, without CDK: every metric alarm (its metric or metric-math signal, period, M of N,
 * threshold, missing data), every composite (members, AND/OR, actions suppressor and its timing), which of them
 * notify, their names, construct ids and descriptions. monitoring.ts turns the plan into CloudFormation and the
 * backtest evaluates the same plan minute by minute, so the two cannot drift apart.
 */
import { burnRateThreshold } from './burn-rate';
import {
  type AlertRule,
  AlertRuleError,
  type BurnRateRule,
  type BurnRateTier,
  Comparison,
  type ExpressionRule,
  FanOut,
  type MetricRef,
  MissingData,
  type MonitoredFunction,
  resolveDimensions,
  Severity,
  type ThresholdRule,
} from './rules';
import { burnRateSli } from './slo-rules';

/**
 * How long a composite waits for its suppressor to go into ALARM (minutes). How long it keeps silent after the
 * suppressor clears is per composite (`suppressorTiming`): as long as the composite itself can stay in ALARM
 * after its signal stopped, so that a warning still holding an incident's data cannot notify once the page that
 * covered it clears (one incident, one notification).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-suppression.html
 */
export const SUPPRESSOR_WAIT_MINUTES = 2;

/** CloudWatch limits an alarm description to 1024 characters. */
export const DESCRIPTION_LIMIT = 1024;

/** Lambda's default timeout, for a function that does not set one. */
export const DEFAULT_TIMEOUT_MS = 3000;

/** What the rules fan out over, with the names the alarms' dimensions take (deployed names in the stack). */
export interface AlarmTargets {
  readonly serviceName: string;
  readonly functions: ReadonlyArray<{
    readonly name: MonitoredFunction;
    readonly functionName: string;
    readonly timeoutMs: number;
  }>;
  readonly tables: ReadonlyArray<{ readonly id: string; readonly tableName: string }>;
  readonly watchlist: readonly string[];
}

/** A metric with its dimensions resolved for one alarm. */
export interface PlannedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
}

export type AlarmSignal =
  | { readonly kind: 'metric'; readonly metric: PlannedMetric }
  | {
      readonly kind: 'expression';
      readonly expression: string;
      readonly label: string;
      readonly metrics: Readonly<Record<string, PlannedMetric>>;
    };

interface PlannedAlarmBase {
  /** Construct id in the monitoring scope (kept stable: it is the CloudFormation logical id's source). */
  readonly id: string;
  /** Alarm name without the stack's `<namePrefix>trading-observability-` prefix. */
  readonly name: string;
  readonly ruleId: string;
  readonly severity: Severity;
  /** Sends notifications (to the severity's topic; critical ones also send OK). Members of composites do not. */
  readonly notifies: boolean;
  readonly description: string;
}

export interface PlannedMetricAlarm extends PlannedAlarmBase {
  readonly kind: 'metric';
  readonly signal: AlarmSignal;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly missingData: MissingData;
}

export interface PlannedCompositeAlarm extends PlannedAlarmBase {
  readonly kind: 'composite';
  readonly op: 'AND' | 'OR';
  /** Names of the member alarms, planned before this one. */
  readonly members: readonly string[];
  /** Name of the alarm whose ALARM state suppresses this one's actions. */
  readonly suppressor?: string;
  /** With a suppressor: the wait and extension periods (minutes). */
  readonly suppressorTiming?: SuppressorTiming;
}

export interface SuppressorTiming {
  readonly waitMinutes: number;
  readonly extensionMinutes: number;
}

export type PlannedAlarm = PlannedMetricAlarm | PlannedCompositeAlarm;

export class AlarmPlanError extends AlertRuleError {
  override readonly name: string = 'AlarmPlanError';
}

interface Target {
  readonly key: string;
  readonly values: { function?: string; table?: string; symbol?: string };
  readonly timeoutMs?: number;
}

/** The alarm's text: severity, title, what it means, the first step and where the runbook section is. */
export function alarmDescription(rule: AlertRule, subject?: string): string {
  const text =
    `[${rule.severity.toUpperCase()}] ${rule.title}${subject ? ` (${subject})` : ''}. ${rule.description} ` +
    `First step: ${rule.runbook} Runbook: docs/runbook.md, section "${rule.id}".`;
  return text.length <= DESCRIPTION_LIMIT ? text : `${text.slice(0, DESCRIPTION_LIMIT - 1)}…`;
}

/**
 * How long an alarm can stay in ALARM after its signal stops breaching (minutes): a metric alarm's evaluation
 * range (its last breaching period leaves the range after period × evaluation periods); an AND composite clears
 * with its first member, an OR composite with its last.
 */
export function alarmMemoryMinutes(name: string, plan: readonly PlannedAlarm[]): number {
  const planned = plan.find((candidate) => candidate.name === name);
  if (!planned) throw new AlarmPlanError(`alarm ${name} is not planned`);
  if (planned.kind === 'metric') return (planned.periodSeconds / 60) * planned.evaluationPeriods;
  const members = planned.members.map((member) => alarmMemoryMinutes(member, plan));
  return planned.op === 'AND' ? Math.min(...members) : Math.max(...members);
}

function suppression(
  suppressor: string | undefined,
  op: 'AND' | 'OR',
  members: readonly string[],
  plan: readonly PlannedAlarm[],
): Pick<PlannedCompositeAlarm, 'suppressor' | 'suppressorTiming'> {
  if (!suppressor) return {};
  const memories = members.map((member) => alarmMemoryMinutes(member, plan));
  const extensionMinutes = op === 'AND' ? Math.min(...memories) : Math.max(...memories);
  return { suppressor, suppressorTiming: { waitMinutes: SUPPRESSOR_WAIT_MINUTES, extensionMinutes } };
}

export function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Every alarm of the rules, members and suppressors before the composites that use them. */
export function planAlarms(rules: readonly AlertRule[], targets: AlarmTargets): PlannedAlarm[] {
  const plan: PlannedAlarm[] = [];
  /** The alarm whose state silences rules that name this rule in `suppressedBy`. */
  const suppressors = new Map<string, string>();
  // Rules that others' suppressors point at are planned first.
  const ordered = [...rules].sort(
    (a, b) => Number(Boolean(a.suppressedBy)) - Number(Boolean(b.suppressedBy)),
  );
  for (const rule of ordered) {
    if (rule.kind === 'burn-rate') planBurnRate(rule, targets, plan, suppressors);
    else planRule(rule, targets, plan, suppressors);
  }
  return plan;
}

function ruleTargets(rule: AlertRule, targets: AlarmTargets): Target[] {
  switch (rule.fanOut) {
    case FanOut.FUNCTION:
      return targets.functions.map((fn) => ({
        key: fn.name,
        values: { function: fn.functionName },
        timeoutMs: fn.timeoutMs,
      }));
    case FanOut.TABLE:
      return targets.tables.map(({ id, tableName }) => ({ key: id, values: { table: tableName } }));
    case FanOut.WATCHED_SYMBOL:
      return targets.watchlist.map((symbol) => ({ key: symbol, values: { symbol } }));
    default:
      return [{ key: '', values: {} }];
  }
}

function planned(ref: MetricRef, serviceName: string, values: Target['values']): PlannedMetric {
  return {
    namespace: ref.namespace,
    name: ref.name,
    dimensions: resolveDimensions(ref, { service: serviceName, ...values }),
    statistic: ref.statistic,
  };
}

function ruleSignal(rule: ThresholdRule | ExpressionRule, serviceName: string, target: Target): AlarmSignal {
  if (rule.kind === 'threshold') {
    return { kind: 'metric', metric: planned(rule.metric, serviceName, target.values) };
  }
  return {
    kind: 'expression',
    expression: rule.expression,
    label: rule.id,
    metrics: Object.fromEntries(
      Object.entries(rule.metrics).map(([id, ref]) => [id, planned(ref, serviceName, target.values)]),
    ),
  };
}

function planRule(
  rule: ThresholdRule | ExpressionRule,
  targets: AlarmTargets,
  plan: PlannedAlarm[],
  suppressors: Map<string, string>,
): void {
  const suppressor = rule.suppressedBy ? suppressors.get(rule.suppressedBy) : undefined;
  if (rule.suppressedBy && !suppressor) {
    throw new AlarmPlanError(`rule ${rule.id}: its suppressor ${rule.suppressedBy} is not planned`);
  }
  const fanned = ruleTargets(rule, targets);
  // Notification goes through a composite when it must be suppressible, or once for any member.
  const wrapped = suppressor !== undefined || (rule.notify === 'any' && fanned.length > 1);
  const members = fanned.map((target): PlannedMetricAlarm => {
    // Metric and composite alarms share one name space: a lone member of a composite gets a suffix.
    const suffix = target.key ? `-${target.key}` : wrapped ? '-signal' : '';
    return {
      kind: 'metric',
      id: `${pascal(rule.id)}${pascal(target.key)}`,
      name: `${rule.id}${suffix}`,
      ruleId: rule.id,
      severity: rule.severity,
      notifies: !wrapped,
      description: alarmDescription(rule, target.key || undefined),
      signal: ruleSignal(rule, targets.serviceName, target),
      periodSeconds: rule.periodSeconds,
      evaluationPeriods: rule.evaluationPeriods,
      datapointsToAlarm: rule.datapointsToAlarm,
      threshold:
        rule.kind === 'threshold' && rule.thresholdUnit === 'fraction-of-timeout'
          ? Math.round(rule.threshold * (target.timeoutMs ?? DEFAULT_TIMEOUT_MS))
          : rule.threshold,
      comparison: rule.comparison,
      missingData: rule.missingData,
    };
  });
  plan.push(...members);
  if (!wrapped) {
    const only = members[0];
    if (members.length === 1 && only) suppressors.set(rule.id, only.name);
    return;
  }
  const composite: PlannedCompositeAlarm = {
    kind: 'composite',
    id: `${pascal(rule.id)}Notify`,
    name: rule.id,
    ruleId: rule.id,
    severity: rule.severity,
    notifies: true,
    description: alarmDescription(rule, members.length > 1 ? 'any member alarm' : undefined),
    op: 'OR',
    members: members.map((member) => member.name),
    ...suppression(
      suppressor,
      'OR',
      members.map((member) => member.name),
      plan,
    ),
  };
  plan.push(composite);
  suppressors.set(rule.id, composite.name);
}

function tierSubject(tier: BurnRateTier, threshold: number): string {
  return (
    `${tier.name} tier: ${tier.factor}× burn (bad ratio ≥ ${threshold}) over ${tier.longWindowMinutes} min AND ` +
    `${tier.shortWindowMinutes} min`
  );
}

/** The SLI of `burnRateSli` over one window, with each function's deployed name. */
function sliSignal(rule: BurnRateRule, targets: AlarmTargets, minSamples: number): AlarmSignal {
  const sli = burnRateSli(rule, minSamples);
  const metrics: Record<string, PlannedMetric> = {};
  for (const { id, function: name, metric } of sli.metrics) {
    const fn = targets.functions.find((candidate) => candidate.name === name);
    if (!fn) throw new AlarmPlanError(`rule ${rule.id}: unknown function ${name}`);
    metrics[id] = planned(metric, targets.serviceName, { function: fn.functionName });
  }
  return { kind: 'expression', expression: sli.expression, label: `${rule.id} bad ratio`, metrics };
}

function planBurnRate(
  rule: BurnRateRule,
  targets: AlarmTargets,
  plan: PlannedAlarm[],
  suppressors: Map<string, string>,
): void {
  const composites: PlannedCompositeAlarm[] = [];
  // "Any of these tiers" composites, by member list: the ticket tier's suppressor is also the rule's.
  const anyOf = new Map<string, string>();
  const anyOfTiers = (tiers: readonly PlannedCompositeAlarm[]): string | undefined => {
    const only = tiers[0];
    if (tiers.length <= 1) return only?.name;
    const names = tiers.map((tier) => tier.name.slice(rule.id.length + 1));
    const key = names.join('-');
    let name = anyOf.get(key);
    if (!name) {
      name = `${rule.id}-any-of-${key}`;
      plan.push({
        kind: 'composite',
        id: `${pascal(rule.id)}AnyOf${pascal(key)}`,
        name,
        ruleId: rule.id,
        severity: Severity.CRITICAL,
        notifies: false,
        description: `Suppressor only, sends nothing: ALARM while any of the ${names.join(', ')} tiers of ${rule.id} is.`,
        op: 'OR',
        members: tiers.map((tier) => tier.name),
      });
      anyOf.set(key, name);
    }
    return name;
  };
  rule.tiers.forEach((tier, index) => {
    const threshold = burnRateThreshold(rule.objective, tier.factor);
    const windowAlarm = (which: 'long' | 'short'): PlannedMetricAlarm => {
      const minutes = which === 'long' ? tier.longWindowMinutes : tier.shortWindowMinutes;
      // The short window fires on one breaching period and clears after `shortClearPeriods` clean ones.
      const evaluationPeriods = which === 'short' ? tier.shortClearPeriods : 1;
      return {
        kind: 'metric',
        id: `${pascal(rule.id)}${pascal(tier.name)}${pascal(which)}`,
        name: `${rule.id}-${tier.name}-${which}-${minutes}m`,
        ruleId: rule.id,
        severity: tier.severity,
        notifies: false,
        description: alarmDescription(
          rule,
          `${tier.factor}× burn over ${minutes} min: bad ratio ≥ ${threshold}; member of the ${tier.name} tier`,
        ),
        signal: sliSignal(rule, targets, tier.minSamples[which]),
        periodSeconds: minutes * 60,
        evaluationPeriods,
        datapointsToAlarm: 1,
        threshold,
        comparison: Comparison.GTE,
        // No traffic is no evidence of failure.
        missingData: MissingData.NOT_BREACHING,
      };
    };
    const long = windowAlarm('long');
    const short = windowAlarm('short');
    plan.push(long, short);
    // Lower tiers stay silent while a higher one fires: one incident, one page.
    const suppressor = index === 0 ? undefined : anyOfTiers(composites);
    const composite: PlannedCompositeAlarm = {
      kind: 'composite',
      id: `${pascal(rule.id)}${pascal(tier.name)}`,
      name: `${rule.id}-${tier.name}`,
      ruleId: rule.id,
      severity: tier.severity,
      notifies: true,
      description: alarmDescription(rule, tierSubject(tier, threshold)),
      op: 'AND',
      members: [long.name, short.name],
      ...suppression(suppressor, 'AND', [long.name, short.name], plan),
    };
    plan.push(composite);
    composites.push(composite);
  });
  const paging = composites.filter((_, index) => rule.tiers[index]?.severity === Severity.CRITICAL);
  // What silences other rules' warnings (`suppressedBy: <this rule>`): any paging tier of this SLO.
  const suppressor = anyOfTiers(paging);
  if (suppressor) suppressors.set(rule.id, suppressor);
}
