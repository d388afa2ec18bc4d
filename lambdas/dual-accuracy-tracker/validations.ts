/**
 * Per-prediction validation items: their shape (trading-intelligence reads them) and their writes, which
 * skip outcomes already stored unchanged, so re-validating the same week costs reads, not writes.
 */
import type { PredictionOutcome } from '../shared/accuracy';
import { MarketKey, putValidations, type StoreContext } from '../shared/store';
import { mapWithConcurrency } from './concurrency';

/** The validation item trading-intelligence reads (one per matched prediction, keyed by the prediction). */
export function validationItem(outcome: PredictionOutcome): Record<string, unknown> & {
  symbol: string;
  model: string;
  predictedAt: string;
  targetTime: string;
} {
  return {
    symbol: outcome.symbol,
    model: outcome.model,
    predictedAt: outcome.predictedAt,
    targetTime: outcome.targetTime,
    basePrice: outcome.basePrice,
    predictedPrice: outcome.predictedPrice,
    confidence: outcome.confidence,
    actualPrice: outcome.actualPrice,
    actualTime: outcome.actualTime,
    session: outcome.session,
    hit: outcome.hit,
    priceErrorPct: outcome.priceErrorPct,
    predictedReturnPct: outcome.predictedReturnPct,
    actualReturnPct: outcome.actualReturnPct,
  };
}

/** Fields whose change makes a stored validation item stale (the prediction re-recorded, a better price matched). */
const OUTCOME_FIELDS = ['basePrice', 'predictedPrice', 'confidence', 'actualPrice', 'actualTime'] as const;

/** What a run does with its outcomes, against the validation items already stored. */
export interface OutcomesToStore {
  /** Not yet stored as they are now: to write (new, or a re-recorded prediction, a better matched price). */
  readonly changed: PredictionOutcome[];
  /**
   * Validated for the first time in this run (no stored item). The scheduled run sees a prediction in two or
   * three consecutive windows; only these are counted in spans, so each validation is counted once.
   */
  readonly fresh: PredictionOutcome[];
}

/**
 * Re-running validate_all over the same week rewrites only what changed (new matches), not every item: 10 000
 * unchanged validations cost one Query instead of 400 writes.
 */
export function outcomesToStore(
  outcomes: readonly PredictionOutcome[],
  stored: readonly Record<string, unknown>[],
): OutcomesToStore {
  const bySort = new Map(stored.map((item) => [String(item.sk), item]));
  const changed: PredictionOutcome[] = [];
  const fresh: PredictionOutcome[] = [];
  for (const outcome of outcomes) {
    const existing = bySort.get(MarketKey.predictionSort(outcome));
    if (!existing) {
      changed.push(outcome);
      fresh.push(outcome);
    } else if (OUTCOME_FIELDS.some((field) => existing[field] !== outcome[field])) {
      changed.push(outcome);
    }
  }
  return { changed, fresh };
}

/** Validation items per write call, and calls in flight per symbol (a one-symbol week still writes in parallel). */
const VALIDATION_WRITE_CHUNK = 500;
const VALIDATION_WRITE_CONCURRENCY = 4;

export async function writeValidations(
  store: StoreContext,
  outcomes: readonly PredictionOutcome[],
  validatedAt: Date,
): Promise<void> {
  const chunks: PredictionOutcome[][] = [];
  for (let i = 0; i < outcomes.length; i += VALIDATION_WRITE_CHUNK) {
    chunks.push(outcomes.slice(i, i + VALIDATION_WRITE_CHUNK));
  }
  await mapWithConcurrency(chunks, VALIDATION_WRITE_CONCURRENCY, (chunk) =>
    putValidations(store, chunk.map(validationItem), validatedAt),
  );
}
