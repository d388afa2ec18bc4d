/**
 * A shortened alert backtest on a fixed seed: 15 trading days with every injected incident, evaluated with the
 * rules of lib/alerting/rules.ts. Asserts the goals of issue 12 (detection, speed, alerts per healthy day, false
 * positives), and that the committed bench/backtest.json has the agreed shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuleId } from '../../../lib/alerting/rules';
import { type BacktestResult, GOALS, INCIDENT_TEMPLATES, runBacktest } from '../../../scripts/backtest/index';

describe('alert backtest (15 trading days, seed 7)', () => {
  let result: BacktestResult;
  beforeAll(() => {
    result = runBacktest({ days: 15, seed: 7 });
  });

  it('injects every incident and detects each one', () => {
    expect(result.scenarios.map((s) => s.name)).toEqual(INCIDENT_TEMPLATES.map((t) => t.name));
    for (const scenario of result.scenarios) {
      expect({ name: scenario.name, detected: scenario.detected }).toEqual({
        name: scenario.name,
        detected: true,
      });
      expect(scenario.minutesToDetect).toBeGreaterThanOrEqual(0);
      expect(Date.parse(scenario.detectedAt as string)).toBeGreaterThanOrEqual(
        Date.parse(scenario.injectedAt),
      );
      expect(scenario.clearedAt).not.toBeNull();
    }
  });

  it('pages the 20 % error burst through the 14.4× tier within 5 minutes', () => {
    const burst = result.scenarios.find((s) => s.name.startsWith('error burst 20 %'));
    const fast = burst?.alertsByAlarm[`${RuleId.AVAILABILITY_SLO}-fast`];
    expect(fast).toBeDefined();
    expect(fast).toBeLessThanOrEqual(GOALS.fastBurnMinutes);
    expect(burst?.goal?.met).toBe(true);
  });

  it('detects the model degradation once the validation window holds the minimum sample of it, not before', () => {
    const degradation = result.scenarios.find((s) => s.kind === 'model-degradation');
    expect(degradation?.detectedBy).toBe(RuleId.ACCURACY);
    expect(degradation?.goal?.met).toBe(true);
    // Predictions made after the injection resolve an hour later: nothing can show before that.
    expect(degradation?.minutesToDetect).toBeGreaterThan(60);
  });

  it('keeps healthy days quiet: ≤ 2 alerts a day, false positives < 5 % of all alerts', () => {
    expect(result.healthy.days).toBeGreaterThanOrEqual(3);
    expect(result.healthy.alertsPerDay).toBeLessThanOrEqual(GOALS.maxAlertsPerHealthyDay);
    expect(result.totals.falsePositiveRate ?? 0).toBeLessThan(GOALS.maxFalsePositiveRate);
    expect(Object.values(result.goals).every(Boolean)).toBe(true);
  });

  it('each alert belongs to an incident or is counted as a false positive', () => {
    const unattributed = result.alerts.filter((alert) => alert.incident === null).length;
    expect(unattributed).toBe(result.totals.falsePositives);
    expect(result.totals.alerts).toBe(result.alerts.length);
  });
});

describe('bench/backtest.json (the committed full run)', () => {
  it('holds scenarios and healthy figures with the agreed fields', () => {
    const file = join(__dirname, '..', '..', '..', 'bench', 'backtest.json');
    const bench = JSON.parse(readFileSync(file, 'utf8')) as BacktestResult;
    expect(bench.tradingDays).toBeGreaterThanOrEqual(60);
    expect(bench.scenarios.length).toBe(INCIDENT_TEMPLATES.length);
    for (const scenario of bench.scenarios) {
      expect(Object.keys(scenario)).toEqual(
        expect.arrayContaining([
          'name',
          'injectedAt',
          'detected',
          'detectedAt',
          'minutesToDetect',
          'clearedAt',
        ]),
      );
    }
    expect(Object.keys(bench.healthy)).toEqual(expect.arrayContaining(['days', 'alerts', 'falsePositives']));
  });
});
