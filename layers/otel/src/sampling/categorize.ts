import type { Attributes } from '@opentelemetry/api';
import { Attr } from '../constants';
import { SamplingCategory, type SamplingConfig } from './types';

/**
 * A span's sampling category from what is known when it starts: its name and start attributes.
 * Rules in order (first match wins), so a noise check on a trading function is still noise:
 *  1. noise: health checks, warm-ups, status reads, skipped scheduled runs;
 *  2. trading: `trading.*` spans (e.g. `trading.opportunity_analysis`), rankings, opportunity scores;
 *  3. ml_validation: `ml.*` spans, validation/prediction spans, spans with `ml.accuracy.*` attributes;
 *  4. market_data: `record_prices`, `market.*`, price reads;
 *  5. invocation: everything else (invocation roots, storage calls).
 */

const NOISE_NAME = /(^|[._\s/-])(health(check)?|ping|warm(up)?|status|skipped|heartbeat|noop)($|[._\s/-])/i;
const NOISE_ACTIONS: ReadonlySet<string> = new Set(['status', 'health', 'ping', 'warmup']);
const TRADING_NAME =
  /^trading[._]|(^|[._\s])(opportunit(y|ies)|rankings?|session_correlation|analyze)($|[._\s])/i;
// `scheduled_rankings` is not here: most scheduled runs are skipped (market closed), known only at the end.
const TRADING_ACTIONS: ReadonlySet<string> = new Set(['analyze', 'rankings', 'session_correlation']);
const ML_NAME =
  /^ml[._]|(^|[._\s])(validat(e|ion|e_all)|accuracy|predictions?|record_predictions|calibration|model)($|[._\s])/i;
const ML_ACTIONS: ReadonlySet<string> = new Set(['validate_all', 'record_predictions', 'report']);
const MARKET_NAME = /^market[._]|(^|[._\s])(record_prices|prices?|quotes?|market_data)($|[._\s])/i;
const MARKET_ACTIONS: ReadonlySet<string> = new Set(['record_prices']);
/** Start attributes that mark a skipped scheduled run (handlers may set either). */
const SKIPPED_KEYS = ['app.skipped', 'app.result.skipped'] as const;

function hasAttributePrefix(attributes: Attributes, prefix: string): boolean {
  for (const key of Object.keys(attributes)) if (key.startsWith(prefix)) return true;
  return false;
}

export function categorizeSpan(name: string, attributes: Attributes): SamplingCategory {
  const action = attributes[Attr.ACTION];
  const actionName = typeof action === 'string' ? action.toLowerCase() : undefined;
  if (SKIPPED_KEYS.some((key) => attributes[key] === true)) return SamplingCategory.NOISE;
  if (NOISE_NAME.test(name) || (actionName !== undefined && NOISE_ACTIONS.has(actionName))) {
    return SamplingCategory.NOISE;
  }
  if (
    TRADING_NAME.test(name) ||
    attributes[Attr.OPPORTUNITY_SCORE] !== undefined ||
    (actionName !== undefined && TRADING_ACTIONS.has(actionName))
  ) {
    return SamplingCategory.TRADING;
  }
  if (
    ML_NAME.test(name) ||
    hasAttributePrefix(attributes, 'ml.accuracy.') ||
    (actionName !== undefined && ML_ACTIONS.has(actionName))
  ) {
    return SamplingCategory.ML_VALIDATION;
  }
  if (MARKET_NAME.test(name) || (actionName !== undefined && MARKET_ACTIONS.has(actionName))) {
    return SamplingCategory.MARKET_DATA;
  }
  return SamplingCategory.INVOCATION;
}

/** Why a span is high-value, or `undefined`. Thresholds come from the optimizer's configuration. */
export function highValueReason(
  attributes: Attributes,
  config: Pick<SamplingConfig, 'highValueScore' | 'highValueNotional'>,
): 'opportunity_score' | 'notional' | 'alert' | 'priority' | undefined {
  const score = attributes[Attr.OPPORTUNITY_SCORE];
  if (typeof score === 'number' && Number.isFinite(score) && score >= config.highValueScore) {
    return 'opportunity_score';
  }
  const notional = attributes[Attr.NOTIONAL];
  if (
    typeof notional === 'number' &&
    Number.isFinite(notional) &&
    Math.abs(notional) >= config.highValueNotional
  ) {
    return 'notional';
  }
  if (attributes[Attr.ALERT] === true) return 'alert';
  const priority = attributes[Attr.SAMPLING_PRIORITY];
  if (typeof priority === 'number' && priority > 0) return 'priority';
  return undefined;
}

export function isHighValue(
  attributes: Attributes,
  config: Pick<SamplingConfig, 'highValueScore' | 'highValueNotional'>,
): boolean {
  return highValueReason(attributes, config) !== undefined;
}
