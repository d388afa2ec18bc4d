/**
 * Opportunity-score configuration.
 *
 * Two entry points, on purpose:
 * - `resolveScoreConfig(partial)` is strict: the pure scorer never guesses, so a NaN, infinite or
 *   negative weight, weights that do not sum to 1 (±1e-9), or an impossible threshold/minimum throw
 *   `InvalidScoreConfigError`.
 * - `loadScoreConfig(env, onWarning)` reads deployment configuration (environment) once per cold
 *   start and, OTel-style, never breaks the scheduled job over bad configuration: weights that
 *   are valid but do not sum to 1 are normalised to sum 1 with a warning; unusable values fall back
 *   to the defaults with a warning.
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

/** Environment variables read by `loadScoreConfig`. */
export const ScoreConfigEnv = {
  Weights: 'OPPORTUNITY_WEIGHTS',
  Threshold: 'OPPORTUNITY_THRESHOLD',
  MinValidatedPredictions: 'OPPORTUNITY_MIN_VALIDATED_PREDICTIONS',
  MinPrices: 'OPPORTUNITY_MIN_PRICES',
} as const;

export type Warn = (message: string) => void;

/**
 * Weights from configuration, repaired where a repair keeps the operator's intent: weights that are
 * all finite and ≥ 0 with a positive sum ≠ 1 are scaled to sum 1 (warning). Anything else → defaults (warning).
 */
export function normaliseWeights(weights: unknown, onWarning: Warn): ScoreWeights {
  try {
    return validateScoreWeights(weights);
  } catch (error) {
    const record = (typeof weights === 'object' && weights !== null ? weights : {}) as Record<
      string,
      unknown
    >;
    const values = OPPORTUNITY_FACTORS.map((f) => record[f]);
    const known = Object.keys(record).every((k) => (OPPORTUNITY_FACTORS as readonly string[]).includes(k));
    const usable = known && values.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
    const sum = usable ? (values as number[]).reduce((s, v) => s + v, 0) : 0;
    if (usable && sum > 0) {
      const scaled = Object.fromEntries(OPPORTUNITY_FACTORS.map((f, i) => [f, (values[i] as number) / sum]));
      onWarning(`opportunity-score weights sum to ${sum}, not 1: normalised to ${JSON.stringify(scaled)}`);
      return Object.freeze(scaled as Record<OpportunityFactor, number>);
    }
    onWarning(`${(error as Error).message}; using default weights`);
    return DEFAULT_SCORE_CONFIG.weights;
  }
}

function envNumber(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  valid: (x: number) => boolean,
  onWarning: Warn,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!valid(value)) {
    onWarning(`${name}=${JSON.stringify(raw)} is not valid; using ${fallback}`);
    return fallback;
  }
  return value;
}

/** Score configuration from the environment (read once, e.g. at cold start), repaired with warnings. */
export function loadScoreConfig(
  env: Readonly<Record<string, string | undefined>>,
  onWarning: Warn = () => {},
): ScoreConfig {
  let weights = DEFAULT_SCORE_CONFIG.weights;
  const rawWeights = env[ScoreConfigEnv.Weights];
  if (rawWeights !== undefined && rawWeights.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawWeights);
    } catch {
      parsed = undefined;
    }
    weights = normaliseWeights(parsed, (m) => onWarning(`${ScoreConfigEnv.Weights}: ${m}`));
  }
  const d = DEFAULT_SCORE_CONFIG;
  const candidate: ScoreConfigInput = {
    weights,
    opportunityThreshold: envNumber(
      env,
      ScoreConfigEnv.Threshold,
      d.opportunityThreshold,
      (x) => Number.isFinite(x) && x >= 0 && x <= 100,
      onWarning,
    ),
    minValidatedPredictions: envNumber(
      env,
      ScoreConfigEnv.MinValidatedPredictions,
      d.minValidatedPredictions,
      (x) => Number.isInteger(x) && x >= 1,
      onWarning,
    ),
    minPrices: envNumber(
      env,
      ScoreConfigEnv.MinPrices,
      d.minPrices,
      (x) => Number.isInteger(x) && x >= 3 && x > d.momentumLookback,
      onWarning,
    ),
  };
  return resolveScoreConfig(candidate);
}
