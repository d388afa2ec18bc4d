import fc from 'fast-check';
import {
  budgetConsumed,
  burnRate,
  burnRateThreshold,
  errorBudget,
  SloObjectiveError,
  tierFires,
  windowBadRatio,
  windowBreaches,
} from '../../../../lib/alerting/burn-rate';
import { BURN_RATE_TIERS } from '../../../../lib/alerting/rules';

const SLO = 0.999;
const [fast, slow, ticket] = BURN_RATE_TIERS;

describe('error budget and burn-rate thresholds', () => {
  it('99.9 % leaves a 0.1 % budget; 99.5 % leaves 0.5 %', () => {
    expect(errorBudget(0.999)).toBe(0.001);
    expect(errorBudget(0.995)).toBe(0.005);
  });

  it('threshold = factor × (1 − SLO): 14.4× → 1.44 %, 6× → 0.6 %, 1× → 0.1 %', () => {
    expect(burnRateThreshold(SLO, 14.4)).toBe(0.0144);
    expect(burnRateThreshold(SLO, 6)).toBe(0.006);
    expect(burnRateThreshold(SLO, 1)).toBe(0.001);
    // The latency SLO (95 % of invocations ≤ 500 ms): the fast tier fires at 72 % slow invocations.
    expect(burnRateThreshold(0.95, 14.4)).toBe(0.72);
  });

  it('rejects objectives outside (0, 1)', () => {
    expect(() => errorBudget(1)).toThrow(SloObjectiveError);
    expect(() => errorBudget(0)).toThrow(SloObjectiveError);
    expect(() => errorBudget(99.9)).toThrow(/strictly between 0 and 1/);
  });

  it('the workbook tiers spend 2 %, 5 % and 10 % of a 30-day budget before firing', () => {
    expect(budgetConsumed(14.4, 60, 30)).toBe(0.02);
    expect(budgetConsumed(6, 360, 30)).toBe(0.05);
    expect(budgetConsumed(1, 3 * 24 * 60, 30)).toBe(0.1);
  });

  it('burn rate of an observed ratio', () => {
    expect(burnRate(0.0144, SLO)).toBe(14.4);
    expect(burnRate(0.01, SLO)).toBe(10);
    expect(burnRate(0, SLO)).toBe(0);
  });
});

describe('the 14.4× tier for 99.9 % over 30 days', () => {
  const window = (ratio: number, total = 10_000) => ({ bad: Math.round(ratio * total), total });

  it('fires at an error ratio of 1.44 % in both windows', () => {
    expect(fast?.factor).toBe(14.4);
    if (!fast) throw new Error('no fast tier');
    expect(tierFires(fast, SLO, { long: window(0.0144), short: window(0.0144) })).toBe(true);
    expect(tierFires(fast, SLO, { long: window(0.02), short: window(0.2) })).toBe(true);
  });

  it('does not fire at 1.0 %, nor at 1.43 %', () => {
    if (!fast) throw new Error('no fast tier');
    expect(tierFires(fast, SLO, { long: window(0.01), short: window(0.01) })).toBe(false);
    expect(tierFires(fast, SLO, { long: window(0.0143), short: window(0.0143) })).toBe(false);
  });

  it('needs both windows: a finished burst (long high, short clean) does not page', () => {
    if (!fast) throw new Error('no fast tier');
    expect(tierFires(fast, SLO, { long: window(0.05), short: window(0) })).toBe(false);
    expect(tierFires(fast, SLO, { long: window(0.005), short: window(0.5) })).toBe(false);
  });

  it('a 20 % error burst at 100 calls a minute trips the fast tier in the 5th minute (1.44 % of the hour is 4.3 minutes of it)', () => {
    if (!fast) throw new Error('no fast tier');
    // 100 invocations a minute; the burst starts at minute 0 after a clean hour.
    const perMinute = 100;
    let firstMinute: number | null = null;
    for (let minute = 1; minute <= 60 && firstMinute === null; minute += 1) {
      const badLong = Math.min(minute, 60) * perMinute * 0.2;
      const badShort = Math.min(minute, 5) * perMinute * 0.2;
      const long = { bad: badLong, total: 60 * perMinute };
      const short = { bad: badShort, total: 5 * perMinute };
      if (tierFires(fast, SLO, { long, short })) firstMinute = minute;
    }
    expect(firstMinute).toBe(5);
  });

  it('windows below the minimum sample never breach (one failure out of two calls does not page)', () => {
    if (!fast) throw new Error('no fast tier');
    expect(windowBadRatio({ bad: 1, total: 2 }, fast.minSamples.short)).toBeNull();
    expect(windowBreaches({ bad: 1, total: 2 }, SLO, fast.factor, fast.minSamples.short)).toBe(false);
    expect(windowBadRatio({ bad: 0, total: 0 }, 0)).toBeNull();
    expect(windowBreaches({ bad: 3, total: 3 }, SLO, fast.factor, fast.minSamples.short)).toBe(true);
  });

  it('property: a tier fires exactly when both gated ratios reach factor × budget', () => {
    if (!fast || !slow || !ticket) throw new Error('tiers missing');
    const counts = fc.record({
      total: fc.integer({ min: 0, max: 5000 }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.constantFrom(fast, slow, ticket), counts, counts, (tier, l, s) => {
        const long = { total: l.total, bad: Math.floor(l.total * l.share) };
        const short = { total: s.total, bad: Math.floor(s.total * s.share) };
        const threshold = tier.factor * 0.001;
        const expected =
          long.total >= Math.max(1, tier.minSamples.long) &&
          short.total >= Math.max(1, tier.minSamples.short) &&
          long.bad / long.total >= threshold - 1e-12 &&
          short.bad / short.total >= threshold - 1e-12;
        expect(tierFires(tier, SLO, { long, short })).toBe(expected);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
