/**
 * The backtest's alarm graph is the deployed one: same alarms, periods, M of N, thresholds (incl. the
 * fraction-of-timeout ones), missing-data treatment, composites, suppressors and suppressor timing as the
 * synthesized template. If monitoring.ts changes its wiring, this test tells the backtest to follow.
 */

import { buildAlertRules, DEFAULT_ALERT_PARAMS } from '../../../lib/alerting/rules';
import { buildAlarms } from '../../../scripts/backtest/alarms';
import { MetricStore } from '../../../scripts/backtest/metric-store';
import { buildStack, resourcesOf } from '../../support/stack-fixture';

const PREFIX = 'trading-observability-';

type Props = Record<string, unknown> & {
  AlarmName?: string;
  Metrics?: Array<{ MetricStat?: { Period?: number } }>;
};

describe('backtest alarms = deployed alarms', () => {
  const { template } = buildStack();
  const metricAlarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties as Props);
  const composites = resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm');
  const nameOfLogicalId = new Map<string, string>(
    composites.map(([id, r]) => [id, String(r.Properties.AlarmName).slice(PREFIX.length)]),
  );
  for (const [id, r] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
    nameOfLogicalId.set(id, String(r.Properties.AlarmName).slice(PREFIX.length));
  }
  // Only the alarms of rules.ts (cdk-monitoring-constructs' dashboard alarms are off: actionsEnabled false, none built).
  const defs = buildAlarms(buildAlertRules(), DEFAULT_ALERT_PARAMS, new MetricStore());

  it('has exactly the metric and composite alarms of the template', () => {
    const deployedMetric = metricAlarms.map((p) => String(p.AlarmName).slice(PREFIX.length)).sort();
    const deployedComposite = [...composites.map(([id]) => nameOfLogicalId.get(id) as string)].sort();
    expect(
      defs
        .filter((d) => d.kind === 'metric')
        .map((d) => d.name)
        .sort(),
    ).toEqual(deployedMetric);
    expect(
      defs
        .filter((d) => d.kind === 'composite')
        .map((d) => d.name)
        .sort(),
    ).toEqual(deployedComposite);
  });

  it('evaluates each metric alarm with the deployed period, M of N, threshold and missing-data treatment', () => {
    for (const props of metricAlarms) {
      const name = String(props.AlarmName).slice(PREFIX.length);
      const def = defs.find((d) => d.name === name);
      if (def?.kind !== 'metric') throw new Error(`no backtest alarm ${name}`);
      const period =
        (props.Period as number | undefined) ?? props.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period;
      expect({ name, period: def.periodMinutes * 60 }).toEqual({ name, period });
      expect([
        def.evaluationPeriods,
        def.datapointsToAlarm,
        def.threshold,
        def.missingData,
        def.comparison,
      ]).toEqual([
        props.EvaluationPeriods,
        props.DatapointsToAlarm,
        props.Threshold,
        props.TreatMissingData,
        props.ComparisonOperator,
      ]);
    }
  });

  it('suppresses the same composites by the same alarms, with the same wait and extension periods', () => {
    for (const [, resource] of composites) {
      const props = resource.Properties as Record<string, unknown>;
      const name = String(props.AlarmName).slice(PREFIX.length);
      const def = defs.find((d) => d.name === name);
      if (def?.kind !== 'composite') throw new Error(`no backtest composite ${name}`);
      const suppressor = props.ActionsSuppressor as { 'Fn::GetAtt'?: [string, string] } | undefined;
      const suppressorName = suppressor?.['Fn::GetAtt']
        ? nameOfLogicalId.get(suppressor['Fn::GetAtt'][0])
        : undefined;
      expect({ name, suppressor: def.suppressor }).toEqual({ name, suppressor: suppressorName });
      if (suppressorName) {
        expect({
          name,
          periods: [props.ActionsSuppressorWaitPeriod, props.ActionsSuppressorExtensionPeriod],
        }).toEqual({
          name,
          periods: [
            (def.suppressorTiming?.waitMinutes ?? Number.NaN) * 60,
            (def.suppressorTiming?.extensionMinutes ?? Number.NaN) * 60,
          ],
        });
      }
      expect({ name, notifies: def.notifies }).toEqual({
        name,
        notifies: Array.isArray(props.AlarmActions) && props.AlarmActions.length > 0,
      });
    }
  });
});
