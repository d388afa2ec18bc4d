/**
 * Every alert rule of the product, typed, in one place. The CDK alarms (monitoring.ts, through alarm-plan.ts) and
 * the backtest (`npm run backtest`) both read `buildAlertRules(...)`, so what is deployed is what is backtested.
 * No CDK import here: the values are CloudFormation's own strings, usable by plain Node code.
 * The rules themselves live by concern: model-quality-rules, business-rules, platform-rules, slo-rules.
 */
import { type AlertParams, DEFAULT_ALERT_PARAMS } from './alert-params';
import { businessRules } from './business-rules';
import { modelQualityRules } from './model-quality-rules';
import { platformRules } from './platform-rules';
import { type AlertRule, AlertRuleError, type MetricRef, Placeholder } from './rule-types';
import { sloRules } from './slo-rules';

export * from './alert-params';
export * from './rule-types';
export { BURN_RATE_TIERS, burnRateSli, type SliMetric, tierThresholds } from './slo-rules';

/** All alert rules for the given parameters. */
export function buildAlertRules(params: AlertParams = DEFAULT_ALERT_PARAMS): readonly AlertRule[] {
  return [...modelQualityRules(params), ...businessRules(params), ...platformRules(), ...sloRules(params)];
}

export function findRule(rules: readonly AlertRule[], id: string): AlertRule {
  const rule = rules.find((candidate) => candidate.id === id);
  if (!rule) throw new AlertRuleError(`no alert rule "${id}"`);
  return rule;
}

/** Replaces placeholders in a metric's dimensions. */
export function resolveDimensions(
  metric: MetricRef,
  values: { service: string; function?: string; table?: string; symbol?: string },
): Record<string, string> {
  const replacements: Record<string, string | undefined> = {
    [Placeholder.SERVICE]: values.service,
    [Placeholder.FUNCTION]: values.function,
    [Placeholder.TABLE]: values.table,
    [Placeholder.SYMBOL]: values.symbol,
  };
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(metric.dimensions)) {
    const replacement = value in replacements ? replacements[value] : value;
    if (replacement === undefined) throw new AlertRuleError(`metric ${metric.name}: no value for ${value}`);
    resolved[key] = replacement;
  }
  return resolved;
}
