/**
 * Configuration of trading-intelligence: one schema for its variables, read once per execution
 * environment (on the first invocation, never at import time). A bad value throws `ConfigError` naming
 * the variable: a misconfigured scorer must not rank with numbers nobody chose.
 */
import {
  type AppConfig,
  ConfigError,
  envInteger,
  envNumber,
  loadConfig,
  parseEnvironment,
} from '../shared/config';
import {
  DEFAULT_SCORE_CONFIG,
  InvalidScoreConfigError,
  resolveScoreConfig,
  type ScoreConfig,
  type ScoreWeights,
  validateScoreWeights,
} from '../shared/trading';
import * as z from '../shared/zod';
import { TradingLimits } from './schemas';

export const TradingEnv = {
  LOOKBACK_TRADING_DAYS: 'TRADING_LOOKBACK_TRADING_DAYS',
  PRICE_LOOKBACK_DAYS: 'TRADING_PRICE_LOOKBACK_DAYS',
  MAX_PRICE_BARS: 'TRADING_MAX_PRICE_BARS',
  PREDICTION_HORIZON_DAYS: 'TRADING_PREDICTION_HORIZON_DAYS',
  /** Factor weights, JSON keyed by factor, summing to 1. */
  OPPORTUNITY_WEIGHTS: 'OPPORTUNITY_WEIGHTS',
  /** Score (0–100) at or above which a symbol is an opportunity; read here only. */
  OPPORTUNITY_THRESHOLD: 'OPPORTUNITY_THRESHOLD',
  OPPORTUNITY_MIN_VALIDATED_PREDICTIONS: 'OPPORTUNITY_MIN_VALIDATED_PREDICTIONS',
  OPPORTUNITY_MIN_PRICES: 'OPPORTUNITY_MIN_PRICES',
} as const;

export interface AnalysisConfig {
  /** Trading days of validated predictions behind the accuracy, calibration and confidence factors. */
  readonly lookbackTradingDays: number;
  /** Calendar days of recorded prices behind volatility and momentum (raw items live RAW_TTL_DAYS). */
  readonly priceLookbackDays: number;
  /** At most this many of the latest prices are read (one Query, newest first). */
  readonly maxPriceBars: number;
  /** Open predictions are those made at or before asOf whose target lies at most this far after it. */
  readonly predictionHorizonDays: number;
  /** Stored rankings are kept this long (TTL): dashboards look back 90 days. */
  readonly rankingTtlDays: number;
}

export const DEFAULT_ANALYSIS_CONFIG: AnalysisConfig = Object.freeze({
  lookbackTradingDays: 10,
  priceLookbackDays: 45,
  maxPriceBars: 120,
  predictionHorizonDays: 7,
  rankingTtlDays: 90,
});

export interface TradingConfig {
  readonly app: AppConfig;
  readonly score: ScoreConfig;
  readonly analysis: AnalysisConfig;
}

const weights = z.pipe(
  z.optional(z.string()),
  z.transform((raw: string | undefined, context): ScoreWeights => {
    if (raw === undefined) return DEFAULT_SCORE_CONFIG.weights;
    try {
      return validateScoreWeights(JSON.parse(raw));
    } catch (error) {
      const reason = error instanceof SyntaxError ? 'not JSON' : (error as Error).message;
      context.issues.push({ code: 'custom', message: reason, input: raw });
      return z.NEVER;
    }
  }),
);

const d = DEFAULT_ANALYSIS_CONFIG;
const s = DEFAULT_SCORE_CONFIG;

const tradingSchema = z.object({
  [TradingEnv.LOOKBACK_TRADING_DAYS]: envInteger(
    d.lookbackTradingDays,
    1,
    TradingLimits.MAX_LOOKBACK_TRADING_DAYS,
  ),
  [TradingEnv.PRICE_LOOKBACK_DAYS]: envInteger(d.priceLookbackDays, 1, 365),
  // Unset: the default, raised to the scorer's minimum (fewer bars would leave every symbol unscored).
  [TradingEnv.MAX_PRICE_BARS]: z.optional(z.coerce.number().check(z.int(), z.gte(3), z.lte(5000))),
  [TradingEnv.PREDICTION_HORIZON_DAYS]: envInteger(d.predictionHorizonDays, 1, 90),
  [TradingEnv.OPPORTUNITY_WEIGHTS]: weights,
  [TradingEnv.OPPORTUNITY_THRESHOLD]: envNumber(s.opportunityThreshold, 0, 100),
  [TradingEnv.OPPORTUNITY_MIN_VALIDATED_PREDICTIONS]: envInteger(s.minValidatedPredictions, 1, 1_000_000),
  // More prices than the momentum lookback, or momentum has nothing to compare with.
  [TradingEnv.OPPORTUNITY_MIN_PRICES]: envInteger(s.minPrices, s.momentumLookback + 1, 5000),
});

/** Everything the function reads from its environment, in one place. */
export function loadTradingConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TradingConfig {
  const app = loadConfig(env as NodeJS.ProcessEnv);
  const values = parseEnvironment(tradingSchema, env);
  let score: ScoreConfig;
  try {
    score = resolveScoreConfig({
      weights: values[TradingEnv.OPPORTUNITY_WEIGHTS],
      opportunityThreshold: values[TradingEnv.OPPORTUNITY_THRESHOLD],
      minValidatedPredictions: values[TradingEnv.OPPORTUNITY_MIN_VALIDATED_PREDICTIONS],
      minPrices: values[TradingEnv.OPPORTUNITY_MIN_PRICES],
    });
  } catch (error) {
    if (!(error instanceof InvalidScoreConfigError)) throw error;
    throw new ConfigError(`invalid configuration: OPPORTUNITY_*: ${error.message}`, { cause: error });
  }
  const maxPriceBars = values[TradingEnv.MAX_PRICE_BARS] ?? Math.max(d.maxPriceBars, score.minPrices);
  if (maxPriceBars < score.minPrices) {
    throw new ConfigError(
      `invalid configuration: ${TradingEnv.MAX_PRICE_BARS}: ${maxPriceBars} is below ${TradingEnv.OPPORTUNITY_MIN_PRICES} (${score.minPrices}); no symbol could be scored`,
    );
  }
  const analysis: AnalysisConfig = Object.freeze({
    lookbackTradingDays: values[TradingEnv.LOOKBACK_TRADING_DAYS],
    priceLookbackDays: values[TradingEnv.PRICE_LOOKBACK_DAYS],
    maxPriceBars,
    predictionHorizonDays: values[TradingEnv.PREDICTION_HORIZON_DAYS],
    rankingTtlDays: d.rankingTtlDays,
  });
  return { app, score, analysis };
}
