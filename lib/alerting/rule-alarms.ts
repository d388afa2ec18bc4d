import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmRule,
  ComparisonOperator,
  CompositeAlarm,
  type IAlarm,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { StackError, StackErrorCode } from '../errors';
import type { AlarmSignal, PlannedAlarm, PlannedMetric, PlannedMetricAlarm } from './alarm-plan';
import type { AlarmTopics } from './alarm-topics';
import { Comparison, MissingData, type Severity } from './rules';

const COMPARISON: Record<Comparison, ComparisonOperator> = {
  [Comparison.GT]: ComparisonOperator.GREATER_THAN_THRESHOLD,
  [Comparison.GTE]: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  [Comparison.LT]: ComparisonOperator.LESS_THAN_THRESHOLD,
  [Comparison.LTE]: ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

const MISSING: Record<MissingData, TreatMissingData> = {
  [MissingData.NOT_BREACHING]: TreatMissingData.NOT_BREACHING,
  [MissingData.BREACHING]: TreatMissingData.BREACHING,
  [MissingData.IGNORE]: TreatMissingData.IGNORE,
  [MissingData.MISSING]: TreatMissingData.MISSING,
};

/** One built alarm of a rule, for tests, the dashboard and the runbook. */
export interface BuiltAlarm {
  readonly ruleId: string;
  readonly alarm: IAlarm;
  readonly severity: Severity;
  /** true when this alarm sends notifications (members of composites do not). */
  readonly notifies: boolean;
}

export class AlarmWiringError extends StackError {
  override readonly name: string = 'AlarmWiringError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(StackErrorCode.ALARM_WIRING_INVALID, message, options);
  }
}

export interface RuleAlarmsProps {
  /** `<namePrefix>trading-observability`: alarm names are `<prefix>-<planned name>`. */
  readonly namePrefix: string;
  readonly plan: readonly PlannedAlarm[];
  readonly topics: AlarmTopics;
}

/**
 * The planned alarms (alarm-plan.ts) as CloudWatch metric and composite alarms, with their actions. Built in the
 * given scope under the plan's construct ids, so each alarm keeps its logical id (alarm names are fixed: a new
 * logical id would make an update create a second alarm of the same name).
 */
export class RuleAlarms {
  readonly alarms: BuiltAlarm[] = [];
  private readonly byName = new Map<string, IAlarm>();

  constructor(scope: Construct, props: RuleAlarmsProps) {
    for (const planned of props.plan) {
      const alarmName = `${props.namePrefix}-${planned.name}`;
      const alarm =
        planned.kind === 'metric'
          ? metricAlarm(scope, planned, alarmName)
          : new CompositeAlarm(scope, planned.id, {
              compositeAlarmName: alarmName,
              alarmDescription: planned.description,
              alarmRule:
                planned.op === 'AND'
                  ? AlarmRule.allOf(...planned.members.map((member) => this.find(member)))
                  : AlarmRule.anyOf(...planned.members.map((member) => this.find(member))),
              ...(planned.suppressor && planned.suppressorTiming
                ? {
                    actionsSuppressor: this.find(planned.suppressor),
                    actionsSuppressorWaitPeriod: Duration.minutes(planned.suppressorTiming.waitMinutes),
                    actionsSuppressorExtensionPeriod: Duration.minutes(
                      planned.suppressorTiming.extensionMinutes,
                    ),
                  }
                : {}),
            });
      if (planned.notifies) props.topics.wireActions(alarm, planned.severity);
      this.byName.set(planned.name, alarm);
      this.alarms.push({
        ruleId: planned.ruleId,
        alarm,
        severity: planned.severity,
        notifies: planned.notifies,
      });
    }
  }

  /** The alarms that notify, by rule id (a rule with fan-out and per-member notification has several). */
  notifying(ruleId?: string): IAlarm[] {
    return this.alarms
      .filter((a) => a.notifies && (ruleId === undefined || a.ruleId === ruleId))
      .map((a) => a.alarm);
  }

  private find(name: string): IAlarm {
    const alarm = this.byName.get(name);
    if (!alarm) throw new AlarmWiringError(`alarm ${name} is used before it is built`);
    return alarm;
  }
}

function metricAlarm(scope: Construct, planned: PlannedMetricAlarm, alarmName: string): Alarm {
  return new Alarm(scope, planned.id, {
    alarmName,
    alarmDescription: planned.description,
    metric: cdkMetric(planned.signal, Duration.seconds(planned.periodSeconds)),
    threshold: planned.threshold,
    comparisonOperator: COMPARISON[planned.comparison],
    evaluationPeriods: planned.evaluationPeriods,
    datapointsToAlarm: planned.datapointsToAlarm,
    treatMissingData: MISSING[planned.missingData],
  });
}

function cdkMetric(signal: AlarmSignal, period: Duration): IMetric {
  const metric = (ref: PlannedMetric) =>
    new Metric({
      namespace: ref.namespace,
      metricName: ref.name,
      dimensionsMap: { ...ref.dimensions },
      statistic: ref.statistic,
      period,
    });
  if (signal.kind === 'metric') return metric(signal.metric);
  return new MathExpression({
    expression: signal.expression,
    usingMetrics: Object.fromEntries(Object.entries(signal.metrics).map(([id, ref]) => [id, metric(ref)])),
    period,
    label: signal.label,
  });
}
