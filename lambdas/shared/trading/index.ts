export { InvalidScoreConfigError, InvalidScoreInputError } from './errors';
export {
  DEFAULT_SCORE_WEIGHTS,
  FACTOR_DESCRIPTIONS,
  OPPORTUNITY_FACTORS,
  OpportunityFactor,
  type ScoreWeights,
} from './factors';
export {
  apportionHundredths,
  computeFactors,
  type FactorContribution,
  InsufficientData,
  type OpportunityInputs,
  type OpportunityResult,
  type RankingSummary,
  rankOpportunities,
  type ScoredOpportunity,
  scoreOpportunity,
  sumContributions,
  summarizeRanking,
  type UnscoredOpportunity,
} from './opportunity-score';
export {
  DEFAULT_SCORE_CONFIG,
  resolveScoreConfig,
  type ScoreConfig,
  type ScoreConfigInput,
  validateScoreWeights,
  WEIGHT_SUM_TOLERANCE,
} from './score-config';
export {
  clamp01,
  momentum,
  type PriceFeatures,
  priceFeatures,
  realizedVolatility,
  wilsonLowerBound,
} from './stats';
