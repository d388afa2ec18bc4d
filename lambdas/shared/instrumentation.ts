/**
 * The product's vocabulary for the telemetry layer, which knows none: which sampling category each
 * action's invocation belongs to, and how a function's `{ ok, error: { code } }` result reads as an
 * outcome. Every handler passes these to `instrument()`.
 */
import {
  Attr,
  type Attributes,
  type InstrumentOptions,
  type ResultOutcome,
  SamplingCategory,
} from '@trading-observability/otel';

/**
 * Actions by sampling category. Not listed (categorised by the layer's generic rules, i.e. as
 * invocations): `scheduled_rankings` (most runs are skipped, which is known only at the end), `optimize`
 * (the optimizer keeps its own runs by priority) and the demo's steps' parent.
 */
export const SAMPLING_CATEGORY_BY_ACTION: Readonly<Record<string, SamplingCategory>> = Object.freeze({
  record_predictions: SamplingCategory.ML_VALIDATION,
  validate_all: SamplingCategory.ML_VALIDATION,
  report: SamplingCategory.ML_VALIDATION,
  record_prices: SamplingCategory.MARKET_DATA,
  analyze: SamplingCategory.TRADING,
  rankings: SamplingCategory.TRADING,
  session_correlation: SamplingCategory.TRADING,
  status: SamplingCategory.NOISE,
});

/** The start attribute that gives a span its action's category (for spans a function opens itself). */
export function categoryAttributes(action: string): Attributes {
  const category = SAMPLING_CATEGORY_BY_ACTION[action];
  return category === undefined ? {} : { [Attr.SAMPLING_CATEGORY]: category };
}

/** `ok` and `error.code` of a function result (`response.ts`'s shape); anything else is not annotated. */
export function resultOutcome(result: unknown): ResultOutcome | undefined {
  if (result === null || typeof result !== 'object' || !('ok' in result)) return undefined;
  const { ok, error } = result as { ok: unknown; error?: { code?: unknown } };
  if (ok === true) return { ok: true };
  return typeof error?.code === 'string' ? { ok: false, errorCode: error.code } : { ok: false };
}

export const INSTRUMENT_OPTIONS: InstrumentOptions = Object.freeze({
  categoryByAction: SAMPLING_CATEGORY_BY_ACTION,
  resultOutcome,
});
