/**
 * The optimizer's policy: budget, target, dead band, step factors and per-category floors, ceilings and
 * baseline, with their defaults; `normalizePolicy` replaces every bad value by its default (with a warning).
 */
import { DEFAULT_SAMPLING_CONFIG, SAMPLING_CATEGORIES, SamplingCategory } from '@trading-observability/otel';
import { DEFAULT_BUDGET_PER_DAY, DEFAULT_PRICE_PER_GB } from './cost';

export type Probabilities = Record<SamplingCategory, number>;

export interface OptimizerPolicy {
  readonly budgetPerDay: number;
  readonly pricePerGb: number;
  /** Aim at this share of the budget (headroom for growth between runs). */
  readonly targetFraction: number;
  /** No change while the projection is within target × (1 ± deadBand). */
  readonly deadBand: number;
  /** A run changes a probability by at most this factor down (÷) or, for the accuracy boost, up (×). */
  readonly maxStepFactor: number;
  /** Budget-driven raises are slower: at most × this per run. */
  readonly raiseStepFactor: number;
  /** ml_validation × this per run while accuracy is degraded. */
  readonly mlBoostFactor: number;
  readonly floors: Probabilities;
  readonly ceilings: Probabilities;
  /** Where probabilities return to when the budget allows (the layer's built-in defaults). */
  readonly baseline: Probabilities;
}

export const DEFAULT_FLOORS: Probabilities = Object.freeze({
  [SamplingCategory.TRADING]: 0.1,
  [SamplingCategory.ML_VALIDATION]: 0.05,
  [SamplingCategory.MARKET_DATA]: 0.01,
  [SamplingCategory.INVOCATION]: 0.01,
  [SamplingCategory.NOISE]: 0.01,
});
const ALL_ONES: Probabilities = Object.freeze({
  [SamplingCategory.TRADING]: 1,
  [SamplingCategory.ML_VALIDATION]: 1,
  [SamplingCategory.MARKET_DATA]: 1,
  [SamplingCategory.INVOCATION]: 1,
  [SamplingCategory.NOISE]: 1,
});

export const DEFAULT_POLICY: OptimizerPolicy = Object.freeze({
  budgetPerDay: DEFAULT_BUDGET_PER_DAY,
  pricePerGb: DEFAULT_PRICE_PER_GB,
  targetFraction: 0.8,
  deadBand: 0.1,
  maxStepFactor: 2,
  raiseStepFactor: 1.25,
  mlBoostFactor: 2,
  floors: DEFAULT_FLOORS,
  ceilings: ALL_ONES,
  baseline: DEFAULT_SAMPLING_CONFIG.probabilities,
});

export const clamp = (x: number, low: number, high: number) => Math.min(high, Math.max(low, x));
export const isProbability = (x: unknown): x is number => typeof x === 'number' && x >= 0 && x <= 1;

export function positive(
  value: unknown,
  fallback: number,
  label: string,
  warnings: string[],
  max = Infinity,
): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max) return value;
  warnings.push(`${label} ${String(value)} is invalid; using ${fallback}`);
  return fallback;
}

/** The policy with every bad value replaced by its default (with a warning). Exported for the service. */
export function normalizePolicy(
  given: Partial<OptimizerPolicy> = {},
  warnings: string[] = [],
): OptimizerPolicy {
  const d = DEFAULT_POLICY;
  const amount = (key: 'budgetPerDay' | 'pricePerGb') => {
    const value = given[key];
    if (value === undefined) return d[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    warnings.push(`${key} ${String(value)} is invalid; using ${d[key]}`);
    return d[key];
  };
  const budgetPerDay = amount('budgetPerDay');
  const pricePerGb = amount('pricePerGb');
  const pick = (key: 'targetFraction' | 'deadBand', max: number) =>
    given[key] === undefined ? d[key] : positive(given[key], d[key], key, warnings, max);
  const factor = (key: 'maxStepFactor' | 'raiseStepFactor' | 'mlBoostFactor') => {
    const value = given[key];
    if (value === undefined) return d[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 1 && value <= 100) return value;
    warnings.push(`${key} ${String(value)} must be a number in (1, 100]; using ${d[key]}`);
    return d[key];
  };
  const table = (key: 'floors' | 'ceilings' | 'baseline') => {
    const out = {} as Probabilities;
    for (const category of SAMPLING_CATEGORIES) {
      const value = given[key]?.[category];
      if (value === undefined) out[category] = d[key][category];
      else if (isProbability(value)) out[category] = value;
      else {
        warnings.push(`${key}.${category} ${String(value)} is not in [0, 1]; using ${d[key][category]}`);
        out[category] = d[key][category];
      }
    }
    return out;
  };
  const floors = table('floors');
  const ceilings = table('ceilings');
  const baseline = table('baseline');
  for (const category of SAMPLING_CATEGORIES) {
    if (floors[category] > ceilings[category]) {
      warnings.push(
        `floor ${floors[category]} of ${category} is above its ceiling ${ceilings[category]}; using the ceiling as floor`,
      );
      floors[category] = ceilings[category];
    }
    baseline[category] = clamp(baseline[category], floors[category], ceilings[category]);
  }
  return {
    budgetPerDay,
    pricePerGb,
    targetFraction: pick('targetFraction', 1),
    deadBand: pick('deadBand', 0.5),
    maxStepFactor: factor('maxStepFactor'),
    raiseStepFactor: factor('raiseStepFactor'),
    mlBoostFactor: factor('mlBoostFactor'),
    floors,
    ceilings,
    baseline,
  };
}
