/**
 * Configuration of trading-intelligence, read once per execution environment (on the first
 * invocation, never at import time). Bad values are normalised to the default with a warning, so a
 * typo in an environment variable never stops the scheduled rankings.
 */
import { type AppConfig, loadConfig } from '../shared/config';
import { loadScoreConfig, type ScoreConfig, type Warn } from '../shared/trading';
import { TradingLimits } from './schemas';

export const TradingEnv = {
  LOOKBACK_TRADING_DAYS: 'TRADING_LOOKBACK_TRADING_DAYS',
  PRICE_LOOKBACK_DAYS: 'TRADING_PRICE_LOOKBACK_DAYS',
  MAX_PRICE_BARS: 'TRADING_MAX_PRICE_BARS',
  PREDICTION_HORIZON_DAYS: 'TRADING_PREDICTION_HORIZON_DAYS',
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

function integer(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
  onWarning: Warn,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    onWarning(`${name}=${JSON.stringify(raw)} is not an integer in [${min}, ${max}]; using ${fallback}`);
    return fallback;
  }
  return value;
}

export function loadAnalysisConfig(
  env: Readonly<Record<string, string | undefined>>,
  minPrices: number,
  onWarning: Warn = () => {},
): AnalysisConfig {
  const d = DEFAULT_ANALYSIS_CONFIG;
  return Object.freeze({
    lookbackTradingDays: integer(
      env,
      TradingEnv.LOOKBACK_TRADING_DAYS,
      d.lookbackTradingDays,
      1,
      TradingLimits.MAX_LOOKBACK_TRADING_DAYS,
      onWarning,
    ),
    priceLookbackDays: integer(env, TradingEnv.PRICE_LOOKBACK_DAYS, d.priceLookbackDays, 1, 365, onWarning),
    // Fewer bars than the scorer's minimum would leave every symbol unscored.
    maxPriceBars: integer(
      env,
      TradingEnv.MAX_PRICE_BARS,
      Math.max(d.maxPriceBars, minPrices),
      minPrices,
      5000,
      onWarning,
    ),
    predictionHorizonDays: integer(
      env,
      TradingEnv.PREDICTION_HORIZON_DAYS,
      d.predictionHorizonDays,
      1,
      90,
      onWarning,
    ),
    rankingTtlDays: d.rankingTtlDays,
  });
}

/** Everything the function reads from its environment, in one place. */
export function loadTradingConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  onWarning: Warn = () => {},
): TradingConfig {
  const app = loadConfig(env as NodeJS.ProcessEnv);
  const score = loadScoreConfig(env, onWarning);
  return { app, score, analysis: loadAnalysisConfig(env, score.minPrices, onWarning) };
}
