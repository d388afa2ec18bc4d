import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { FUNCTION_NAMES } from '../../../../lambdas/shared/names/functions';
import { burnRateThreshold } from '../../../../lib/alerting/burn-rate';
import {
  type AlertRule,
  BURN_RATE_TIERS,
  type BurnRateRule,
  buildAlertRules,
  DEFAULT_ALERT_PARAMS,
  DURATION_TIMEOUT_FRACTION,
  type ExpressionRule,
  KEY_AGE_CHECK_NAME,
  RuleId,
  Severity,
  type ThresholdRule,
} from '../../../../lib/alerting/rules';
import { buildStack, type CfnResource, resourcesOf } from '../../../support/stack-fixture';

const PREFIX = 'trading-observability';
const rules = buildAlertRules(DEFAULT_ALERT_PARAMS);
const { stack, template } = buildStack();

type Props = Record<string, unknown>;
const alarms = new Map<string, Props>();
for (const [, resource] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
  alarms.set(resource.Properties.AlarmName as string, resource.Properties);
}
const composites = new Map<string, Props>();
const compositeIds = new Map<string, string>();
for (const [logicalId, resource] of resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm')) {
  composites.set(resource.Properties.AlarmName as string, resource.Properties);
  compositeIds.set(resource.Properties.AlarmName as string, logicalId);
}
const alarmIds = new Map<string, string>();
for (const [logicalId, resource] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
  alarmIds.set(resource.Properties.AlarmName as string, logicalId);
}
const topicId = (suffix: 'critical' | 'warning') => {
  const found = resourcesOf(template, 'AWS::SNS::Topic').find(
    ([, topic]) => topic.Properties.TopicName === `${PREFIX}-${suffix}`,
  );
  if (!found) throw new Error(`no ${suffix} topic`);
  return found[0];
};
const CRITICAL = { Ref: topicId('critical') };
const WARNING = { Ref: topicId('warning') };
const arnOf = (logicalId: string | undefined) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** Annotation messages in the tree (what `cdk synth` prints), read without another synthesis. */
function annotations(root: IConstruct, type: 'aws:cdk:warning' | 'aws:cdk:info'): string[] {
  return root.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === type)
    .map((entry) => String(entry.data));
}

function alarm(name: string): Props {
  const found = alarms.get(name);
  if (!found) throw new Error(`no alarm ${name}; have ${[...alarms.keys()].join(', ')}`);
  return found;
}
function composite(name: string): Props {
  const found = composites.get(name);
  if (!found) throw new Error(`no composite ${name}; have ${[...composites.keys()].join(', ')}`);
  return found;
}
const metricStats = (props: Props) =>
  (props.Metrics as Array<{
    Id: string;
    Expression?: string;
    MetricStat?: { Metric: Props; Period: number; Stat: string };
  }>) ?? [];

describe('SNS topics', () => {
  it('are two, KMS-encrypted, TLS-only, and CloudWatch may use the key', () => {
    const topics = resourcesOf(template, 'AWS::SNS::Topic');
    expect(topics.map(([, t]) => t.Properties.TopicName).sort()).toEqual([
      `${PREFIX}-critical`,
      `${PREFIX}-warning`,
    ]);
    for (const [, topic] of topics) expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      }),
    });
    template.resourcePropertiesCountIs(
      'AWS::SNS::TopicPolicy',
      Match.objectLike({
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        }),
      }),
      2,
    );
  });

  it('have no subscriptions without context, and synth says so', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(annotations(stack, 'aws:cdk:warning').join('\n')).toMatch(/No pager subscription/);
    expect(annotations(stack, 'aws:cdk:info').join('\n')).toMatch(/No e-mail subscription/);
  });

  it('subscribe the pager (HTTPS) to critical and the e-mails to warning from context', () => {
    const built = buildStack({
      pagerUrl: 'https://events.pagerduty.com/integration/abc123/enqueue',
      warningEmails: 'oncall@example.com, desk@example.com',
    });
    const subscriptions = resourcesOf(built.template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subscriptions).toHaveLength(3);
    const critical = {
      Ref: resourcesOf(built.template, 'AWS::SNS::Topic').find(
        ([, t]) => t.Properties.TopicName === `${PREFIX}-critical`,
      )?.[0],
    };
    expect(subscriptions).toContainEqual(
      expect.objectContaining({
        Protocol: 'https',
        Endpoint: 'https://events.pagerduty.com/integration/abc123/enqueue',
        TopicArn: critical,
      }),
    );
    expect(
      subscriptions
        .filter((s) => s.Protocol === 'email')
        .map((s) => s.Endpoint)
        .sort(),
    ).toEqual(['desk@example.com', 'oncall@example.com']);
    expect(annotations(built.stack, 'aws:cdk:warning').join('\n')).not.toMatch(/No pager/);
    expect(annotations(built.stack, 'aws:cdk:info').join('\n')).not.toMatch(/No e-mail/);
  });
});

describe('alarms follow the rules module', () => {
  const single = rules.filter((rule): rule is ThresholdRule | ExpressionRule => rule.kind !== 'burn-rate');

  it.each(single.map((rule) => [rule.id, rule] as const))(
    '%s: periods, threshold, comparison, missing data',
    (_id, rule) => {
      const members = [...alarms.entries()].filter(
        ([name]) => name === `${PREFIX}-${rule.id}` || name.startsWith(`${PREFIX}-${rule.id}-`),
      );
      expect(members.length).toBeGreaterThan(0);
      for (const [, props] of members) {
        expect(props.EvaluationPeriods).toBe(rule.evaluationPeriods);
        expect(props.DatapointsToAlarm).toBe(rule.datapointsToAlarm);
        expect(props.ComparisonOperator).toBe(rule.comparison);
        expect(props.TreatMissingData).toBe(rule.missingData);
        if (rule.kind === 'expression' || rule.thresholdUnit !== 'fraction-of-timeout') {
          expect(props.Threshold).toBe(rule.threshold);
        }
        if (rule.kind === 'threshold') {
          expect(props.MetricName).toBe(rule.metric.name);
          expect(props.Namespace).toBe(rule.metric.namespace);
          expect(props.Period).toBe(rule.periodSeconds);
          expect(props.Statistic ?? props.ExtendedStatistic).toBe(rule.metric.statistic);
        } else {
          const metrics = metricStats(props);
          expect(metrics.find((m) => m.Expression)?.Expression).toBe(rule.expression);
          for (const [id, ref] of Object.entries(rule.metrics)) {
            const stat = metrics.find((m) => m.Id === id)?.MetricStat;
            expect(stat?.Metric.MetricName).toBe(ref.name);
            expect(stat?.Stat).toBe(ref.statistic);
            expect(stat?.Period).toBe(rule.periodSeconds);
          }
        }
        expect(String(props.AlarmDescription)).toContain('First step:');
        expect(String(props.AlarmDescription).length).toBeLessThanOrEqual(1024);
      }
    },
  );

  it('accuracy: Wilson-gated overall or any alerting model/symbol, 8 × 15 min, 1 breaching point, pages', () => {
    const props = alarm(`${PREFIX}-${RuleId.ACCURACY}`);
    expect(metricStats(props)[0]?.Expression).toBe(
      'IF(FILL(models, 0) + FILL(symbols, 0) >= 1 OR (FILL(n, 0) >= 60 AND FILL(ub, 100) < 60), 1, 0)',
    );
    expect(metricStats(props).find((m) => m.Id === 'models')?.MetricStat?.Metric).toEqual({
      MetricName: 'AccuracyAlertingModels',
      Namespace: 'TradingObservability',
      Dimensions: [{ Name: 'Service', Value: 'stock_analytics' }],
    });
    expect(metricStats(props).find((m) => m.Id === 'symbols')?.MetricStat?.Metric.MetricName).toBe(
      'AccuracyAlertingSymbols',
    );
    expect(metricStats(props).find((m) => m.Id === 'ub')?.MetricStat?.Metric).toEqual({
      MetricName: 'DirectionalAccuracyUpperBound',
      Namespace: 'TradingObservability',
      Dimensions: [{ Name: 'Service', Value: 'stock_analytics' }],
    });
    expect([props.Threshold, props.EvaluationPeriods, props.DatapointsToAlarm]).toEqual([1, 8, 1]);
    expect(props.AlarmActions).toEqual([CRITICAL]);
    expect(props.OKActions).toEqual([CRITICAL]);
  });

  it('calibration: > 0.15 in 2 of 4 quarter-hours, overall or any model/symbol, through its suppressible composite', () => {
    const props = alarm(`${PREFIX}-${RuleId.CALIBRATION}-signal`);
    expect([
      props.Threshold,
      props.ComparisonOperator,
      props.EvaluationPeriods,
      props.DatapointsToAlarm,
      props.TreatMissingData,
    ]).toEqual([0.15, 'GreaterThanThreshold', 4, 2, 'notBreaching']);
    expect(metricStats(props)[0]?.Expression).toBe(
      'IF(FILL(models, 0) + FILL(symbols, 0) >= 1, 1, IF(FILL(n, 0) >= 150, FILL(ece, 0), 0))',
    );
    expect(metricStats(props).find((m) => m.Id === 'ece')?.MetricStat).toEqual({
      Metric: {
        MetricName: 'ExpectedCalibrationError',
        Namespace: 'TradingObservability',
        Dimensions: [{ Name: 'Service', Value: 'stock_analytics' }],
      },
      Period: 900,
      Stat: 'Maximum',
    });
    expect(props.AlarmActions).toBeUndefined();
    expect(composite(`${PREFIX}-${RuleId.CALIBRATION}`).AlarmActions).toEqual([WARNING]);
  });

  it('the tracker applies the alarms’ thresholds to every model and symbol (its environment)', () => {
    const tracker = resourcesOf(template, 'AWS::Lambda::Function').find(
      ([, fn]) => fn.Properties.FunctionName === 'dual-accuracy-tracker',
    );
    if (!tracker) throw new Error('no dual-accuracy-tracker function');
    const variables = (tracker[1].Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(variables).toMatchObject({
      MIN_SAMPLE_FOR_ALERT: '60',
      ACCURACY_ALERT_THRESHOLD: '0.6',
      CALIBRATION_ALERT_ECE: '0.15',
      MIN_SAMPLE_FOR_CALIBRATION_ALERT: '150',
      METRIC_MODEL_WATCHLIST: '',
      METRIC_SYMBOL_WATCHLIST: 'AAPL,MSFT,AMZN,GOOG,IBM',
    });
  });

  it('tracing cost: EstimatedTracingCostPerDay Maximum > 60 in one 15-min run (after the optimizer corrected), warning', () => {
    const props = alarm(`${PREFIX}-${RuleId.TRACING_COST}`);
    expect([
      props.MetricName,
      props.Statistic,
      props.Threshold,
      props.Period,
      props.EvaluationPeriods,
    ]).toEqual(['EstimatedTracingCostPerDay', 'Maximum', 60, 900, 1]);
    expect(props.AlarmActions).toEqual([WARNING]);
    expect(props.OKActions).toBeUndefined();
  });

  it('no rankings in market hours: gated by the market clock, two missed runs page', () => {
    const props = alarm(`${PREFIX}-${RuleId.RANKINGS_MISSING}`);
    expect(
      metricStats(props).map(
        (m) => m.Expression ?? `${m.MetricStat?.Metric.MetricName}:${m.MetricStat?.Stat}`,
      ),
    ).toEqual([
      'IF(open >= 1 AND FILL(produced, 0) < 1, 1, 0)',
      'MarketSessionOpen:Minimum',
      'RankingsProduced:Sum',
    ]);
    expect([props.EvaluationPeriods, props.DatapointsToAlarm, props.TreatMissingData]).toEqual([
      2,
      2,
      'notBreaching',
    ]);
    expect(props.AlarmActions).toEqual([CRITICAL]);
  });

  it('stale market data: one alarm per watched symbol, one warning for any of them', () => {
    for (const symbol of DEFAULT_ALERT_PARAMS.watchlist) {
      const props = alarm(`${PREFIX}-${RuleId.MARKET_DATA_STALE}-${symbol}`);
      const lag = metricStats(props).find((m) => m.Id === 'lag')?.MetricStat;
      expect(lag?.Metric.Dimensions).toEqual([
        { Name: 'Service', Value: 'stock_analytics' },
        { Name: 'Symbol', Value: symbol },
      ]);
      expect([props.Threshold, lag?.Period]).toEqual([900, 900]);
      expect(props.AlarmActions).toBeUndefined();
    }
    const any = composite(`${PREFIX}-${RuleId.MARKET_DATA_STALE}`);
    expect(any.AlarmActions).toEqual([WARNING]);
    expect(JSON.stringify(any.AlarmRule)).toContain(
      alarmIds.get(`${PREFIX}-${RuleId.MARKET_DATA_STALE}-AAPL`),
    );
  });

  it('ingestion key: older than 91 days, hourly, a silent probe is breaching, pages', () => {
    const props = alarm(`${PREFIX}-${RuleId.KEY_AGE}`);
    expect([
      props.MetricName,
      props.Threshold,
      props.Period,
      props.TreatMissingData,
      props.ComparisonOperator,
      // 91: the 90-day rotation happens at a random hour of its due day (lib/alerting/alert-params.ts).
    ]).toEqual(['IngestionKeyAgeDays', 91, 3600, 'breaching', 'GreaterThanThreshold']);
    // A rotation that did not happen (or a dead probe) pages, and the pager resolves itself.
    expect(props.AlarmActions).toEqual([CRITICAL]);
    expect(props.OKActions).toEqual([CRITICAL]);
  });

  it('per function errors, throttles and p95 duration, for the four functions and the probe', () => {
    const names = [...FUNCTION_NAMES, KEY_AGE_CHECK_NAME];
    for (const name of names) {
      const errors = alarm(`${PREFIX}-${RuleId.FUNCTION_ERRORS}-${name}`);
      expect([errors.MetricName, errors.Statistic, errors.Threshold, errors.Period]).toEqual([
        'Errors',
        'Sum',
        3,
        900,
      ]);
      expect(errors.Dimensions).toEqual([{ Name: 'FunctionName', Value: name }]);
      const throttles = alarm(`${PREFIX}-${RuleId.FUNCTION_THROTTLES}-${name}`);
      expect([
        throttles.MetricName,
        throttles.Threshold,
        throttles.EvaluationPeriods,
        throttles.DatapointsToAlarm,
      ]).toEqual(['Throttles', 1, 3, 2]);
      const duration = alarm(`${PREFIX}-${RuleId.FUNCTION_DURATION}-${name}`);
      expect([duration.MetricName, duration.ExtendedStatistic]).toEqual(['Duration', 'p95']);
    }
    // 80 % of each function's timeout.
    expect(alarm(`${PREFIX}-${RuleId.FUNCTION_DURATION}-dual-accuracy-tracker`).Threshold).toBe(
      60_000 * DURATION_TIMEOUT_FRACTION,
    );
    // The demo's timeout is 10 minutes (a full_demo replays ten trading days step by step).
    expect(alarm(`${PREFIX}-${RuleId.FUNCTION_DURATION}-observability-demo`).Threshold).toBe(
      600_000 * DURATION_TIMEOUT_FRACTION,
    );
    expect(alarm(`${PREFIX}-${RuleId.FUNCTION_DURATION}-${KEY_AGE_CHECK_NAME}`).Threshold).toBe(
      20_000 * DURATION_TIMEOUT_FRACTION,
    );
  });

  it('DynamoDB throttled reads + writes, per table', () => {
    const tables = resourcesOf(template, 'AWS::DynamoDB::GlobalTable').map(([logicalId]) => ({
      Ref: logicalId,
    }));
    expect(tables).toHaveLength(3);
    for (const table of ['market', 'rankings', 'sampling']) {
      const props = alarm(`${PREFIX}-${RuleId.DYNAMODB_THROTTLES}-${table}`);
      const metrics = metricStats(props);
      expect(metrics.map((m) => m.MetricStat?.Metric.MetricName).filter(Boolean)).toEqual([
        'ReadThrottleEvents',
        'WriteThrottleEvents',
      ]);
      const dimensions = (metrics[1]?.MetricStat?.Metric.Dimensions ?? []) as Array<{ Value: unknown }>;
      expect(tables).toContainEqual(dimensions[0]?.Value);
      expect(props.AlarmActions).toEqual([WARNING]);
    }
  });
});

describe('noise control: warnings behind composites with suppressors', () => {
  // The extension spans what the warning itself still holds of the incident once the suppressor clears: its
  // evaluation range (calibration 4 × 15 min; errors 1 × 15 min; throttles and duration 3 × 5 min).
  it.each([
    [RuleId.CALIBRATION, `${PREFIX}-${RuleId.ACCURACY}`, 'alarm', 3600],
    [RuleId.FUNCTION_ERRORS, `${PREFIX}-${RuleId.AVAILABILITY_SLO}-any-of-fast-slow`, 'composite', 900],
    [RuleId.FUNCTION_THROTTLES, `${PREFIX}-${RuleId.AVAILABILITY_SLO}-any-of-fast-slow`, 'composite', 900],
    [RuleId.FUNCTION_DURATION, `${PREFIX}-${RuleId.LATENCY_SLO}-any-of-fast-slow`, 'composite', 900],
  ])('%s is silenced by %s (extension %i s)', (ruleId, suppressorName, kind, extensionSeconds) => {
    const props = composite(`${PREFIX}-${ruleId}`);
    const suppressorId = kind === 'alarm' ? alarmIds.get(suppressorName) : compositeIds.get(suppressorName);
    expect(suppressorId).toBeDefined();
    expect(props.ActionsSuppressor).toEqual(arnOf(suppressorId));
    expect([props.ActionsSuppressorWaitPeriod, props.ActionsSuppressorExtensionPeriod]).toEqual([
      120,
      extensionSeconds,
    ]);
    expect(props.AlarmActions).toEqual([WARNING]);
    // The members themselves send nothing.
    for (const [name, member] of alarms) {
      if (name.startsWith(`${PREFIX}-${ruleId}-`)) expect(member.AlarmActions).toBeUndefined();
    }
  });
});

describe('SLO burn-rate alarms', () => {
  const sloRules = rules.filter((rule): rule is BurnRateRule => rule.kind === 'burn-rate');

  it.each(sloRules.map((rule) => [rule.id, rule] as const))(
    '%s: long AND short per tier, thresholds factor × budget',
    (_id, rule) => {
      rule.tiers.forEach((tier, index) => {
        const long = alarm(`${PREFIX}-${rule.id}-${tier.name}-long-${tier.longWindowMinutes}m`);
        const short = alarm(`${PREFIX}-${rule.id}-${tier.name}-short-${tier.shortWindowMinutes}m`);
        const threshold = burnRateThreshold(rule.objective, tier.factor);
        for (const [props, minutes] of [
          [long, tier.longWindowMinutes],
          [short, tier.shortWindowMinutes],
        ] as const) {
          expect(props.Threshold).toBe(threshold);
          expect(props.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
          // The short window fires on one breaching period and clears after `shortClearPeriods` clean ones.
          const periods = props === short ? tier.shortClearPeriods : 1;
          expect([props.EvaluationPeriods, props.DatapointsToAlarm, props.TreatMissingData]).toEqual([
            periods,
            1,
            'notBreaching',
          ]);
          expect(props.AlarmActions).toBeUndefined();
          const stats = metricStats(props).filter((m) => m.MetricStat);
          expect(stats.length).toBe(rule.functions.length * 2);
          expect(stats.length).toBeLessThanOrEqual(10);
          for (const m of stats) expect(m.MetricStat?.Period).toBe(minutes * 60);
        }
        const tierComposite = composite(`${PREFIX}-${rule.id}-${tier.name}`);
        const ruleText = JSON.stringify(tierComposite.AlarmRule);
        expect(ruleText).toContain(') AND ALARM(');
        expect(ruleText).toContain(
          alarmIds.get(`${PREFIX}-${rule.id}-${tier.name}-long-${tier.longWindowMinutes}m`),
        );
        expect(ruleText).toContain(
          alarmIds.get(`${PREFIX}-${rule.id}-${tier.name}-short-${tier.shortWindowMinutes}m`),
        );
        expect(tierComposite.AlarmActions).toEqual([
          tier.severity === Severity.CRITICAL ? CRITICAL : WARNING,
        ]);
        const expectedSuppressor = [
          undefined,
          arnOf(compositeIds.get(`${PREFIX}-${rule.id}-fast`)),
          arnOf(compositeIds.get(`${PREFIX}-${rule.id}-any-of-fast-slow`)),
        ][index];
        expect(tierComposite.ActionsSuppressor).toEqual(expectedSuppressor);
        // A lower tier stays silent for as long as its short window still holds the burst the higher tier paged.
        if (index > 0) {
          expect(tierComposite.ActionsSuppressorExtensionPeriod).toBe(
            tier.shortWindowMinutes * tier.shortClearPeriods * 60,
          );
        }
      });
    },
  );

  it('pins the recovery hysteresis and the suppression spans of the tiers', () => {
    expect(BURN_RATE_TIERS.map((t) => [t.name, t.shortClearPeriods])).toEqual([
      ['fast', 3],
      ['slow', 1],
      ['ticket', 1],
    ]);
    const slow = composite(`${PREFIX}-${RuleId.AVAILABILITY_SLO}-slow`);
    const ticket = composite(`${PREFIX}-${RuleId.AVAILABILITY_SLO}-ticket`);
    expect([slow.ActionsSuppressorExtensionPeriod, ticket.ActionsSuppressorExtensionPeriod]).toEqual([
      1800, 21_600,
    ]);
  });

  it('availability: Errors / Invocations of the four functions, at least 100 calls in the hour for the fast tier', () => {
    const props = alarm(`${PREFIX}-${RuleId.AVAILABILITY_SLO}-fast-long-60m`);
    const metrics = metricStats(props);
    expect(metrics[0]?.Expression).toBe(
      'IF((FILL(i0, 0) + FILL(i1, 0) + FILL(i2, 0) + FILL(i3, 0)) >= 100, (FILL(e0, 0) + FILL(e1, 0) + FILL(e2, 0) + FILL(e3, 0)) / (FILL(i0, 0) + FILL(i1, 0) + FILL(i2, 0) + FILL(i3, 0)), 0)',
    );
    expect(metrics.find((m) => m.Id === 'e0')?.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'dual-accuracy-tracker' }],
      },
      Period: 3600,
      Stat: 'Sum',
    });
    expect(props.Threshold).toBe(0.0144);
  });

  it('latency: the percentile-rank statistic PR(:500) on Duration, weighted by SampleCount', () => {
    const props = alarm(`${PREFIX}-${RuleId.LATENCY_SLO}-fast-short-5m`);
    const metrics = metricStats(props);
    expect(metrics.find((m) => m.Id === 'p0')?.MetricStat?.Stat).toBe('PR(:500)');
    expect(metrics.find((m) => m.Id === 'd0')?.MetricStat?.Stat).toBe('SampleCount');
    expect(metrics[0]?.Expression).toContain('FILL(d0, 0) * (100 - FILL(p0, 100)) / 100');
    expect(props.Threshold).toBe(0.72);
  });

  it('the ticket tier covers 3 days (one 259 200 s datapoint) with a 6 h short window', () => {
    const long = alarm(`${PREFIX}-${RuleId.AVAILABILITY_SLO}-ticket-long-4320m`);
    expect(metricStats(long).find((m) => m.Id === 'i0')?.MetricStat?.Period).toBe(259_200);
    expect(long.Threshold).toBe(0.003);
  });
});

describe('the key-age check', () => {
  it('runs every 5 minutes, without retries, on the key-age-check function (not a product function)', () => {
    expect(FUNCTION_NAMES).not.toContain(KEY_AGE_CHECK_NAME);
    const fn = resourcesOf(template, 'AWS::Lambda::Function').find(
      ([, f]) => f.Properties.FunctionName === KEY_AGE_CHECK_NAME,
    );
    expect(fn).toBeDefined();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: arnOf(fn?.[0]), RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
  });

  it('may read the secret metadata (DescribeSecret, ListSecretVersionIds)', () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([logicalId]) =>
      logicalId.includes('KeyAgeCheck'),
    );
    const actions = JSON.stringify(policies.map(([, p]) => p.Properties.PolicyDocument));
    expect(actions).toContain('secretsmanager:DescribeSecret');
    expect(actions).toContain('secretsmanager:ListSecretVersionIds');
    expect(actions).toContain('-??????');
  });
});

describe('dashboard and Logs Insights queries', () => {
  it('has one CloudWatch dashboard with the alarm status, business metrics and functions', () => {
    const dashboards = resourcesOf(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.[1].Properties.DashboardBody);
    for (const text of [
      'DirectionalAccuracy',
      'OpportunitiesFound',
      'EstimatedTracingCostPerDay',
      'SpansExported',
      'Invocations',
      'Errors',
      'Duration',
      'alarm',
    ]) {
      expect(body).toContain(text);
    }
  });

  it('saves the usual investigations over every function log group', () => {
    const queries = resourcesOf(template, 'AWS::Logs::QueryDefinition').map(([, q]) => q.Properties);
    expect(queries.map((q) => q.Name).sort()).toEqual(
      [
        'accuracy-alerts',
        'alerting-groups',
        'error-counts-by-function-and-type',
        'errors-by-function',
        'sampling-decisions',
        'slow-invocations',
      ].map((name) => `${PREFIX}/${name}`),
    );
    const errors = queries.find((q) => q.Name === `${PREFIX}/errors-by-function`);
    expect(errors?.QueryString).toContain('trace_id');
    expect(errors?.QueryString).toContain('filter level = "ERROR"');
    for (const query of queries) {
      const expected = query.Name === `${PREFIX}/alerting-groups` ? 1 : FUNCTION_NAMES.length + 1;
      expect((query.LogGroupNames as unknown[]).length).toBe(expected);
    }
  });

  it('lists the alerting groups from the tracker’s lines of the alarms’ own run', () => {
    const query = resourcesOf(template, 'AWS::Logs::QueryDefinition')
      .map(([, q]) => q.Properties)
      .find((q) => q.Name === `${PREFIX}/alerting-groups`);
    expect(query?.QueryString).toContain('filter message = "group alerting" and run = "alarm"');
    expect(query?.QueryString).toContain('by alertRule, groupKind, group');
  });

  it('ranks the alerting groups with a Contributor Insights rule over the tracker’s JSON log', () => {
    const rules = resourcesOf(template, 'AWS::CloudWatch::InsightRule');
    expect(rules).toHaveLength(1);
    const props = rules[0]?.[1].Properties as { RuleName: string; RuleState: string; RuleBody: unknown };
    expect([props.RuleName, props.RuleState]).toEqual([`${PREFIX}-alerting-groups`, 'ENABLED']);
    const body = JSON.stringify(props.RuleBody);
    for (const text of [
      'CloudWatchLogRule',
      '$.alertRule',
      '$.groupKind',
      '$.group',
      'group alerting',
      'alarm',
    ])
      expect(body).toContain(text);
    const dashboard = JSON.stringify(resourcesOf(template, 'AWS::CloudWatch::Dashboard')[0]?.[1].Properties);
    expect(dashboard).toContain('insightRule');
    expect(dashboard).toContain(`${PREFIX}-alerting-groups`);
    expect(dashboard).toContain('AccuracyAlertingModels');
  });
});

function allAlarmDescriptions(t: Template): string[] {
  return [
    ...resourcesOf(t, 'AWS::CloudWatch::Alarm'),
    ...resourcesOf(t, 'AWS::CloudWatch::CompositeAlarm'),
  ].map(([, r]: [string, CfnResource]) => String(r.Properties.AlarmDescription));
}

it('every alarm description fits CloudWatch (≤ 1024 characters)', () => {
  for (const description of allAlarmDescriptions(template))
    expect(description.length).toBeLessThanOrEqual(1024);
  const everyRule: readonly AlertRule[] = rules;
  expect(everyRule.length).toBe(13);
});
