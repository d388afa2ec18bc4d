/**
 * The opportunity score: score = 100 × Σ wᵢ · fᵢ, each factor fᵢ normalised to [0, 1] and capped.
 *
 * | factor               | raw (reported)                          | normalised fᵢ ∈ [0, 1]                                  |
 * |----------------------|-----------------------------------------|---------------------------------------------------------|
 * | directional_accuracy | hit rate = correct / validated          | Wilson lower bound (z = wilsonZ) of the hit rate, so a  |
 * |                      |                                         | lucky small sample does not score high (5/5 → 0.57)     |
 * | calibration          | ECE (expected calibration error)        | 1 − ECE, clamped                                        |
 * | predicted_move       | |predicted move %| / max(vol %, floor)  | min(1, raw / k): a move of k σ (default 2) earns 1      |
 * |                      | (the move in σ units)                   |                                                         |
 * | momentum             | momentum % × sign(predicted move)       | clamp(0.5 + raw / (2 · cap)), cap = momentumCapPct      |
 * |                      | (return in the predicted direction)     | (10 %): 0 % → 0.5, ≥ +cap → 1, ≤ −cap → 0; no predicted |
 * |                      |                                         | direction → 0.5 (neutral)                               |
 * | confidence           | mean model confidence                   | clamped                                                 |
 *
 * Momentum is taken in the predicted direction so that a predicted fall with falling prices (a short
 * opportunity) scores like a predicted rise with rising prices; the predicted-move factor uses |move|
 * for the same reason.
 *
 * Exactness: the score is reported in hundredths of a point. Contributions are apportioned by the
 * largest-remainder method, so that they are multiples of 0.01 whose sum, in hundredths, equals the
 * score exactly (`sumContributions(breakdown) === score`). The score is Math.round of 100 × Σ wᵢfᵢ
 * (in hundredths), which keeps it monotone in every factor.
 *
 * Too little data (fewer than minValidatedPredictions validated predictions, fewer than minPrices
 * prices, or a missing input) gives `score: null` and the reasons, never a made-up number.
 */
import { InvalidScoreInputError } from './errors';
import { OPPORTUNITY_FACTORS, type OpportunityFactor } from './factors';
import { resolveScoreConfig, type ScoreConfig, type ScoreConfigInput } from './score-config';
import { clamp01, wilsonLowerBound } from './stats';

export interface OpportunityInputs {
  readonly symbol: string;
  /** Recent predictions with a known outcome. */
  readonly validatedPredictions: number;
  /** Of those, how many got the direction right. */
  readonly correctDirections: number;
  /** Expected calibration error of those predictions, in [0, 1]. */
  readonly ece: number | null;
  /** Mean model confidence, in [0, 1]. */
  readonly meanConfidence: number | null;
  /** The current prediction's move, percent, signed (+ up, − down). */
  readonly predictedMovePct: number | null;
  /** Realized volatility, percent per bar (see `realizedVolatility`). */
  readonly volatilityPct: number | null;
  /** Momentum, percent over the lookback (see `momentum`). */
  readonly momentumPct: number | null;
  /** Number of recorded prices behind volatility and momentum. */
  readonly priceCount: number;
}

export interface FactorContribution {
  readonly factor: OpportunityFactor;
  readonly raw: number;
  readonly normalised: number;
  readonly weight: number;
  /** Points out of 100, a multiple of 0.01; the contributions add up to the score. */
  readonly contribution: number;
}

export const InsufficientData = {
  TooFewValidatedPredictions: 'too_few_validated_predictions',
  TooFewPrices: 'too_few_prices',
  NoPredictedMove: 'no_predicted_move',
  NoCalibration: 'no_calibration',
  NoConfidence: 'no_confidence',
  NoVolatility: 'no_volatility',
  NoMomentum: 'no_momentum',
} as const;
export type InsufficientData = (typeof InsufficientData)[keyof typeof InsufficientData];

export interface ScoredOpportunity {
  readonly symbol: string;
  /** 0–100, two decimals. */
  readonly score: number;
  readonly isOpportunity: boolean;
  readonly threshold: number;
  readonly breakdown: readonly FactorContribution[];
  readonly inputs: OpportunityInputs;
}

export interface UnscoredOpportunity {
  readonly symbol: string;
  readonly score: null;
  readonly isOpportunity: false;
  readonly threshold: number;
  /** Human-readable, e.g. '3 validated predictions (< 10)'. */
  readonly reason: string;
  readonly codes: readonly InsufficientData[];
  readonly inputs: OpportunityInputs;
}

export type OpportunityResult = ScoredOpportunity | UnscoredOpportunity;

const isNumber = (x: number | null): x is number => typeof x === 'number' && Number.isFinite(x);

function checkInputs(inputs: OpportunityInputs): void {
  const { symbol, validatedPredictions: n, correctDirections: k, priceCount } = inputs;
  if (typeof symbol !== 'string' || symbol.trim() === '') {
    throw new InvalidScoreInputError('symbol must be a non-empty string');
  }
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidScoreInputError(`${symbol}: validatedPredictions must be an integer ≥ 0, got ${n}`);
  }
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new InvalidScoreInputError(
      `${symbol}: correctDirections must be an integer in [0, ${n}], got ${k}`,
    );
  }
  if (!Number.isInteger(priceCount) || priceCount < 0) {
    throw new InvalidScoreInputError(`${symbol}: priceCount must be an integer ≥ 0, got ${priceCount}`);
  }
}

function insufficiency(inputs: OpportunityInputs, config: ScoreConfig): [InsufficientData, string][] {
  const out: [InsufficientData, string][] = [];
  if (inputs.validatedPredictions < config.minValidatedPredictions) {
    out.push([
      InsufficientData.TooFewValidatedPredictions,
      `${inputs.validatedPredictions} validated predictions (< ${config.minValidatedPredictions})`,
    ]);
  }
  if (inputs.priceCount < config.minPrices) {
    out.push([InsufficientData.TooFewPrices, `${inputs.priceCount} prices (< ${config.minPrices})`]);
  }
  if (!isNumber(inputs.predictedMovePct))
    out.push([InsufficientData.NoPredictedMove, 'no current prediction']);
  if (!isNumber(inputs.ece)) out.push([InsufficientData.NoCalibration, 'no calibration error (ECE)']);
  if (!isNumber(inputs.meanConfidence)) out.push([InsufficientData.NoConfidence, 'no model confidence']);
  if (!isNumber(inputs.volatilityPct)) out.push([InsufficientData.NoVolatility, 'no volatility']);
  if (!isNumber(inputs.momentumPct)) out.push([InsufficientData.NoMomentum, 'no momentum']);
  return out;
}

interface FactorValue {
  readonly raw: number;
  readonly normalised: number;
}

/** Raw and normalised factor values; inputs are known to be present and finite. */
export function computeFactors(
  inputs: OpportunityInputs,
  config: ScoreConfig,
): Readonly<Record<OpportunityFactor, FactorValue>> {
  const move = inputs.predictedMovePct as number;
  const moveInSigma = Math.abs(move) / Math.max(inputs.volatilityPct as number, config.minVolatilityPct);
  const alignedMomentum = Math.sign(move) * (inputs.momentumPct as number) + 0; // + 0 turns −0 into 0
  return {
    directional_accuracy: {
      raw: inputs.correctDirections / inputs.validatedPredictions,
      normalised:
        wilsonLowerBound(inputs.correctDirections, inputs.validatedPredictions, config.wilsonZ) ?? 0,
    },
    calibration: { raw: inputs.ece as number, normalised: clamp01(1 - (inputs.ece as number)) },
    predicted_move: { raw: moveInSigma, normalised: clamp01(moveInSigma / config.moveVolatilityMultiple) },
    momentum: {
      raw: alignedMomentum,
      normalised: clamp01(0.5 + alignedMomentum / (2 * config.momentumCapPct)),
    },
    confidence: {
      raw: inputs.meanConfidence as number,
      normalised: clamp01(inputs.meanConfidence as number),
    },
  };
}

/**
 * Splits `total` hundredths over items with exact values `exact` (in hundredths) so that each share
 * is ⌊exact⌋ or ⌊exact⌋ + 1 and the shares sum to `total` (largest remainder, ties by position).
 */
export function apportionHundredths(exact: readonly number[], total: number): number[] {
  const shares = exact.map((x) => Math.floor(x));
  let residual = total - shares.reduce((s, x) => s + x, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, remainder: x - Math.floor(x) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (let j = 0; residual > 0 && j < byRemainder.length; j++, residual--) {
    const idx = (byRemainder[j] as { i: number }).i;
    shares[idx] = (shares[idx] as number) + 1;
  }
  // Only reachable if the total was clamped below the floors' sum; take from the smallest remainders.
  for (let j = byRemainder.length - 1; residual < 0 && j >= 0; j--) {
    const idx = (byRemainder[j] as { i: number }).i;
    if ((shares[idx] as number) > 0) {
      shares[idx] = (shares[idx] as number) - 1;
      residual++;
    }
  }
  return shares;
}

/** Score one symbol. Throws `InvalidScoreConfigError` for bad config, `InvalidScoreInputError` for contradictory inputs. */
export function scoreOpportunity(
  inputs: OpportunityInputs,
  config: ScoreConfigInput = {},
): OpportunityResult {
  const cfg = resolveScoreConfig(config);
  checkInputs(inputs);
  const threshold = cfg.opportunityThreshold;
  const missing = insufficiency(inputs, cfg);
  if (missing.length > 0) {
    return {
      symbol: inputs.symbol,
      score: null,
      isOpportunity: false,
      threshold,
      reason: missing.map(([, text]) => text).join('; '),
      codes: missing.map(([code]) => code),
      inputs,
    };
  }
  const factors = computeFactors(inputs, cfg);
  // Exact contributions in hundredths of a point: 100 (points) × 100 (hundredths) × w × f.
  const exact = OPPORTUNITY_FACTORS.map((f) => 10_000 * cfg.weights[f] * factors[f].normalised);
  const totalHundredths = Math.min(10_000, Math.max(0, Math.round(exact.reduce((s, x) => s + x, 0))));
  const shares = apportionHundredths(exact, totalHundredths);
  const breakdown = OPPORTUNITY_FACTORS.map(
    (factor, i): FactorContribution => ({
      factor,
      raw: factors[factor].raw,
      normalised: factors[factor].normalised,
      weight: cfg.weights[factor],
      contribution: (shares[i] as number) / 100,
    }),
  );
  const score = totalHundredths / 100;
  return {
    symbol: inputs.symbol,
    score,
    isOpportunity: score >= threshold,
    threshold,
    breakdown,
    inputs,
  };
}

/** Sum of contributions computed in integer hundredths: equals `score` exactly (===). */
export function sumContributions(breakdown: readonly FactorContribution[]): number {
  return breakdown.reduce((s, c) => s + Math.round(c.contribution * 100), 0) / 100;
}

function group(r: OpportunityResult): number {
  if (r.score === null) return 2;
  return r.isOpportunity ? 0 : 1;
}

/** Opportunities first, then by score descending, unscored last; ties by symbol (code-unit order). Returns a new array. */
export function rankOpportunities(results: readonly OpportunityResult[]): OpportunityResult[] {
  return [...results].sort((a, b) => {
    const g = group(a) - group(b);
    if (g !== 0) return g;
    const s = (b.score ?? 0) - (a.score ?? 0);
    if (s !== 0) return s;
    return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
  });
}

export interface RankingSummary {
  readonly scored: number;
  readonly unscored: number;
  /** Metric `OpportunitiesFound`. */
  readonly opportunitiesFound: number;
  /** Metric `TopOpportunityScore`: the highest score, null when nothing was scored. */
  readonly topOpportunityScore: number | null;
}

export function summarizeRanking(results: readonly OpportunityResult[]): RankingSummary {
  let top: number | null = null;
  let scored = 0;
  let opportunitiesFound = 0;
  for (const r of results) {
    if (r.score === null) continue;
    scored++;
    if (r.isOpportunity) opportunitiesFound++;
    if (top === null || r.score > top) top = r.score;
  }
  return { scored, unscored: results.length - scored, opportunitiesFound, topOpportunityScore: top };
}
