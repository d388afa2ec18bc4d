import { readFileSync } from 'node:fs';
import { describeAlertRule, describeRule, duration } from '../../../lib/alerting/rule-docs';
import { buildAlertRules, DEFAULT_ALERT_PARAMS, RuleId } from '../../../lib/alerting/rules';
import { RUNBOOK_PATH, RunbookError, renderRunbook } from '../../../scripts/runbook';

const runbook = readFileSync(RUNBOOK_PATH, 'utf8');
const rules = buildAlertRules();

function section(id: string): string {
  const start = runbook.indexOf(`\n### ${id}\n`);
  if (start < 0) throw new Error(`docs/runbook.md has no section "### ${id}"`);
  const next = runbook.indexOf('\n##', start + 5);
  return runbook.slice(start, next < 0 ? undefined : next);
}

describe('docs/runbook.md states the rules as they are', () => {
  it('holds every rule statement exactly as generated from the rules (npm run runbook)', () => {
    expect(renderRunbook(runbook, rules)).toBe(runbook);
  });

  it.each(rules.map((rule) => [rule.id, rule] as const))(
    '%s: its section, statement and first step',
    (id, rule) => {
      const text = section(id);
      expect(text).toContain(describeAlertRule(rule));
      expect(text).toMatch(/\*\*First step( — [^*]+)?:\*\*/);
    },
  );

  it('says how a model-quality page names the failing model or symbol', () => {
    for (const id of [RuleId.ACCURACY, RuleId.CALIBRATION]) {
      expect(section(id)).toContain('alerting-groups');
      expect(section(id)).toMatch(/summary\.alerts|calibrationAlerts/);
    }
  });

  it('refuses a runbook without a rule’s section or block, instead of skipping it', () => {
    expect(() => renderRunbook('# empty\n', rules)).toThrow(RunbookError);
    expect(() => renderRunbook(`\n### ${RuleId.KEY_AGE}\n\nno block\n`, rules)).toThrow(RunbookError);
  });
});

describe('the generated statements carry the numbers (independent of the generator’s wording)', () => {
  const single = rules.filter(
    (rule): rule is Parameters<typeof describeRule>[0] => rule.kind !== 'burn-rate',
  );

  it.each(single.map((rule) => [rule.id, rule] as const))('%s: threshold, M of N, period', (_id, rule) => {
    const text = describeRule(rule);
    expect(text).toContain(`**${rule.severity}**`);
    expect(text).toContain(`${rule.datapointsToAlarm} of ${rule.evaluationPeriods} datapoints`);
    expect(text).toContain(`period ${duration(rule.periodSeconds / 60)}`);
    if (rule.kind === 'expression') expect(text).toContain(`\`${rule.expression}\``);
  });

  it('pins the calibration and accuracy parameters as written', () => {
    const calibration = describeRule(
      rules.find((rule) => rule.id === RuleId.CALIBRATION) as Parameters<typeof describeRule>[0],
    );
    expect(calibration).toContain('> 0.15');
    expect(calibration).toContain('2 of 4 datapoints');
    expect(calibration).toContain('silenced while `model-accuracy-low` fires');
    const accuracy = describeRule(
      rules.find((rule) => rule.id === RuleId.ACCURACY) as Parameters<typeof describeRule>[0],
    );
    expect(accuracy).toContain('≥ 1');
    expect(accuracy).toContain('1 of 8 datapoints');
    expect(accuracy).toContain('FILL(n, 0) >= 60 AND FILL(ub, 100) < 60');
    expect(DEFAULT_ALERT_PARAMS.accuracyThresholdPct).toBe(60);
  });

  it('lists the burn-rate tiers with their thresholds and minimum events', () => {
    const availability = describeAlertRule(
      rules.find((rule) => rule.id === RuleId.AVAILABILITY_SLO) as Parameters<typeof describeAlertRule>[0],
    );
    // Cells as a reader sees them (the generator pads columns as the formatter does).
    const row = (tier: string) =>
      availability
        .split('\n')
        .find((line) => line.startsWith(`| ${tier} `))
        ?.split('|')
        .map((cell) => cell.trim())
        .filter(Boolean);
    // The fast tier's short window clears after 3 clean 5-minute periods (recovery hysteresis).
    expect(row('fast')).toEqual([
      'fast',
      '14.4×',
      '1 h',
      '5 min',
      '15 min',
      '1.44 %',
      '100 / 3',
      'critical',
      '—',
    ]);
    expect(row('slow')).toEqual([
      'slow',
      '6×',
      '6 h',
      '30 min',
      '30 min',
      '0.6 %',
      '400 / 5',
      'critical',
      'fast',
    ]);
    expect(row('ticket')).toEqual([
      'ticket',
      '3×',
      '3 days',
      '6 h',
      '6 h',
      '0.3 %',
      '1000 / 500',
      'warning',
      'fast or slow',
    ]);
    const latency = describeAlertRule(
      rules.find((rule) => rule.id === RuleId.LATENCY_SLO) as Parameters<typeof describeAlertRule>[0],
    );
    expect(latency).toMatch(/\| 72 % +\|/);
    expect(latency).toContain('SLO 95 % over 30 days');
  });

  it('writes durations as a person does', () => {
    expect([duration(5), duration(60), duration(360), duration(1440), duration(4320)]).toEqual([
      '5 min',
      '1 h',
      '6 h',
      '1 day',
      '3 days',
    ]);
  });
});
