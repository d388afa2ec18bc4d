/**
 * Opportunity-score configuration. `resolveScoreConfig(partial)` is strict: the pure scorer never
 * guesses, so a NaN, infinite or negative weight, weights that do not sum to 1 (±1e-9), or an
 * impossible threshold/minimum throw `InvalidScoreConfigError`. The environment is read by the
 * function's schema (trading-intelligence/config.ts), which names the variable in its error.
 */
import { InvalidScoreConfigError } from './errors';
import {
  DEFAULT_SCORE_WEIGHTS,
  OPPORTUNITY_FACTORS,
  type OpportunityFactor,
  type ScoreWeights,
} from './factors';

export interface ScoreConfig {
  readonly weights: ScoreWeights;
  /** Score (0–100) at or above which a symbol is an opportunity. */
  readonly opportunityThreshold: number;
  /** Fewer validated predictions than this → no score. */
  readonly minValidatedPredictions: number;
  /** Fewer prices than this → no score (volatility and momentum would be noise). */
  readonly minPrices: number;
  /** z of the Wilson lower bound (1.96 ≈ 95 % two-sided). */
  readonly wilsonZ: number;
  /** k: a predicted move of k × volatility earns the full predicted-move factor. */
  readonly moveVolatilityMultiple: number;
  /** Volatility floor in percent, so a flat series does not divide by zero or over-reward tiny moves. */
  readonly minVolatilityPct: number;
  /** Momentum (percent) that maps to 0 or 1; 0 % maps to 0.5. */
  readonly momentumCapPct: number;
  /** Bars over which `priceFeatures` measures momentum. */
  readonly momentumLookback: number;
}

export const WEIGHT_SUM_TOLERANCE = 1e-9;

export const DEFAULT_SCORE_CONFIG: ScoreConfig = Object.freeze({
  weights: Object.freeze({ ...DEFAULT_SCORE_WEIGHTS }),
  opportunityThreshold: 70,
  minValidatedPredictions: 10,
  minPrices: 21,
  wilsonZ: 1.96,
  moveVolatilityMultiple: 2,
  minVolatilityPct: 0.1,
  momentumCapPct: 10,
  momentumLookback: 20,
});

export type ScoreConfigInput = { readonly [K in keyof ScoreConfig]?: ScoreConfig[K] };

/** Throws `InvalidScoreConfigError` unless `weights` has exactly the factor keys, each finite and ≥ 0, summing to 1. */
export function validateScoreWeights(weights: unknown): ScoreWeights {
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
    throw new InvalidScoreConfigError('weights must be an object keyed by factor');
  }
  const record = weights as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter(
    (k) => !(OPPORTUNITY_FACTORS as readonly string[]).includes(k),
  );
  if (unknownKeys.length > 0) {
    throw new InvalidScoreConfigError(
      `unknown weight(s) ${unknownKeys.join(', ')}; factors are ${OPPORTUNITY_FACTORS.join(', ')}`,
    );
  }
  let sum = 0;
  const out = {} as Record<OpportunityFactor, number>;
  for (const factor of OPPORTUNITY_FACTORS) {
    const w = record[factor];
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      throw new InvalidScoreConfigError(`weight ${factor} must be a finite number, got ${String(w)}`);
    }
    if (w < 0) throw new InvalidScoreConfigError(`weight ${factor} must be ≥ 0, got ${w}`);
    out[factor] = w;
    sum += w;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new InvalidScoreConfigError(`weights must sum to 1 (±${WEIGHT_SUM_TOLERANCE}), got ${sum}`);
  }
  return Object.freeze(out);
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new InvalidScoreConfigError(message);
}

const isPositive = (x: number): boolean => Number.isFinite(x) && x > 0;

/** Defaults overlaid with `partial`, validated strictly. */
export function resolveScoreConfig(partial: ScoreConfigInput = {}): ScoreConfig {
  const merged: ScoreConfig = { ...DEFAULT_SCORE_CONFIG, ...partial };
  const weights = validateScoreWeights(merged.weights);
  const t = merged.opportunityThreshold;
  check(Number.isFinite(t) && t >= 0 && t <= 100, `opportunityThreshold must be in [0, 100], got ${t}`);
  check(
    Number.isInteger(merged.minValidatedPredictions) && merged.minValidatedPredictions >= 1,
    `minValidatedPredictions must be an integer ≥ 1, got ${merged.minValidatedPredictions}`,
  );
  check(
    Number.isInteger(merged.momentumLookback) && merged.momentumLookback >= 1,
    `momentumLookback must be an integer ≥ 1, got ${merged.momentumLookback}`,
  );
  check(
    Number.isInteger(merged.minPrices) && merged.minPrices >= 3 && merged.minPrices > merged.momentumLookback,
    `minPrices must be an integer ≥ 3 and > momentumLookback (${merged.momentumLookback}), got ${merged.minPrices}`,
  );
  check(isPositive(merged.wilsonZ), `wilsonZ must be > 0, got ${merged.wilsonZ}`);
  check(
    isPositive(merged.moveVolatilityMultiple),
    `moveVolatilityMultiple must be > 0, got ${merged.moveVolatilityMultiple}`,
  );
  check(isPositive(merged.minVolatilityPct), `minVolatilityPct must be > 0, got ${merged.minVolatilityPct}`);
  check(isPositive(merged.momentumCapPct), `momentumCapPct must be > 0, got ${merged.momentumCapPct}`);
  return Object.freeze({ ...merged, weights });
}
