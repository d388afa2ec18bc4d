/**
 * Pure statistics used to derive opportunity-score inputs. Price series are ordered oldest
 * first, one price per bar (whatever the bar is: day, month…); results are per bar, in percent.
 * Undefined results are `null`, never NaN/Infinity.
 */

/** Clamp to [0, 1]. */
export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * Lower bound of the Wilson score interval for a binomial proportion: a conservative hit rate
 * that stays low for small samples (2/2 → 0.34 at z = 1.96, 80/100 → 0.71).
 * Returns null for zero trials.
 */
export function wilsonLowerBound(successes: number, trials: number, z = 1.96): number | null {
  if (!(trials > 0) || !Number.isFinite(trials) || !Number.isFinite(successes)) return null;
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return clamp01((centre - margin) / (1 + z2 / trials));
}

function validPrices(prices: readonly number[]): boolean {
  return prices.every((p) => Number.isFinite(p) && p > 0);
}

/**
 * Realized volatility: sample standard deviation (n − 1) of log returns ln(pₜ / pₜ₋₁), in percent
 * per bar (×100). Not annualised: multiply by √(bars per year) if needed. Needs ≥ 3 positive
 * finite prices (2 returns), else null.
 */
export function realizedVolatility(prices: readonly number[]): number | null {
  if (prices.length < 3 || !validPrices(prices)) return null;
  const returns: number[] = [];
  for (let i = 1; i < prices.length; i++) {
    returns.push(Math.log((prices[i] as number) / (prices[i - 1] as number)));
  }
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1);
  return Math.sqrt(variance) * 100;
}

/**
 * Momentum: simple return over the last `lookback` bars, in percent:
 * (p_last / p_{last − lookback} − 1) × 100. Needs more than `lookback` positive finite prices, else null.
 */
export function momentum(prices: readonly number[], lookback: number): number | null {
  if (!Number.isInteger(lookback) || lookback < 1) {
    throw new RangeError(`momentum lookback must be a positive integer, got ${lookback}`);
  }
  if (prices.length <= lookback || !validPrices(prices)) return null;
  const last = prices[prices.length - 1] as number;
  const base = prices[prices.length - 1 - lookback] as number;
  return (last / base - 1) * 100;
}

export interface PriceFeatures {
  /** Number of prices the features were computed from. */
  readonly priceCount: number;
  /** `realizedVolatility(prices)`, percent per bar. */
  readonly volatilityPct: number | null;
  /** `momentum(prices, lookback)`, percent over `lookback` bars. */
  readonly momentumPct: number | null;
}

/** The price-derived score inputs in one call. */
export function priceFeatures(prices: readonly number[], lookback: number): PriceFeatures {
  return {
    priceCount: prices.length,
    volatilityPct: realizedVolatility(prices),
    momentumPct: momentum(prices, lookback),
  };
}
