/** The factors of the opportunity score. Each is normalised to [0, 1]; see opportunity-score.ts for the table. */
export const OpportunityFactor = {
  DirectionalAccuracy: 'directional_accuracy',
  Calibration: 'calibration',
  PredictedMove: 'predicted_move',
  Momentum: 'momentum',
  Confidence: 'confidence',
} as const;
export type OpportunityFactor = (typeof OpportunityFactor)[keyof typeof OpportunityFactor];

/** Factors in breakdown order. */
export const OPPORTUNITY_FACTORS: readonly OpportunityFactor[] = Object.values(OpportunityFactor);

/** One non-negative weight per factor; the weights sum to 1. */
export type ScoreWeights = Readonly<Record<OpportunityFactor, number>>;

/**
 * Defaults: accuracy and the size of the predicted move carry most of the signal; calibration,
 * momentum and confidence refine it. Sum = 1.
 */
export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
  directional_accuracy: 0.3,
  calibration: 0.15,
  predicted_move: 0.25,
  momentum: 0.15,
  confidence: 0.15,
};

/** One-line descriptions (for reports and dashboards). */
export const FACTOR_DESCRIPTIONS: Readonly<Record<OpportunityFactor, string>> = {
  directional_accuracy: 'Wilson lower bound of the recent directional hit rate',
  calibration: '1 − expected calibration error',
  predicted_move: '|predicted move| relative to k × recent volatility, capped at 1',
  momentum: 'recent return in the predicted direction, mapped to [0, 1] around 0.5',
  confidence: 'mean model confidence',
};
