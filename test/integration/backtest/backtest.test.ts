/**
 * A shortened alert backtest on a fixed seed: 20 trading days with every injected incident (ten), evaluated with
 * the rules of lib/alerting/rules.ts. Asserts the goals (detection, speed, one page per incident, nothing before
 * the evidence, quiet when thousands of model ids appear, bounded tracker cost, alerts per healthy day, false
 * positives), and that the committed bench/backtest.json has the agreed shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuleId } from '../../../lib/alerting/rules';
import { type BacktestResult, GOALS, INCIDENT_TEMPLATES, runBacktest } from '../../../scripts/backtest/index';

jest.setTimeout(600_000);

describe('alert backtest (20 trading days, seed 7)', () => {
  let result: BacktestResult;
  beforeAll(() => {
    result = runBacktest({ days: 20, seed: 7 });
  });

  it('injects every incident and detects each one it should, keeps the quiet one quiet', () => {
    expect(result.scenarios.map((s) => s.name)).toEqual(INCIDENT_TEMPLATES.map((t) => t.name));
    for (const scenario of result.scenarios) {
      if (scenario.expect === 'quiet') {
        expect({ name: scenario.name, notifications: scenario.notifications }).toEqual({
          name: scenario.name,
          notifications: 0,
        });
        continue;
      }
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

  it('pages each incident at most once (one incident, one page)', () => {
    for (const scenario of result.scenarios) {
      expect({ name: scenario.name, pages: scenario.pages }).toEqual({
        name: scenario.name,
        pages: Math.min(scenario.pages, GOALS.maxPagesPerIncident),
      });
    }
    // The 2 % burst that paged 4 times in 12 minutes (fast tier flapping) and the 20 % burst that paged 3 times
    // through the suppressor's 15-minute extension now page once each.
    for (const name of ['error burst 2 % for 1 h', 'error burst 20 % for 1 h']) {
      expect(result.scenarios.find((s) => s.name === name)?.pages).toBe(1);
    }
  });

  it('pages the 20 % error burst through the 14.4× tier within 5 minutes', () => {
    const burst = result.scenarios.find((s) => s.name.startsWith('error burst 20 %'));
    const fast = burst?.alertsByAlarm[`${RuleId.AVAILABILITY_SLO}-fast`];
    expect(fast).toBeDefined();
    expect(fast).toBeLessThanOrEqual(GOALS.fastBurnMinutes);
    expect(burst?.goal?.met).toBe(true);
  });

  it('pages one degraded model of three and one degraded symbol, never before the predictions resolve', () => {
    for (const prefix of ['model degradation, all models', 'one model of several', 'one symbol degrades']) {
      const scenario = result.scenarios.find((s) => s.name.startsWith(prefix));
      expect(scenario?.detectedBy).toBe(RuleId.ACCURACY);
      // Predictions made after the injection resolve an hour later: nothing can show before that.
      expect(scenario?.minutesToDetect).toBeGreaterThan(60);
      expect(scenario?.earlyAlerts).toBe(0);
    }
    const all = result.scenarios.find((s) => s.name.startsWith('model degradation, all models'));
    expect(all?.goal?.met).toBe(true);
  });

  it('stays quiet and bounded while thousands of model ids appear', () => {
    const growth = result.scenarios.find((s) => s.kind === 'model-id-growth');
    expect(growth?.keptQuiet).toBe(true);
    const cost = result.trackerCost;
    expect(cost.modelIdGrowth?.maxModels).toBeGreaterThanOrEqual(3_000);
    expect(cost.modelIdGrowth?.maxSeriesPerRun).toBe(cost.healthy.maxSeriesPerRun);
    expect(cost.modelIdGrowth?.maxStoredChars).toBeLessThan(300_000);
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

  it('shows sequential tests beside the alarm at the same (zero) false-positive rate', () => {
    expect(result.sequential.detectors.map((d) => d.detector)).toEqual(['cusum-vs-60', 'cusum-vs-baseline']);
    for (const detector of result.sequential.detectors) expect(detector.threshold).not.toBeNull();
    expect(Object.keys(result.sequential.alarm)).toHaveLength(3);
  });
});

describe('bench/backtest.json (the committed full run)', () => {
  it('holds scenarios (with pages per incident) and healthy figures with the agreed fields', () => {
    const file = join(__dirname, '..', '..', '..', 'bench', 'backtest.json');
    const bench = JSON.parse(readFileSync(file, 'utf8')) as BacktestResult;
    expect(bench.tradingDays).toBeGreaterThanOrEqual(60);
    expect(bench.scenarios.map((s) => s.name)).toEqual(INCIDENT_TEMPLATES.map((t) => t.name));
    for (const scenario of bench.scenarios) {
      expect(Object.keys(scenario)).toEqual(
        expect.arrayContaining([
          'name',
          'injectedAt',
          'detected',
          'detectedAt',
          'minutesToDetect',
          'clearedAt',
          'pages',
          'notifications',
        ]),
      );
    }
    for (const name of ['one model', 'one symbol']) {
      const scenario = bench.scenarios.find((s) => s.name.includes(name));
      expect({ name, detected: scenario?.detected }).toEqual({ name, detected: true });
      expect(scenario?.minutesToDetect).toBeGreaterThan(60);
    }
    expect(bench.healthy.falsePositives).toBe(0);
    expect(Object.keys(bench.healthy)).toEqual(expect.arrayContaining(['days', 'alerts', 'falsePositives']));
  });
});
