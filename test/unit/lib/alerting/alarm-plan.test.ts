/**
 * How long a composite's actions stay suppressed after its suppressor clears: as long as the composite itself can
 * stay in ALARM after its signal stopped (one incident, one notification). Expected values are worked out by hand
 * from each alarm's period × evaluation periods, not read from the plan.
 */

import { FUNCTION_NAMES } from '../../../../lambdas/shared/names/functions';
import {
  AlarmPlanError,
  alarmMemoryMinutes,
  type PlannedAlarm,
  type PlannedCompositeAlarm,
  type PlannedMetricAlarm,
  planAlarms,
  SUPPRESSOR_WAIT_MINUTES,
} from '../../../../lib/alerting/alarm-plan';
import {
  buildAlertRules,
  Comparison,
  KEY_AGE_CHECK_NAME,
  MissingData,
  RuleId,
  Severity,
} from '../../../../lib/alerting/rules';

function metricAlarm(name: string, periodMinutes: number, evaluationPeriods: number): PlannedMetricAlarm {
  return {
    kind: 'metric',
    id: name,
    name,
    ruleId: 'test',
    severity: Severity.WARNING,
    notifies: false,
    description: name,
    signal: {
      kind: 'metric',
      metric: { namespace: 'Test', name, dimensions: {}, statistic: 'Sum' },
    },
    periodSeconds: periodMinutes * 60,
    evaluationPeriods,
    datapointsToAlarm: 1,
    threshold: 1,
    comparison: Comparison.GTE,
    missingData: MissingData.NOT_BREACHING,
  };
}

function compositeAlarm(name: string, op: 'AND' | 'OR', members: readonly string[]): PlannedCompositeAlarm {
  return {
    kind: 'composite',
    id: name,
    name,
    ruleId: 'test',
    severity: Severity.WARNING,
    notifies: true,
    description: name,
    op,
    members,
  };
}

describe('alarmMemoryMinutes', () => {
  const plan: PlannedAlarm[] = [
    metricAlarm('long', 60, 1),
    metricAlarm('short', 5, 3),
    compositeAlarm('x', 'AND', ['long', 'short']),
    compositeAlarm('y', 'OR', ['long', 'short']),
  ];

  it('is period × evaluation periods for a metric alarm', () => {
    expect(alarmMemoryMinutes('long', plan)).toBe(60);
    expect(alarmMemoryMinutes('short', plan)).toBe(15);
  });

  it('an AND composite clears with its first member, an OR composite with its last', () => {
    expect(alarmMemoryMinutes('x', plan)).toBe(15);
    expect(alarmMemoryMinutes('y', plan)).toBe(60);
  });

  it('names an alarm that is not planned', () => {
    expect(() => alarmMemoryMinutes('nope', plan)).toThrow(AlarmPlanError);
  });
});

describe('suppressor timing of the deployed plan', () => {
  const plan = planAlarms(buildAlertRules(), {
    serviceName: 'stock_analytics',
    functions: [...FUNCTION_NAMES, KEY_AGE_CHECK_NAME].map((name) => ({
      name,
      functionName: name,
      timeoutMs: 60_000,
    })),
    tables: [{ id: 'market', tableName: 'market' }],
    watchlist: ['AAPL'],
  });
  const timing = (name: string) => {
    const alarm = plan.find((candidate) => candidate.name === name);
    return alarm?.kind === 'composite' ? alarm.suppressorTiming : undefined;
  };

  it('waits 2 minutes for the suppressor', () => {
    expect(SUPPRESSOR_WAIT_MINUTES).toBe(2);
  });

  it.each([
    // calibration: 4 quarter-hours; the 6× tier: AND(6 h × 1, 30 min × 1); the ticket tier: AND(3 days, 6 h).
    [RuleId.CALIBRATION, 60],
    [`${RuleId.AVAILABILITY_SLO}-slow`, 30],
    [`${RuleId.AVAILABILITY_SLO}-ticket`, 360],
    [`${RuleId.LATENCY_SLO}-slow`, 30],
    [`${RuleId.LATENCY_SLO}-ticket`, 360],
  ])('%s stays silent %i min after its suppressor clears', (name, extensionMinutes) => {
    expect(timing(name)).toEqual({ waitMinutes: 2, extensionMinutes });
  });

  it('every composite with a suppressor has its timing, and none without', () => {
    for (const alarm of plan) {
      if (alarm.kind !== 'composite') continue;
      expect({ name: alarm.name, timed: alarm.suppressorTiming !== undefined }).toEqual({
        name: alarm.name,
        timed: alarm.suppressor !== undefined,
      });
    }
  });
});
