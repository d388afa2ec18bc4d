/** Prices and predictions for a run: the replayed days, symbols, models and where the prices came from. */
import type { MarketDayInfo } from '../../shared/market';
import { DATASET_SOURCES, type DatasetSource, type WorkloadSymbol } from './market-data';
import { DEFAULT_MODELS, type Prediction, type PredictOptions, predict } from './model';
import { type PricePoint, REPLAY_DEFAULTS, replayPlan, replayPrices } from './replay';

/** The replay's own options, and every option of the prediction model (`predict` applies its defaults). */
export interface WorkloadOptions extends Omit<PredictOptions, 'prices'> {
  readonly endDate?: string | Date;
  readonly tradingDays?: number;
  readonly symbols?: readonly WorkloadSymbol[];
  readonly intervalMinutes?: number;
  readonly includeExtendedHours?: boolean;
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
  const { endDate, tradingDays, symbols, intervalMinutes, includeExtendedHours, ...predictOptions } = options;
  const plan = replayPlan({
    symbols: symbols ?? REPLAY_DEFAULTS.symbols,
    tradingDays: tradingDays ?? REPLAY_DEFAULTS.tradingDays,
    intervalMinutes: intervalMinutes ?? REPLAY_DEFAULTS.intervalMinutes,
    includeExtendedHours: includeExtendedHours ?? REPLAY_DEFAULTS.includeExtendedHours,
    seed: options.seed ?? REPLAY_DEFAULTS.seed,
    ...(endDate !== undefined ? { endDate } : {}),
  });
  const prices = replayPrices(plan);
  const models = options.models ?? DEFAULT_MODELS;
  const predictions = predict({ ...predictOptions, prices, models });
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
