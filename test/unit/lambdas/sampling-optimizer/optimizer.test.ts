import { SAMPLING_CATEGORIES, SamplingCategory } from '@trading-observability/otel';
import fc from 'fast-check';
import { bytesInWindowForCost, projectedCostPerDay } from '../../../../lambdas/sampling-optimizer/cost';
import {
  DEFAULT_FLOORS,
  DEFAULT_POLICY,
  LOWERING_ORDER,
  normalizePolicy,
  type OptimizerResult,
  optimizeSampling,
  type Probabilities,
} from '../../../../lambdas/sampling-optimizer/optimizer';
import {
  configWith,
  DEFAULTS,
  HEAVY,
  scaled,
  volumesAt,
  type Workload,
} from '../../../support/optimizer-workload';

const WINDOW = 900;
const TARGET_BYTES = bytesInWindowForCost(48, WINDOW, 0.4) ?? 0;
const degraded = { degraded: true, alert: 1, upperBoundPct: 52 };

function run(
  workload: Workload,
  p: Probabilities,
  accuracy = { degraded: false, alert: 0, upperBoundPct: 70 },
) {
  return optimizeSampling({
    volumes: volumesAt(workload, p),
    windowSeconds: WINDOW,
    current: configWith(p),
    accuracy,
  });
}

/** Feeds each run's probabilities back as the next window's (a steady workload), `runs` times. */
function simulate(workload: Workload, start: Probabilities, runs: number, accuracy?: typeof degraded) {
  const history: OptimizerResult[] = [];
  let p = start;
  for (let i = 0; i < runs; i++) {
    const result = run(workload, p, accuracy);
    history.push(result);
    p = result.probabilities;
  }
  return history;
}

describe('optimizeSampling: over budget', () => {
  const result = run(HEAVY, DEFAULTS);

  it('projects the observed cost at the current probabilities', () => {
    const exported = SAMPLING_CATEGORIES.reduce(
      (s, c) => s + (volumesAt(HEAVY, DEFAULTS)[c]?.exportedBytes ?? 0),
      0,
    );
    expect(result.projection.costPerDayBefore).toBeCloseTo(
      projectedCostPerDay(exported, WINDOW, 0.4) ?? 0,
      6,
    );
    expect(result.projection.costPerDayBefore).toBeGreaterThan(80);
    expect(result.projection.costPerDayUnsampled).toBeCloseTo(460.8, 6);
  });

  it('lowers the lowest-value categories first, each at most ÷2, and reaches the target', () => {
    expect(result.changed).toBe(true);
    expect(result.mode).toBe('lower');
    // noise, market_data, invocation and ml_validation hit their ÷2 step; trading pays only the rest.
    expect(result.probabilities.noise).toBe(0.025);
    expect(result.probabilities.market_data).toBe(0.05);
    expect(result.probabilities.invocation).toBe(0.125);
    expect(result.probabilities.ml_validation).toBe(0.125);
    expect(result.probabilities.trading).toBeGreaterThan(0.25);
    expect(result.probabilities.trading).toBeLessThan(0.5);
    expect(result.projection.costPerDayAfter).toBeCloseTo(48, 1);
    expect(result.reason).toMatch(/above .*target.*lowered noise 0.05→0.025/);
    expect(result.reason).toMatch(/Errors and high-value spans are always kept/);
  });

  it('a moderate excess touches only the low-value categories', () => {
    const moderate = run(scaled(HEAVY, 0.65), DEFAULTS);
    expect(moderate.probabilities.noise).toBeLessThan(DEFAULTS.noise);
    expect(moderate.probabilities.trading).toBe(DEFAULTS.trading);
    expect(moderate.probabilities.ml_validation).toBe(DEFAULTS.ml_validation);
    expect(moderate.projection.costPerDayAfter).toBeCloseTo(48, 1);
  });

  it('never projects below the always-kept bytes (errors and high-value are not sampled away)', () => {
    const errorHeavy: Workload = scaled({ ...HEAVY }, 1);
    for (const c of SAMPLING_CATEGORIES)
      (errorHeavy as Record<string, { keptShare: number }>)[c] = { ...HEAVY[c], keptShare: 0.3 };
    const history = simulate(errorHeavy, DEFAULTS, 12);
    const last = history.at(-1) as OptimizerResult;
    const kept = SAMPLING_CATEGORIES.reduce((s, c) => s + last.categories[c].alwaysKeptBytes, 0);
    expect(kept).toBeGreaterThan(0.29 * 12e9);
    expect(last.projection.projectedBytes).toBeGreaterThanOrEqual(kept);
    // Everything that may be lowered is at its floor, and the reason says the budget cannot be met.
    for (const c of SAMPLING_CATEGORIES) expect(last.probabilities[c]).toBe(DEFAULT_FLOORS[c]);
    expect(last.reason).toMatch(/at its floor/);
    expect(last.projection.withinBudget).toBe(false);
  });

  it('respects the floors on any workload (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.record({
          trading: fc.double({ min: 0.1, max: 1, noNaN: true }),
          ml_validation: fc.double({ min: 0.05, max: 1, noNaN: true }),
          market_data: fc.double({ min: 0.01, max: 1, noNaN: true }),
          invocation: fc.double({ min: 0.01, max: 1, noNaN: true }),
          noise: fc.double({ min: 0.01, max: 1, noNaN: true }),
        }),
        fc.boolean(),
        (factor, p, isDegraded) => {
          const result = run(scaled(HEAVY, factor), p, isDegraded ? degraded : undefined);
          for (const c of SAMPLING_CATEGORIES) {
            const to = result.probabilities[c];
            expect(to).toBeGreaterThanOrEqual(DEFAULT_FLOORS[c]);
            expect(to).toBeLessThanOrEqual(1);
            // Damping: never more than ÷2 or ×2 in one run (floors aside).
            expect(to).toBeGreaterThanOrEqual(Math.max(DEFAULT_FLOORS[c], p[c] / 2) - 1e-4);
            expect(to).toBeLessThanOrEqual(p[c] * 2 + 1e-4);
          }
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('optimizeSampling: accuracy (performance-driven sampling)', () => {
  it('degraded accuracy doubles ml_validation; the others pay for it', () => {
    const near = scaled(HEAVY, 0.55); // ≈ $46/day at the defaults: inside the dead band
    const result = run(near, DEFAULTS, degraded);
    expect(result.probabilities.ml_validation).toBe(0.5);
    expect(result.categories.ml_validation.action).toBe('boosted');
    expect(result.reason).toMatch(/accuracy is degraded \(the accuracy alert fired\)/);
    // The boost pushed the projection over the band: lower-value categories were lowered, never ML.
    expect(result.probabilities.noise).toBeLessThan(DEFAULTS.noise);
    expect(result.projection.costPerDayAfter).toBeLessThanOrEqual(48 * 1.1 + 1e-6);
  });

  it('a Wilson upper bound below 60 % alone is degradation too, and ML goes up to 1 over runs', () => {
    const signal = { degraded: true, alert: 0, upperBoundPct: 55.5 };
    const history = simulate(scaled(HEAVY, 0.1), DEFAULTS, 4, signal);
    expect(history[0]?.reason).toMatch(/upper bound is 55.5 %/);
    expect(history.map((r) => r.probabilities.ml_validation)).toEqual([0.5, 1, 1, 1]);
    expect(history[2]?.reason).toMatch(/already at its ceiling/);
  });

  it('ML is never lowered to pay for the budget while accuracy is degraded', () => {
    const history = simulate(HEAVY, DEFAULTS, 8, degraded);
    for (const result of history) {
      expect(result.probabilities.ml_validation).toBeGreaterThanOrEqual(result.categories.ml_validation.from);
    }
  });

  it('once accuracy recovers, ml_validation steps back to its baseline', () => {
    const boosted = { ...DEFAULTS, ml_validation: 1 };
    const history = simulate(scaled(HEAVY, 0.1), boosted, 4);
    expect(history.map((r) => r.probabilities.ml_validation)).toEqual([0.5, 0.25, 0.25, 0.25]);
    expect(history[0]?.categories.ml_validation.action).toBe('released');
  });
});

describe('optimizeSampling: under budget and damping', () => {
  const lowered: Probabilities = {
    trading: 0.1,
    ml_validation: 0.05,
    market_data: 0.01,
    invocation: 0.01,
    noise: 0.01,
  };

  it('raises back toward the defaults slowly (≤ ×1.25 per run), most valuable first, never past the defaults', () => {
    const light = scaled(HEAVY, 0.05); // ≈ $4/day at the defaults
    const result = run(light, lowered);
    expect(result.mode).toBe('raise');
    for (const c of SAMPLING_CATEGORIES) expect(result.probabilities[c]).toBeCloseTo(lowered[c] * 1.25, 4);
    const history = simulate(light, lowered, 40);
    const last = history.at(-1) as OptimizerResult;
    expect(last.probabilities).toEqual(DEFAULTS);
    expect(last.changed).toBe(false);
  });

  it('does not raise past the target: trading is raised first and the rest waits', () => {
    const tight = scaled(HEAVY, 0.6); // the defaults would project ≈ $50.7/day: not all of them fit under $48
    const history = simulate(tight, lowered, 30);
    for (const r of history) expect(r.projection.costPerDayAfter ?? 0).toBeLessThanOrEqual(48 + 1e-6);
    const last = history.at(-1) as OptimizerResult;
    expect(last.probabilities.trading).toBe(DEFAULTS.trading);
    expect(last.probabilities.noise).toBeLessThan(DEFAULTS.noise);
  });

  it.each([
    ['heavy from the defaults', HEAVY, DEFAULTS],
    [
      'heavy from the floors',
      HEAVY,
      { trading: 0.1, ml_validation: 0.05, market_data: 0.01, invocation: 0.01, noise: 0.01 },
    ],
    [
      'light from the floors',
      scaled(HEAVY, 0.3),
      { trading: 0.1, ml_validation: 0.05, market_data: 0.01, invocation: 0.01, noise: 0.01 },
    ],
    [
      '2× heavy from all ones',
      scaled(HEAVY, 2),
      { trading: 1, ml_validation: 1, market_data: 1, invocation: 1, noise: 1 },
    ],
  ] as const)('%s: converges and then stays (no flapping)', (_label, workload, start) => {
    const history = simulate(workload, start, 40);
    const firstStable = history.findIndex((r) => !r.changed);
    expect(firstStable).toBeGreaterThanOrEqual(0);
    expect(firstStable).toBeLessThan(20);
    // Once stable, stable for good.
    for (const r of history.slice(firstStable)) expect(r.changed).toBe(false);
    // Every category moves in one direction only.
    for (const c of SAMPLING_CATEGORIES) {
      const steps = history
        .map((r) => Math.sign(r.probabilities[c] - r.categories[c].from))
        .filter((s) => s !== 0);
      expect(new Set(steps).size).toBeLessThanOrEqual(1);
    }
    const cost = history.at(-1)?.projection.costPerDayAfter ?? 0;
    expect(cost).toBeLessThanOrEqual(48 * 1.1 + 1e-6);
  });

  it('within ±10 % of the target nothing changes', () => {
    // Scale HEAVY so the default probabilities project exactly 47 $/day (inside 43.2–52.8).
    const base = run(HEAVY, DEFAULTS).projection.costPerDayBefore ?? 1;
    const result = run(scaled(HEAVY, 47 / base), DEFAULTS);
    expect(result.projection.costPerDayBefore).toBeCloseTo(47, 6);
    expect(result.changed).toBe(false);
    expect(result.mode).toBe('hold');
    expect(result.reason).toMatch(/within 90 %–110 % of the \$48.00\/day target/);
  });

  it('lowering order is noise, market_data, invocation, ml_validation, trading', () => {
    expect(LOWERING_ORDER).toEqual([
      SamplingCategory.NOISE,
      SamplingCategory.MARKET_DATA,
      SamplingCategory.INVOCATION,
      SamplingCategory.ML_VALIDATION,
      SamplingCategory.TRADING,
    ]);
  });
});

describe('optimizeSampling: no data and bad input', () => {
  it('no volume at all keeps the configuration and says why', () => {
    const result = optimizeSampling({ volumes: {}, windowSeconds: WINDOW, current: configWith(DEFAULTS, 7) });
    expect(result.changed).toBe(false);
    expect(result.mode).toBe('no_data');
    expect(result.probabilities).toEqual(DEFAULTS);
    expect(result.reason).toMatch(/No span volume in the last 15 minutes.*kept version 7/);
    expect(result.projection.volumeReductionPct).toBeNull();
  });

  it('NaN, negative and infinite volumes read as 0 with warnings; a zero window falls back to 900 s', () => {
    const result = optimizeSampling({
      volumes: {
        trading: {
          startedSpans: Number.NaN,
          exportedSpans: -1,
          startedBytes: 1e9,
          exportedBytes: Number.POSITIVE_INFINITY,
        },
      },
      windowSeconds: 0,
      current: configWith(DEFAULTS),
    });
    expect(result.projection.windowSeconds).toBe(900);
    expect(result.warnings.some((w) => w.includes('windowSeconds 0'))).toBe(true);
    expect(result.warnings.some((w) => w.includes('trading.startedSpans NaN'))).toBe(true);
    expect(result.warnings.some((w) => w.includes('trading.exportedBytes Infinity'))).toBe(true);
    for (const value of Object.values(result.projection)) {
      if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
    }
    expect(result.categories.trading.exportedBytes).toBe(0);
  });

  it('invalid current probabilities are read as the baseline, with a warning', () => {
    const result = optimizeSampling({
      volumes: volumesAt(scaled(HEAVY, 0.55), DEFAULTS),
      windowSeconds: WINDOW,
      current: configWith({ ...DEFAULTS, noise: Number.NaN, trading: 3 }),
    });
    expect(result.warnings.filter((w) => w.startsWith('current probability'))).toHaveLength(2);
    expect(result.categories.noise.from).toBe(DEFAULTS.noise);
    expect(result.categories.trading.from).toBe(DEFAULTS.trading);
  });

  it('bad policy values are normalised with warnings', () => {
    const warnings: string[] = [];
    const policy = normalizePolicy(
      {
        budgetPerDay: Number.NaN,
        pricePerGb: -1,
        targetFraction: 2,
        deadBand: 0,
        maxStepFactor: 1,
        floors: { ...DEFAULT_FLOORS, trading: 1.5, noise: 0.2 },
        ceilings: { ...DEFAULT_POLICY.ceilings, noise: 0.1 },
      },
      warnings,
    );
    expect(policy.budgetPerDay).toBe(60);
    expect(policy.pricePerGb).toBe(0.4);
    expect(policy.targetFraction).toBe(0.8);
    expect(policy.deadBand).toBe(0.1);
    expect(policy.maxStepFactor).toBe(2);
    expect(policy.floors.trading).toBe(0.1);
    expect(policy.floors.noise).toBe(0.1); // floor above its ceiling: the ceiling
    expect(warnings).toHaveLength(7);
  });

  it('a configuration outside its limits is brought inside', () => {
    const result = run(scaled(HEAVY, 0.4), { ...DEFAULTS, trading: 0.01 });
    expect(result.probabilities.trading).toBe(0.1);
    expect(result.categories.trading.action).toBe('clamped');
  });

  it('target bytes match the budget maths', () => {
    expect(TARGET_BYTES).toBeCloseTo(1.25e9, 0);
  });
});

describe('optimizeSampling: no spurious versions', () => {
  it('no data never changes anything, even a configuration outside its limits', () => {
    const odd = { ...DEFAULTS, trading: 0.01 };
    const result = optimizeSampling({ volumes: {}, windowSeconds: WINDOW, current: configWith(odd) });
    expect(result.changed).toBe(false);
    expect(result.probabilities).toEqual(odd);
  });

  it('rounding a hand-written probability is not a change', () => {
    const base = run(HEAVY, DEFAULTS).projection.costPerDayBefore ?? 1;
    const precise = { ...DEFAULTS, trading: 0.50004 };
    const result = run(scaled(HEAVY, 47 / base), precise);
    expect(result.changed).toBe(false);
    expect(result.probabilities.trading).toBe(0.50004);
  });
});
