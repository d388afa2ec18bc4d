/**
 * Domain types of the dual-accuracy metrics (pure: no AWS, no I/O).
 * The field names of `AccuracyGroup` and `AccuracySummary` are the public contract of
 * `validate_all` (SPEC.md, `dual-accuracy-tracker`); tests pin them.
 */

// The session type lives with the NYSE calendar (one definition for every module); re-exported
// here because it is part of this module's contract.
import { MarketSession } from '../market/session';

export { MarketSession };

/** A prediction matched with the first recorded price at or after its target time. */
export interface MatchedPrediction {
  readonly symbol: string;
  readonly model: string;
  /** ISO-8601 time the prediction was made. */
  readonly predictedAt: string;
  /** ISO-8601 time the prediction is for. */
  readonly targetTime: string;
  /** Price when the prediction was made; the reference for the direction. */
  readonly basePrice: number;
  readonly predictedPrice: number;
  /** Model confidence in [0, 1]; the probability scored against the direction hit. */
  readonly confidence: number;
  /** Recorded price matched to `targetTime`; must be > 0 for the percentage error to exist. */
  readonly actualPrice: number;
  /** ISO-8601 time of the matched price. */
  readonly actualTime: string;
  readonly session: MarketSession;
}

/** A prediction whose target time is in the window but that has no matching price yet. */
export interface PendingPrediction {
  readonly symbol: string;
  readonly model: string;
  readonly targetTime: string;
  readonly session: MarketSession;
}

/** One row of the reliability table: a right-closed confidence bin (lower, upper]; bin 0 also holds 0. */
export interface ReliabilityBin {
  /** 0-based bin index, 0..9. */
  readonly bin: number;
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean confidence in the bin; null when the bin is empty. */
  readonly meanConfidence: number | null;
  /** Fraction of direction hits in the bin; null when the bin is empty. */
  readonly hitRate: number | null;
}

/** [low, high] of a confidence interval. */
export type Interval = readonly [number, number];

/**
 * Accuracy figures of one group of matched predictions (overall, a symbol, a model or a session).
 * Every figure is null when it is undefined for the sample (empty group, one class, constant
 * confidence, …), never NaN or Infinity.
 */
export interface AccuracyGroup {
  /** Matched (validated) predictions. */
  readonly n: number;
  /** Predictions in the window still waiting for a price. */
  readonly pending: number;
  /** Fraction of direction hits. */
  readonly hitRate: number | null;
  /** Wilson 95 % interval of `hitRate`. */
  readonly hitRateCi: Interval | null;
  /** Mean |predicted − actual| (price units). */
  readonly mae: number | null;
  /** Root mean squared (predicted − actual) (price units). */
  readonly rmse: number | null;
  /** Mean of price_error_pct = |predicted − actual| / actual × 100 (percent). */
  readonly mape: number | null;
  /** Mean signed (predicted − actual): the bias; positive means the model predicts too high. */
  readonly meanError: number | null;
  /** Mean price_error_pct (the per-prediction span attribute `ml.accuracy.price_error_pct`); equals `mape`. */
  readonly meanPriceErrorPct: number | null;
  /** Expected calibration error over 10 equal-width right-closed bins. */
  readonly ece: number | null;
  /** Maximum calibration error (largest bin gap). */
  readonly mce: number | null;
  readonly brier: number | null;
  /** Log loss with probabilities clipped to [ε, 1 − ε], ε = float64 machine epsilon. */
  readonly logLoss: number | null;
  /** Pearson correlation between confidence and the 0/1 hit. */
  readonly pointBiserial: number | null;
  /** Spearman correlation (average ranks for ties) between confidence and hit. */
  readonly spearman: number | null;
  /** Probability that a hit has higher confidence than a miss (ties count 1/2). */
  readonly auroc: number | null;
  /** Always 10 rows (empty bins have count 0 and null means), so dashboards get a stable shape. */
  readonly reliability: readonly ReliabilityBin[];
}

/** The validation window echoed into the summary; the handler decides its fields. */
export interface AccuracyWindow {
  readonly start: string;
  readonly end: string;
  readonly lookbackDays: number;
}

export const AlertScope = {
  Overall: 'overall',
  Symbol: 'symbol',
  Model: 'model',
} as const;
export type AlertScope = (typeof AlertScope)[keyof typeof AlertScope];

/** An accuracy alert: hit rate significantly below the threshold on a sample large enough to trust. */
export interface AccuracyAlert {
  readonly scope: AlertScope;
  /** Symbol or model; 'overall' for the overall scope. */
  readonly key: string;
  readonly hitRate: number;
  readonly hitRateCi: Interval;
  readonly n: number;
  readonly threshold: number;
  readonly message: string;
}

export interface AccuracySummary<W = AccuracyWindow> {
  readonly window: W;
  readonly overall: AccuracyGroup;
  /** Keys sorted; a key appears when it has matched or pending predictions. */
  readonly bySymbol: Readonly<Record<string, AccuracyGroup>>;
  readonly byModel: Readonly<Record<string, AccuracyGroup>>;
  readonly bySession: Readonly<Partial<Record<MarketSession, AccuracyGroup>>>;
  /** Overall first, then symbols, then models (each sorted by key). */
  readonly alerts: readonly AccuracyAlert[];
}
