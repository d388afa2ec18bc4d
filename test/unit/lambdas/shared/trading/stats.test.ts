import {
  clamp01,
  momentum,
  priceFeatures,
  realizedVolatility,
  wilsonLowerBound,
} from '../../../../../lambdas/shared/trading';

describe('wilsonLowerBound', () => {
  it.each([
    // Reference values of the 95 % Wilson score interval's lower bound.
    [8, 10, 0.4901568467],
    [28, 40, 0.5456968935],
    // all hits: the bound has the closed form n / (n + z²)
    [5, 5, 5 / (5 + 1.96 ** 2)],
    [2, 2, 2 / (2 + 1.96 ** 2)],
    [80, 100, 0.7111690381],
  ])('%i/%i → %f', (k, n, expected) => {
    expect(wilsonLowerBound(k, n)).toBeCloseTo(expected, 9);
  });

  it('is 0 for no successes, below the raw rate otherwise, and null for no trials', () => {
    expect(wilsonLowerBound(0, 10)).toBe(0);
    expect(wilsonLowerBound(7, 10) as number).toBeLessThan(0.7);
    expect(wilsonLowerBound(0, 0)).toBeNull();
  });

  it('punishes small samples: 5/5 scores below 90/100', () => {
    expect(wilsonLowerBound(5, 5) as number).toBeLessThan(wilsonLowerBound(90, 100) as number);
  });

  it('a larger z is more conservative', () => {
    expect(wilsonLowerBound(8, 10, 2.576) as number).toBeLessThan(wilsonLowerBound(8, 10, 1.96) as number);
  });
});

describe('realizedVolatility (stdev of log returns, % per bar)', () => {
  it('worked example: 100 → 110 → 99', () => {
    // returns ln(1.1), ln(0.9); sample stdev (n − 1 = 1) = 0.1418956… → 14.18956 %
    expect(realizedVolatility([100, 110, 99])).toBeCloseTo(14.18956095467077, 10);
  });

  it('a constant series has zero volatility; scale does not matter', () => {
    expect(realizedVolatility([50, 50, 50, 50])).toBe(0);
    const a = realizedVolatility([10, 11, 12, 11.5]) as number;
    const b = realizedVolatility([1000, 1100, 1200, 1150]) as number;
    expect(a).toBeCloseTo(b, 10);
  });

  it('null when undefined: fewer than 3 prices, or non-positive / non-finite prices', () => {
    expect(realizedVolatility([100, 101])).toBeNull();
    expect(realizedVolatility([100, 0, 101])).toBeNull();
    expect(realizedVolatility([100, -1, 101])).toBeNull();
    expect(realizedVolatility([100, Number.NaN, 101])).toBeNull();
  });
});

describe('momentum (% return over lookback bars)', () => {
  it('worked example', () => {
    expect(momentum([90, 100, 105, 110], 2)).toBeCloseTo(10, 12);
    expect(momentum([90, 100, 105, 110], 3)).toBeCloseTo((110 / 90 - 1) * 100, 12);
    expect(momentum([100, 80], 1)).toBeCloseTo(-20, 12);
  });

  it('null without enough prices or with invalid prices; throws on a bad lookback', () => {
    expect(momentum([100, 110], 2)).toBeNull();
    expect(momentum([0, 100, 110], 2)).toBeNull();
    expect(() => momentum([1, 2, 3], 0)).toThrow(RangeError);
    expect(() => momentum([1, 2, 3], 1.5)).toThrow(RangeError);
  });

  it('priceFeatures bundles count, volatility and momentum', () => {
    expect(priceFeatures([100, 110, 99], 2)).toEqual({
      priceCount: 3,
      volatilityPct: realizedVolatility([100, 110, 99]),
      momentumPct: -1.0000000000000009,
    });
  });
});

describe('clamp01', () => {
  it('caps to [0, 1]', () => {
    expect([clamp01(-0.5), clamp01(0.25), clamp01(3)]).toEqual([0, 0.25, 1]);
  });
});
