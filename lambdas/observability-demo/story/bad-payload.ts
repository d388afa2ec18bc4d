/**
 * A client's bad payload: a batch of predictions with one valid item and one with a confidence above 1
 * and a negative predicted price. The tracker's schema refuses the whole batch (`INVALID_PAYLOAD`, the
 * issues named) and writes nothing, which the story checks by reading the valid item's key back.
 */
import { handleTrackerEvent } from '../../dual-accuracy-tracker/service';
import { queryPredictions } from '../../shared/store';
import type { StoryContext } from './context';
import { trackerDeps } from './context';
import type { FailureReport } from './types';

const MINUTE = 60_000;

export async function sendBadPayload(ctx: StoryContext, at: string): Promise<FailureReport> {
  const { deps } = ctx;
  const id = `record_predictions@${at}#client`;
  // Off the 15-minute grid, so no replayed prediction has this key: any item found was written by this call.
  const predictedAt = new Date(Date.parse(at) + 7 * MINUTE).toISOString();
  const targetTime = new Date(Date.parse(predictedAt) + 60 * MINUTE).toISOString();
  const valid = {
    symbol: 'AAPL',
    model: 'lstm-v3',
    predictedAt,
    targetTime,
    basePrice: 190,
    predictedPrice: 191,
    confidence: 0.7,
  };
  const payload = {
    action: 'record_predictions',
    predictions: [valid, { ...valid, model: 'xgb-v2', confidence: 1.3, predictedPrice: -5 }],
  };
  const result = await deps.invoke(
    { fn: 'dual-accuracy-tracker', action: 'record_predictions', id, at },
    () => handleTrackerEvent(trackerDeps(deps, at, id), payload),
  );
  const stored = await queryPredictions(deps.market, valid.symbol, targetTime, targetTime);
  const written = stored.filter((p) => p.predictedAt === predictedAt).length;
  const refusal = result.ok
    ? 'accepted (it should not have been)'
    : `refused with ${result.error.code} (${result.error.issues.map((issue) => issue.path).join(', ')})`;
  return {
    kind: 'bad_payload',
    at,
    what: 'a client posted 2 predictions, one with confidence 1.3 and predicted price −5',
    outcome: `${refusal}; ${written === 0 ? 'nothing written' : `${written} item(s) written`} (the client's error, not the service's: a sampled trace with app.result.ok=false)`,
  };
}
