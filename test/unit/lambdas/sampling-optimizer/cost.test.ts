import {
  BYTES_PER_GB,
  bytesInWindowForCost,
  bytesPerDay,
  DEFAULT_BUDGET_PER_DAY,
  DEFAULT_PRICE_PER_GB,
  formatCostPerDay,
  projectedCostPerDay,
  roundMoney,
} from '../../../../lambdas/sampling-optimizer/cost';

describe('tracing cost projection', () => {
  it('defaults: SigNoz Cloud traces $0.40/GB, budget $60/day', () => {
    expect(DEFAULT_PRICE_PER_GB).toBe(0.4);
    expect(DEFAULT_BUDGET_PER_DAY).toBe(60);
    expect(BYTES_PER_GB).toBe(1e9);
  });

  it('bytes/window × 86400/windowSeconds / 1e9 × $/GB', () => {
    // 1.5 GB in 15 minutes → 144 GB/day → $57.60/day at $0.40.
    expect(projectedCostPerDay(1.5e9, 900, 0.4)).toBeCloseTo(57.6, 10);
    // 1 GB in a day-long window at $0.40 → $0.40.
    expect(projectedCostPerDay(1e9, 86_400, 0.4)).toBeCloseTo(0.4, 12);
    // 10 MB in 5 minutes → 2.88 GB/day → $1.152.
    expect(projectedCostPerDay(10e6, 300, 0.4)).toBeCloseTo(1.152, 10);
    expect(bytesPerDay(1000, 900)).toBe(96_000);
  });

  it('is the inverse of bytesInWindowForCost', () => {
    const bytes = bytesInWindowForCost(48, 900, 0.4);
    expect(bytes).toBeCloseTo(1.25e9, 0);
    expect(projectedCostPerDay(bytes ?? 0, 900, 0.4)).toBeCloseTo(48, 10);
  });

  it('undefined results are null, never NaN or Infinity', () => {
    expect(projectedCostPerDay(1e9, 0, 0.4)).toBeNull();
    expect(projectedCostPerDay(1e9, Number.NaN, 0.4)).toBeNull();
    expect(projectedCostPerDay(1e9, -60, 0.4)).toBeNull();
    expect(projectedCostPerDay(1e9, 900, Number.NaN)).toBeNull();
    expect(projectedCostPerDay(1e9, 900, -1)).toBeNull();
    expect(bytesInWindowForCost(48, 900, 0)).toBeNull();
    expect(bytesInWindowForCost(Number.POSITIVE_INFINITY, 900, 0.4)).toBeNull();
    // Bad byte counts read as none.
    expect(projectedCostPerDay(Number.NaN, 900, 0.4)).toBe(0);
    expect(projectedCostPerDay(-5, 900, 0.4)).toBe(0);
  });

  it('rounds and formats money readably', () => {
    expect(roundMoney(57.604)).toBe(57.6);
    expect(roundMoney(0.000123456)).toBe(0.000123);
    expect(roundMoney(null)).toBeNull();
    expect(roundMoney(Number.NaN)).toBeNull();
    expect(formatCostPerDay(57.6)).toBe('$57.60/day');
    expect(formatCostPerDay(0)).toBe('$0.00/day');
    expect(formatCostPerDay(0.000123456)).toBe('$0.000123/day');
    expect(formatCostPerDay(null)).toBe('n/a');
  });
});
