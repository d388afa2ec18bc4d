import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { burnRateThreshold } from '../../../lib/alerting/burn-rate';
import { BURN_RATE_TIERS, type BurnRateRule, buildAlertRules } from '../../../lib/alerting/rules';

const runbook = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'runbook.md'), 'utf8');
const rules = buildAlertRules();

function section(id: string): string {
  const start = runbook.indexOf(`\n### ${id}\n`);
  if (start < 0) throw new Error(`docs/runbook.md has no section "### ${id}"`);
  const next = runbook.indexOf('\n##', start + 5);
  return runbook.slice(start, next < 0 ? undefined : next);
}

const percent = (ratio: number) => `${Number((ratio * 100).toPrecision(6))} %`;

describe('docs/runbook.md follows the rules', () => {
  it.each(rules.map((rule) => [rule.id, rule] as const))('%s: section, severity, first step', (id, rule) => {
    const text = section(id);
    expect(text).toContain('**First step:**');
    if (rule.kind === 'burn-rate') {
      const slo = rule as BurnRateRule;
      expect(text).toContain(`${Number((slo.objective * 100).toPrecision(6))} %`);
    } else {
      expect(text).toContain(`**${rule.severity}**`);
    }
  });

  it('states each single-metric threshold', () => {
    const expected: Record<string, string> = {
      'model-accuracy-low': 'IF(n >= 30 AND ub < 60, 1, 0)',
      'model-calibration-drift': '> 0.15',
      'tracing-cost-over-budget': '> 60 USD/day',
      'rankings-missing': 'IF(open >= 1 AND FILL(produced, 0) < 1, 1, 0)',
      'market-data-stale': '> 900 s',
      'ingestion-key-old': '> 91',
      'ingestion-key-rotation-failed': '≥ 1',
      'function-errors': '≥ 3',
      'function-throttles': '≥ 1',
      'function-duration-p95': '80 %',
      'dynamodb-throttles': '≥ 1',
    };
    for (const rule of rules) {
      if (rule.kind === 'burn-rate') continue;
      expect(section(rule.id)).toContain(expected[rule.id]);
      if (rule.kind === 'expression') expect(section(rule.id)).toContain(rule.expression);
    }
  });

  it('lists the burn-rate tiers with their thresholds', () => {
    const availability = section('availability-slo');
    for (const tier of BURN_RATE_TIERS) {
      expect(availability).toContain(`${tier.factor}×`);
      expect(availability).toContain(percent(burnRateThreshold(0.999, tier.factor)));
      expect(availability).toContain(`${tier.minSamples.long} / ${tier.minSamples.short}`);
    }
    const latency = section('latency-slo');
    for (const tier of BURN_RATE_TIERS)
      expect(latency).toContain(percent(burnRateThreshold(0.95, tier.factor)));
  });
});
