/**
 * The replay's predictions: every model on every symbol once a minute in the session (scripts/lib's
 * controlled-skill model on real prices), in three aligned variants — healthy, degraded (hit rate down to the
 * incident's skill, confidence unchanged) and over-confident — of which each incident picks its own for the
 * models and symbols it hits. Plus the model-id growth incident's extra ids: many models, a few validations each.
 */

import { type Prediction, type PricePoint, predict, type Rng } from '../../lambdas/observability-demo/replay';
import { MarketSession, type MatchedPrediction } from '../../lambdas/shared/accuracy';
import { type Incident, IncidentKind } from './scenarios';

/** Three models, so that one of several can degrade while the overall figure stays healthy. */
export const BACKTEST_MODELS = ['lstm-v3', 'xgb-v2', 'prophet-v1'] as const;

export interface IndexedPrediction {
  readonly predictedMinute: number;
  readonly targetMinute: number;
  readonly model: string;
  readonly symbol: string;
  readonly variants: readonly [MatchedPrediction, MatchedPrediction, MatchedPrediction];
}

export interface PredictionsInput {
  readonly prices: readonly PricePoint[];
  readonly incidents: readonly Incident[];
  readonly seed: number;
  readonly skill: number;
  readonly horizonMinutes: number;
  readonly minuteOf: (ms: number) => number;
  readonly priceAt: (symbol: string, minute: number) => number;
}

/** Every prediction in its three variants, sorted by target minute. */
export function indexPredictions(input: PredictionsInput): IndexedPrediction[] {
  const degradation = input.incidents.find((i) => i.kind === IncidentKind.MODEL_DEGRADATION);
  const drift = input.incidents.find((i) => i.kind === IncidentKind.CALIBRATION_DRIFT);
  const common = {
    prices: input.prices,
    models: BACKTEST_MODELS,
    horizonMinutes: input.horizonMinutes,
    seed: input.seed,
    skill: input.skill,
  };
  const healthy = predict(common);
  // Degraded from the start: which predictions take this variant is decided per incident (variantOf).
  const degraded = predict({
    ...common,
    degrade: { after: new Date(0), skill: degradation?.degradedSkill ?? 0.5 },
  });
  const inflated = predict({ ...common, confidenceBias: drift?.confidenceBias ?? 0.2 });
  const matched = (p: Prediction): MatchedPrediction => {
    const targetMinute = input.minuteOf(Date.parse(p.targetTime));
    return {
      ...p,
      actualPrice: input.priceAt(p.symbol, targetMinute),
      actualTime: p.targetTime,
      session: MarketSession.Regular,
    };
  };
  const indexed = healthy.map((p, i): IndexedPrediction => {
    const d = degraded[i] as Prediction;
    const c = inflated[i] as Prediction;
    if (
      d.predictedAt !== p.predictedAt ||
      c.predictedAt !== p.predictedAt ||
      d.symbol !== p.symbol ||
      c.model !== p.model
    ) {
      throw new RangeError('prediction variants are not aligned');
    }
    return {
      predictedMinute: input.minuteOf(Date.parse(p.predictedAt)),
      targetMinute: input.minuteOf(Date.parse(p.targetTime)),
      model: p.model,
      symbol: p.symbol,
      variants: [matched(p), matched(d), matched(c)],
    };
  });
  return indexed.sort((a, b) => a.targetMinute - b.targetMinute);
}

/** The variant a prediction takes: degraded or over-confident while an incident hitting its model and symbol runs. */
export function variantSelector(
  incidents: readonly Incident[],
  minuteOf: (ms: number) => number,
): (p: IndexedPrediction) => MatchedPrediction {
  const windows = incidents.map((incident) => ({
    incident,
    from: minuteOf(incident.startMs),
    to: minuteOf(incident.endMs),
  }));
  const hits = (kind: IncidentKind, p: IndexedPrediction) =>
    windows.some(
      ({ incident, from, to }) =>
        incident.kind === kind &&
        p.predictedMinute >= from &&
        p.predictedMinute < to &&
        (incident.models === undefined || incident.models.includes(p.model)) &&
        (incident.symbols === undefined || incident.symbols.includes(p.symbol)),
    );
  return (p) => {
    if (hits(IncidentKind.MODEL_DEGRADATION, p)) return p.variants[1];
    if (hits(IncidentKind.CALIBRATION_DRIFT, p)) return p.variants[2];
    return p.variants[0];
  };
}

/**
 * The model-id growth incident's extra predictions for one validation window: `count` ids, each with 1–3
 * validations at the healthy skill (calibrated confidence), spread over the window's symbols and target minutes.
 * Ids are stable within the incident (the same 3 000 models keep predicting), so the window holds that many.
 */
export function extraModelPredictions(
  count: number,
  template: readonly MatchedPrediction[],
  skill: number,
  rng: Rng,
): MatchedPrediction[] {
  const out: MatchedPrediction[] = [];
  if (template.length === 0) return out;
  for (let id = 0; id < count; id++) {
    const model = `shadow-${String(id).padStart(4, '0')}`;
    const validations = 1 + Math.floor(rng.next() * 3);
    for (let k = 0; k < validations; k++) {
      const base = template[Math.floor(rng.next() * template.length)] as MatchedPrediction;
      const confidence = Math.min(0.99, Math.max(0.01, skill + rng.uniform(-0.15, 0.15)));
      // A hit predicts the actual price itself; a miss the other way from the base (the tracker's definition).
      const miss = base.actualPrice > base.basePrice ? 0.996 : 1.004;
      const predictedPrice = rng.bernoulli(confidence)
        ? base.actualPrice
        : Math.round(base.basePrice * miss * 100) / 100;
      out.push({ ...base, model, confidence, predictedPrice });
    }
  }
  return out;
}
