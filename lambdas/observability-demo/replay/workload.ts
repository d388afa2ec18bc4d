/** Prices and predictions for a run: the replayed days, symbols, models and where the prices came from. */
import type { MarketDayInfo } from '../../shared/market';
import { DATASET_SOURCES, type DatasetSource, type WorkloadSymbol } from './market-data';
import {
  DEFAULT_MODELS,
  type DegradeOptions,
  MODEL_DEFAULTS,
  type PerModel,
  type Prediction,
  type PredictOptions,
  predict,
} from './model';
import { type PricePoint, REPLAY_DEFAULTS, replayPlan, replayPrices } from './replay';
import type { Seed } from './rng';

export interface WorkloadOptions {
  readonly endDate?: string | Date;
  readonly tradingDays?: number;
  readonly symbols?: readonly WorkloadSymbol[];
  readonly seed?: Seed;
  readonly intervalMinutes?: number;
  readonly includeExtendedHours?: boolean;
  readonly models?: readonly string[];
  readonly horizonMinutes?: number;
  readonly skill?: PerModel;
  readonly confidenceBias?: PerModel;
  readonly degrade?: DegradeOptions;
  /** Predict at every k-th price point of each symbol. */
  readonly every?: number;
  readonly matchToleranceMinutes?: number;
  readonly includeUnresolved?: boolean;
  readonly symbolSkillOffsets?: PredictOptions['symbolSkillOffsets'];
  readonly sessionSkillOffsets?: PredictOptions['sessionSkillOffsets'];
}

export interface Workload {
  readonly prices: PricePoint[];
  readonly predictions: Prediction[];
  /** The trading days replayed, oldest first (early closes flagged). */
  readonly days: readonly MarketDayInfo[];
  readonly symbols: readonly WorkloadSymbol[];
  readonly models: readonly string[];
  /** Minutes between replayed price points. */
  readonly intervalMinutes: number;
  /** Where each symbol's prices came from, and which real dates the replay used. */
  readonly sources: readonly (DatasetSource & {
    readonly firstSourceDate: string;
    readonly lastSourceDate: string;
  })[];
}

/**
 * Prices and predictions for a run. Defaults (demo-sized): 6 symbols, 10 trading days ending now,
 * 15-minute points in all sessions, lstm-v3 and xgb-v2 predicting 60 minutes ahead at every point.
 */
export function buildWorkload(options: WorkloadOptions = {}): Workload {
  const plan = replayPlan({
    symbols: options.symbols ?? REPLAY_DEFAULTS.symbols,
    tradingDays: options.tradingDays ?? REPLAY_DEFAULTS.tradingDays,
    intervalMinutes: options.intervalMinutes ?? REPLAY_DEFAULTS.intervalMinutes,
    includeExtendedHours: options.includeExtendedHours ?? REPLAY_DEFAULTS.includeExtendedHours,
    seed: options.seed ?? REPLAY_DEFAULTS.seed,
    ...(options.endDate !== undefined ? { endDate: options.endDate } : {}),
  });
  const prices = replayPrices(plan);
  const models = options.models ?? DEFAULT_MODELS;
  const predictions = predict({
    prices,
    models,
    horizonMinutes: options.horizonMinutes ?? MODEL_DEFAULTS.horizonMinutes,
    seed: options.seed ?? MODEL_DEFAULTS.seed,
    every: options.every ?? MODEL_DEFAULTS.every,
    matchToleranceMinutes: options.matchToleranceMinutes ?? MODEL_DEFAULTS.matchToleranceMinutes,
    includeUnresolved: options.includeUnresolved ?? false,
    ...(options.skill !== undefined ? { skill: options.skill } : {}),
    ...(options.confidenceBias !== undefined ? { confidenceBias: options.confidenceBias } : {}),
    ...(options.degrade !== undefined ? { degrade: options.degrade } : {}),
    ...(options.symbolSkillOffsets !== undefined ? { symbolSkillOffsets: options.symbolSkillOffsets } : {}),
    ...(options.sessionSkillOffsets !== undefined
      ? { sessionSkillOffsets: options.sessionSkillOffsets }
      : {}),
  });
  const sources = plan.symbols.map((symbol) => {
    const bars = plan.bars[symbol] ?? [];
    return {
      ...DATASET_SOURCES[symbol],
      firstSourceDate: bars[0]?.sourceDate ?? '',
      lastSourceDate: bars[bars.length - 1]?.sourceDate ?? '',
    };
  });
  return {
    prices,
    predictions,
    days: plan.days,
    symbols: plan.symbols,
    models,
    intervalMinutes: plan.intervalMinutes,
    sources,
  };
}
