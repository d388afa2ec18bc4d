import { FUNCTION_NAMES } from '../../../../lambdas/shared/names/functions';
import { ProductMetric } from '../../../../lambdas/shared/names/metrics';
import { METRICS_NAMESPACE } from '../../../../layers/otel/src/constants';
import { burnRateThreshold } from '../../../../lib/alerting/burn-rate';
import {
  type AlertRule,
  BURN_RATE_TIERS,
  type BurnRateRule,
  buildAlertRules,
  DEFAULT_ALERT_PARAMS,
  type ExpressionRule,
  FanOut,
  findRule,
  type MetricRef,
  RuleId,
  resolveDimensions,
  Severity,
  type ThresholdRule,
  tierThresholds,
} from '../../../../lib/alerting/rules';

const rules = buildAlertRules();
const metricsOf = (rule: AlertRule): MetricRef[] =>
  rule.kind === 'threshold' ? [rule.metric] : rule.kind === 'expression' ? Object.values(rule.metrics) : [];

describe('alert rules: one typed definition', () => {
  it('has every alarm the spec and the issues ask for, with unique ids', () => {
    expect(rules.map((rule) => rule.id).sort()).toEqual(Object.values(RuleId).sort());
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
  });

  it('tells on-call what each alarm means and what to do first', () => {
    for (const rule of rules) {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.description.length).toBeGreaterThan(40);
      expect(rule.runbook.length).toBeGreaterThan(40);
    }
  });

  it('uses evaluation windows CloudWatch accepts', () => {
    for (const rule of rules) {
      if (rule.kind === 'burn-rate') continue;
      expect(rule.periodSeconds % 60).toBe(0);
      expect(rule.datapointsToAlarm).toBeGreaterThanOrEqual(1);
      expect(rule.datapointsToAlarm).toBeLessThanOrEqual(rule.evaluationPeriods);
      // PutMetricAlarm: period × evaluation periods ≤ 1 day below hourly periods, ≤ 7 days otherwise.
      const range = rule.periodSeconds * rule.evaluationPeriods;
      expect(range).toBeLessThanOrEqual(rule.periodSeconds < 3600 ? 86_400 : 604_800);
    }
    for (const tier of BURN_RATE_TIERS) {
      for (const minutes of [tier.longWindowMinutes, tier.shortWindowMinutes]) {
        expect(minutes * 60).toBeLessThanOrEqual(minutes < 60 ? 86_400 : 604_800);
      }
      expect(tier.longWindowMinutes).toBeGreaterThan(tier.shortWindowMinutes);
      // The workbook's rule of thumb: the short window is 1/12 of the long one.
      expect(tier.longWindowMinutes / tier.shortWindowMinutes).toBe(12);
    }
  });

  it('reads only metrics the product emits, with EMF dimension sets [Service] or [Service, X]', () => {
    const emitted = new Set<string>(Object.values(ProductMetric));
    for (const rule of rules) {
      for (const metric of metricsOf(rule)) {
        if (metric.namespace !== METRICS_NAMESPACE) continue;
        expect(emitted).toContain(metric.name);
        const dimensions = Object.keys(metric.dimensions);
        expect(dimensions[0]).toBe('Service');
        expect(dimensions.length).toBeLessThanOrEqual(2);
      }
    }
  });

  it('expressions use only their named metrics and stay within 10 metrics per alarm', () => {
    for (const rule of rules) {
      if (rule.kind !== 'expression') continue;
      const ids = Object.keys(rule.metrics);
      expect(ids.length).toBeLessThanOrEqual(10);
      const used = new Set(rule.expression.match(/\b[a-z][a-z0-9]*\b/g) ?? []);
      for (const id of ids) expect(used).toContain(id);
    }
  });

  it('lets only a critical alarm silence a warning, and only an existing one', () => {
    for (const rule of rules) {
      if (!rule.suppressedBy) continue;
      const suppressor = findRule(rules, rule.suppressedBy);
      expect(rule.severity).toBe(Severity.WARNING);
      expect(suppressor.severity).toBe(Severity.CRITICAL);
      expect(suppressor.suppressedBy).toBeUndefined();
    }
  });
});

describe('thresholds from the parameters', () => {
  it('accuracy: Wilson upper bound below 60 % with ≥ 30 overall, or any alerting model or symbol, critical', () => {
    const rule = findRule(rules, RuleId.ACCURACY) as ExpressionRule;
    expect(rule.severity).toBe(Severity.CRITICAL);
    expect(rule.expression).toBe(
      'IF(FILL(models, 0) + FILL(symbols, 0) >= 1 OR (FILL(n, 0) >= 60 AND FILL(ub, 100) < 60), 1, 0)',
    );
    expect(
      Object.fromEntries(Object.entries(rule.metrics).map(([id, m]) => [id, [m.name, m.statistic]])),
    ).toEqual({
      ub: ['DirectionalAccuracyUpperBound', 'Maximum'],
      n: ['ValidatedPredictions', 'Maximum'],
      models: ['AccuracyAlertingModels', 'Maximum'],
      symbols: ['AccuracyAlertingSymbols', 'Maximum'],
    });
    // Every metric it reads has the `[Service]` dimension set only: no per-model series, whatever callers send.
    for (const metric of Object.values(rule.metrics))
      expect(Object.keys(metric.dimensions)).toEqual(['Service']);
    expect([rule.periodSeconds, rule.evaluationPeriods, rule.datapointsToAlarm]).toEqual([900, 8, 1]);
    expect([rule.threshold, rule.comparison, rule.missingData]).toEqual([
      1,
      'GreaterThanOrEqualToThreshold',
      'notBreaching',
    ]);
    expect([rule.minSamples, rule.lookbackMinutes]).toEqual([60, 30]);
  });

  it('calibration: ECE above 0.15 with ≥ 150 overall, or any miscalibrated model or symbol, 2 of 4, a warning', () => {
    const rule = findRule(rules, RuleId.CALIBRATION) as ExpressionRule;
    expect(rule.severity).toBe(Severity.WARNING);
    expect(rule.expression).toBe(
      'IF(FILL(models, 0) + FILL(symbols, 0) >= 1, 1, IF(FILL(n, 0) >= 150, FILL(ece, 0), 0))',
    );
    expect(Object.fromEntries(Object.entries(rule.metrics).map(([id, m]) => [id, m.name]))).toEqual({
      ece: 'ExpectedCalibrationError',
      n: 'ValidatedPredictions',
      models: 'CalibrationAlertingModels',
      symbols: 'CalibrationAlertingSymbols',
    });
    expect([rule.threshold, rule.comparison]).toEqual([0.15, 'GreaterThanThreshold']);
    expect([rule.periodSeconds, rule.evaluationPeriods, rule.datapointsToAlarm]).toEqual([900, 4, 2]);
    expect([rule.minSamples, rule.suppressedBy, rule.missingData]).toEqual([
      150,
      RuleId.ACCURACY,
      'notBreaching',
    ]);
  });

  it('model-quality thresholds follow the parameters (and so the tracker’s settings)', () => {
    const custom = buildAlertRules({
      ...DEFAULT_ALERT_PARAMS,
      accuracyThresholdPct: 55,
      accuracyMinSamples: 40,
      eceThreshold: 0.2,
      eceMinSamples: 80,
    });
    expect((findRule(custom, RuleId.ACCURACY) as ExpressionRule).expression).toContain(
      'FILL(n, 0) >= 40 AND FILL(ub, 100) < 55',
    );
    const calibration = findRule(custom, RuleId.CALIBRATION) as ExpressionRule;
    expect(calibration.expression).toContain('FILL(n, 0) >= 80');
    expect(calibration.threshold).toBe(0.2);
  });

  it('cost: the stack budget is the threshold', () => {
    const rule = findRule(
      buildAlertRules({ ...DEFAULT_ALERT_PARAMS, tracingBudgetPerDay: 75 }),
      RuleId.TRACING_COST,
    );
    expect((rule as ThresholdRule).threshold).toBe(75);
    expect((rule as ThresholdRule).metric.name).toBe('EstimatedTracingCostPerDay');
  });

  it('market data freshness: the window is the configured lag, per watched symbol, a warning', () => {
    const params = { ...DEFAULT_ALERT_PARAMS, marketDataMaxLagMinutes: 10 };
    const rule = findRule(buildAlertRules(params), RuleId.MARKET_DATA_STALE) as ExpressionRule;
    expect(rule.periodSeconds).toBe(600);
    expect(rule.threshold).toBe(600);
    expect(rule.fanOut).toBe(FanOut.WATCHED_SYMBOL);
    expect(rule.severity).toBe(Severity.WARNING);
    expect(rule.expression).toContain('IF(open >= 1');
  });

  it('key age: older than 91 days (the 90-day rotation lands at a random hour of its due day), and a silent probe counts as breaching; it pages', () => {
    const rule = findRule(rules, RuleId.KEY_AGE) as ThresholdRule;
    expect([rule.threshold, rule.comparison, rule.missingData]).toEqual([
      91,
      'GreaterThanThreshold',
      'breaching',
    ]);
    // The safety net behind the rotation (issue 20): a rotation that did not happen pages.
    expect(rule.severity).toBe(Severity.CRITICAL);
  });

  it('rotation: any failed step or sweep in 15 minutes pages, once per 2 h of retries; no data is no failure', () => {
    const rule = findRule(rules, RuleId.KEY_ROTATION_FAILED) as ThresholdRule;
    expect([
      rule.metric.name,
      rule.metric.statistic,
      rule.periodSeconds,
      rule.evaluationPeriods,
      rule.datapointsToAlarm,
      rule.threshold,
      rule.comparison,
      rule.missingData,
      rule.severity,
    ]).toEqual([
      'IngestionKeyRotationFailures',
      'Sum',
      900,
      8,
      1,
      1,
      'GreaterThanOrEqualToThreshold',
      'notBreaching',
      'critical',
    ]);
  });

  it('burn rates: 99.9 % availability over all four functions, 95 % ≤ 500 ms without the demo', () => {
    const availability = findRule(rules, RuleId.AVAILABILITY_SLO) as BurnRateRule;
    const latency = findRule(rules, RuleId.LATENCY_SLO) as BurnRateRule;
    expect(availability.functions).toEqual([...FUNCTION_NAMES]);
    expect(latency.functions).not.toContain('observability-demo');
    expect(latency.sli).toEqual({ kind: 'latency', thresholdMs: 500 });
    expect(tierThresholds(availability).map((t) => [t.tier.name, t.threshold])).toEqual([
      ['fast', 0.0144],
      ['slow', 0.006],
      ['ticket', 0.003],
    ]);
    expect(tierThresholds(latency).map((t) => t.threshold)).toEqual([0.72, 0.3, 0.15]);
    expect(
      BURN_RATE_TIERS.map((t) => [t.factor, t.longWindowMinutes, t.shortWindowMinutes, t.severity]),
    ).toEqual([
      [14.4, 60, 5, 'critical'],
      [6, 360, 30, 'critical'],
      [3, 4320, 360, 'warning'],
    ]);
    expect(burnRateThreshold(availability.objective, 14.4)).toBe(0.0144);
  });
});

describe('dimension placeholders', () => {
  it('resolve per alarm and refuse a missing value', () => {
    const rule = findRule(rules, RuleId.MARKET_DATA_STALE) as ExpressionRule;
    const lag = rule.metrics.lag as MetricRef;
    expect(resolveDimensions(lag, { service: 'svc', symbol: 'AAPL' })).toEqual({
      Service: 'svc',
      Symbol: 'AAPL',
    });
    expect(() => resolveDimensions(lag, { service: 'svc' })).toThrow(/no value for \{symbol\}/);
  });
});
