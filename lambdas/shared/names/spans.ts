/**
 * Span names the functions open and the dashboards (lambdas/shared/dashboards) filter on, defined once.
 * A renamed span is a renamed dashboard query: change it here and both follow.
 */
export const SpanName = {
  /** dual-accuracy-tracker, one per symbol: the queries, the matching and the writes of its predictions. */
  VALIDATION_BATCH: 'ml.validation_batch',
  /** dual-accuracy-tracker, one per prediction validated for the first time (the sampler decides which are exported). */
  VALIDATE_PREDICTION: 'ml.validate_prediction',
  /** dual-accuracy-tracker, one per validate_all: the overall figures. */
  ACCURACY_SUMMARY: 'ml.accuracy_summary',
  /** trading-intelligence, one per scored symbol. */
  OPPORTUNITY_ANALYSIS: 'trading.opportunity_analysis',
  /** sampling-optimizer, one per optimize run (always kept: the cost projection the dashboards chart). */
  SAMPLING_OPTIMIZE: 'sampling.optimize',
} as const;
export type SpanName = (typeof SpanName)[keyof typeof SpanName];
