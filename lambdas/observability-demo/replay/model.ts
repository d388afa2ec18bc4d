/**
 * A deterministic stand-in for the platform's ML models, with a skill and a calibration we control.
 *
 * It is a replay, so the "model" may look at the future: for a prediction made at a price point, the
 * actual price is the one the accuracy tracker will match, i.e. the first price of the symbol at or after
 * `targetTime = predictedAt + horizon`, within `matchToleranceMinutes`. Then, per prediction:
 * 1. a latent confidence c is drawn from a triangular distribution centred on the model's skill s
 *    (half-width min(0.15, s, 1 − s)), so E[c] = s. s is the model's skill plus the optional
 *    per-symbol and per-session offsets (clamped to [0.01, 0.99]), e.g. to make the models better in
 *    the regular session or on some symbols for the opportunity and session analytics to find;
 * 2. the direction is correct with probability c (so P(hit | c) = c: calibrated by construction).
 *    After `degrade.after`, the hit probability becomes c − (s − degrade.skill): the model keeps its
 *    confidence but its hit rate falls to `degrade.skill`, as a drifting model would;
 * 3. the reported confidence is c + confidenceBias (clamped to [0.01, 0.99]): 0 keeps it calibrated,
 *    > 0 makes the model over-confident by about that much (the calibration-drift incident);
 * 4. the predicted move is |actual move| × lognormal(0, 0.35), at least one cent, in the chosen
 *    direction; a flat actual move (0) predicted correctly is predictedPrice = basePrice, predicted
 *    wrongly a one-cent-or-more move either way. Prices are rounded to cents, so the direction hit as the
 *    tracker defines it (sign(predicted − base) == sign(actual − base)) is exactly the drawn outcome.
 * Predictions whose target has no matching price (overnight gaps, the end of the replay) are dropped
 * unless `includeUnresolved`; then their direction is a coin flip (nothing to know) with the usual
 * confidence. Every prediction consumes the same draws from a stream keyed by (seed, model, symbol), so
 * results do not depend on which other symbols or models are in the run.
 */
import { isMarketSession, MARKET_SESSIONS, type MarketSession, sessionAt } from '../../shared/market';
import type { PredictionInput } from '../../shared/schemas';
import { WorkloadOptionsError } from './errors';
import type { PricePoint } from './replay';
import { createRng, type Seed } from './rng';

/** A model prediction, in the shape `record_predictions` accepts. */
export type Prediction = PredictionInput;

export const DEFAULT_MODELS = ['lstm-v3', 'xgb-v2'] as const;

/** Probability of a correct direction per model; other models get `FALLBACK_SKILL`. */
export const DEFAULT_SKILL: Readonly<Record<string, number>> = { 'lstm-v3': 0.68, 'xgb-v2': 0.6 };
export const FALLBACK_SKILL = 0.6;

export const MODEL_DEFAULTS = {
  horizonMinutes: 60,
  seed: 42,
  every: 1,
  /** As the tracker's MATCH_TOLERANCE_MINUTES default. */
  matchToleranceMinutes: 60,
  degradedSkill: 0.5,
  /** Half-width of the triangular confidence distribution around the skill. */
  confidenceSpread: 0.15,
  /** Sigma of the lognormal factor on the predicted move's size. */
  magnitudeSigma: 0.35,
} as const;

export interface DegradeOptions {
  /** From this instant on (predictedAt ≥ after), the hit rate falls to `skill`. */
  readonly after: string | Date;
  /** Hit rate after degradation; default 0.5 (a coin flip). */
  readonly skill?: number;
  /** Models that degrade; default all. */
  readonly models?: readonly string[];
}

/** A number for every model, or per model (missing models get the default). */
export type PerModel = number | Readonly<Record<string, number>>;

export interface PredictOptions {
  readonly prices: readonly PricePoint[];
  readonly models?: readonly string[];
  readonly horizonMinutes?: number;
  readonly seed?: Seed;
  /** Probability of a correct direction (and the mean confidence), 0–1. */
  readonly skill?: PerModel;
  /** Added to the reported confidence: 0 calibrated, > 0 over-confident. */
  readonly confidenceBias?: PerModel;
  readonly degrade?: DegradeOptions;
  /** Predict at every k-th price point of each symbol. */
  readonly every?: number;
  readonly matchToleranceMinutes?: number;
  /** Keep predictions whose target has no matching price (they stay pending in the tracker). */
  readonly includeUnresolved?: boolean;
  /** Added to every model's skill for a symbol (e.g. `{ GOOG: 0.1 }`); calibration is kept. */
  readonly symbolSkillOffsets?: Readonly<Record<string, number>>;
  /** Added to every model's skill in a market session of predictedAt (e.g. `{ pre_market: -0.08 }`). */
  readonly sessionSkillOffsets?: Readonly<Partial<Record<MarketSession, number>>>;
}

const MINUTE = 60_000;
const toCents = (value: number): number => Math.round(value * 100) / 100;
const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

function perModel(value: PerModel | undefined, model: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  return value[model] ?? fallback;
}

function requireProbability(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new WorkloadOptionsError(`${name}: a probability in [0, 1] (got ${value})`);
  }
}

interface Timed {
  readonly ms: number;
  readonly price: number;
  readonly timestamp: string;
}

/** Index of the first entry at or after `ms` (entries sorted by time), or entries.length. */
function firstAtOrAfter(entries: readonly Timed[], ms: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((entries[middle] as Timed).ms < ms) low = middle + 1;
    else high = middle;
  }
  return low;
}

function bySymbol(prices: readonly PricePoint[]): Map<string, Timed[]> {
  const series = new Map<string, Timed[]>();
  for (const point of prices) {
    const ms = Date.parse(point.timestamp);
    if (!Number.isFinite(ms) || !Number.isFinite(point.price) || point.price <= 0) {
      throw new WorkloadOptionsError(`prices: invalid point ${JSON.stringify(point)}`);
    }
    const list = series.get(point.symbol) ?? [];
    list.push({ ms, price: point.price, timestamp: new Date(ms).toISOString() });
    series.set(point.symbol, list);
  }
  for (const list of series.values()) list.sort((a, b) => a.ms - b.ms);
  return series;
}

/** The actual price the tracker will match for a target: first at or after it, within the tolerance. */
export function matchActualPrice(
  series: readonly { readonly timestamp: string; readonly price: number }[],
  targetTime: string,
  toleranceMinutes: number = MODEL_DEFAULTS.matchToleranceMinutes,
): number | null {
  const timed = series
    .map((point) => ({ ...point, ms: Date.parse(point.timestamp) }))
    .sort((a, b) => a.ms - b.ms);
  return matchIn(timed, Date.parse(targetTime), toleranceMinutes);
}

function matchIn(series: readonly Timed[], targetMs: number, toleranceMinutes: number): number | null {
  const match = series[firstAtOrAfter(series, targetMs)];
  return match && match.ms - targetMs <= toleranceMinutes * MINUTE ? match.price : null;
}

/** Predictions of every model at every (k-th) price point, sorted by predictedAt, symbol, model. */
export function predict(options: PredictOptions): Prediction[] {
  const models = options.models ?? DEFAULT_MODELS;
  const horizonMinutes = options.horizonMinutes ?? MODEL_DEFAULTS.horizonMinutes;
  const every = options.every ?? MODEL_DEFAULTS.every;
  const tolerance = options.matchToleranceMinutes ?? MODEL_DEFAULTS.matchToleranceMinutes;
  const seed = options.seed ?? MODEL_DEFAULTS.seed;
  if (!Number.isFinite(horizonMinutes) || horizonMinutes <= 0) {
    throw new WorkloadOptionsError(`horizonMinutes: a positive number (got ${horizonMinutes})`);
  }
  if (!Number.isInteger(every) || every < 1)
    throw new WorkloadOptionsError(`every: a positive integer (got ${every})`);
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new WorkloadOptionsError(`matchToleranceMinutes: a non-negative number (got ${tolerance})`);
  }
  const degradeAfterMs = options.degrade ? new Date(options.degrade.after).getTime() : null;
  if (degradeAfterMs !== null && !Number.isFinite(degradeAfterMs)) {
    throw new WorkloadOptionsError(`degrade.after: an instant (got ${String(options.degrade?.after)})`);
  }
  const degradedSkill = options.degrade?.skill ?? MODEL_DEFAULTS.degradedSkill;
  requireProbability('degrade.skill', degradedSkill);

  for (const [name, offsets] of [
    ['symbolSkillOffsets', options.symbolSkillOffsets],
    ['sessionSkillOffsets', options.sessionSkillOffsets],
  ] as const) {
    for (const [key, offset] of Object.entries(offsets ?? {})) {
      if (typeof offset !== 'number' || !Number.isFinite(offset) || Math.abs(offset) > 1) {
        throw new WorkloadOptionsError(`${name}.${key}: a number in [-1, 1] (got ${String(offset)})`);
      }
    }
  }
  const sessionOffsets = options.sessionSkillOffsets;
  for (const key of Object.keys(sessionOffsets ?? {})) {
    if (!isMarketSession(key)) {
      throw new WorkloadOptionsError(
        `sessionSkillOffsets.${key}: not a session (${MARKET_SESSIONS.join(', ')})`,
      );
    }
  }
  // Symbols share timestamps: classify each instant once (the zone conversion is the costly part).
  const sessions = new Map<string, MarketSession>();
  const sessionOffsetAt = (timestamp: string): number => {
    if (sessionOffsets === undefined) return 0;
    let session = sessions.get(timestamp);
    if (session === undefined) {
      session = sessionAt(timestamp);
      sessions.set(timestamp, session);
    }
    return sessionOffsets[session] ?? 0;
  };

  const series = bySymbol(options.prices);
  const root = createRng(seed);
  const predictions: Prediction[] = [];
  for (const model of models) {
    const skill = perModel(options.skill, model, DEFAULT_SKILL[model] ?? FALLBACK_SKILL);
    requireProbability(`skill of ${model}`, skill);
    const bias = perModel(options.confidenceBias, model, 0);
    if (!Number.isFinite(bias)) throw new WorkloadOptionsError(`confidenceBias of ${model}: a finite number`);
    const degrades = degradeAfterMs !== null && (options.degrade?.models?.includes(model) ?? true);

    for (const [symbol, points] of series) {
      const rng = root.fork('model', model, symbol);
      const symbolOffset = options.symbolSkillOffsets?.[symbol] ?? 0;
      for (let index = 0; index < points.length; index += every) {
        const point = points[index] as Timed;
        const targetMs = point.ms + horizonMinutes * MINUTE;
        const pointSkill = clamp(skill + symbolOffset + sessionOffsetAt(point.timestamp), 0.01, 0.99);
        const spread = Math.min(MODEL_DEFAULTS.confidenceSpread, pointSkill, 1 - pointSkill);
        // Fixed draws per prediction, whatever the outcome, so one prediction never shifts the next.
        const latent = pointSkill + spread * (rng.next() + rng.next() - 1);
        const hitDraw = rng.next();
        const sizeFactor = Math.exp(rng.normal(0, MODEL_DEFAULTS.magnitudeSigma));
        const sideDraw = rng.next();

        const actual = matchIn(points, targetMs, tolerance);
        if (actual === null && !options.includeUnresolved) continue;
        const degraded = degrades && point.ms >= (degradeAfterMs as number);
        const hitProbability =
          actual === null ? 0.5 : clamp(latent - (degraded ? pointSkill - degradedSkill : 0), 0, 1);
        const hit = hitDraw < hitProbability;

        const move = actual === null ? 0 : actual - point.price;
        const actualSide = Math.sign(move);
        let predictedMove: number;
        if (actualSide === 0) {
          // Flat target: a correct call is "no move"; a wrong one moves a little either way.
          const size = Math.max(0.01, toCents(point.price * 0.001 * sizeFactor));
          predictedMove = hit && actual !== null ? 0 : sideDraw < 0.5 ? -size : size;
        } else {
          const size = Math.min(point.price * 0.5, Math.max(0.01, toCents(Math.abs(move) * sizeFactor)));
          predictedMove = (hit ? actualSide : -actualSide) * size;
        }
        predictions.push({
          symbol,
          model,
          predictedAt: point.timestamp,
          targetTime: new Date(targetMs).toISOString(),
          basePrice: point.price,
          predictedPrice: toCents(point.price + predictedMove),
          confidence: Math.round(clamp(latent + bias, 0.01, 0.99) * 10_000) / 10_000,
        });
      }
    }
  }
  return predictions.sort(comparePredictions);
}

/** By predictedAt, then symbol, then model: a total, deterministic order. */
export function comparePredictions(a: Prediction, b: Prediction): number {
  if (a.predictedAt !== b.predictedAt) return a.predictedAt < b.predictedAt ? -1 : 1;
  if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
  return a.model < b.model ? -1 : a.model > b.model ? 1 : 0;
}
