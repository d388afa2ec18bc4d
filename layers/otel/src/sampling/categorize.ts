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

/*
 * Imported names read once, at load: compiled to CommonJS every use of an imported binding is an
 * export-getter call, and these run for every span start.
 */
const ACTION_KEY = Attr.ACTION;
const SCORE_KEY = Attr.OPPORTUNITY_SCORE;
const NOTIONAL_KEY = Attr.NOTIONAL;
const ALERT_KEY = Attr.ALERT;
const PRIORITY_KEY = Attr.SAMPLING_PRIORITY;
const { NOISE, TRADING, ML_VALIDATION, MARKET_DATA, INVOCATION } = SamplingCategory;

/** Which name rule a span name matches first (the rules' order), or none. */
const NameRule = { NOISE: 0, TRADING: 1, ML: 2, MARKET: 3, NONE: 4 } as const;
type NameRule = (typeof NameRule)[keyof typeof NameRule];
/** Span names are few (code-defined), so the regex work is done once per name; bounded anyway. */
const NAME_RULE_CACHE_LIMIT = 1024;
const nameRules = new Map<string, NameRule>();

function nameRule(name: string): NameRule {
  const cached = nameRules.get(name);
  if (cached !== undefined) return cached;
  const rule = NOISE_NAME.test(name)
    ? NameRule.NOISE
    : TRADING_NAME.test(name)
      ? NameRule.TRADING
      : ML_NAME.test(name)
        ? NameRule.ML
        : MARKET_NAME.test(name)
          ? NameRule.MARKET
          : NameRule.NONE;
  if (nameRules.size >= NAME_RULE_CACHE_LIMIT) nameRules.clear();
  nameRules.set(name, rule);
  return rule;
}

function hasAttributePrefix(attributes: Attributes, prefix: string): boolean {
  for (const key in attributes) if (Object.hasOwn(attributes, key) && key.startsWith(prefix)) return true;
  return false;
}

export function categorizeSpan(name: string, attributes: Attributes): SamplingCategory {
  if (attributes[SKIPPED_KEYS[0]] === true || attributes[SKIPPED_KEYS[1]] === true) {
    return NOISE;
  }
  const action = attributes[ACTION_KEY];
  const actionName = typeof action === 'string' ? action.toLowerCase() : undefined;
  // A rule matches by name or by attributes; the first rule that matches wins.
  const byName = nameRule(name);
  if (byName === NameRule.NOISE || (actionName !== undefined && NOISE_ACTIONS.has(actionName))) {
    return NOISE;
  }
  if (
    byName === NameRule.TRADING ||
    attributes[SCORE_KEY] !== undefined ||
    (actionName !== undefined && TRADING_ACTIONS.has(actionName))
  ) {
    return TRADING;
  }
  if (
    byName === NameRule.ML ||
    hasAttributePrefix(attributes, 'ml.accuracy.') ||
    (actionName !== undefined && ML_ACTIONS.has(actionName))
  ) {
    return ML_VALIDATION;
  }
  if (byName === NameRule.MARKET || (actionName !== undefined && MARKET_ACTIONS.has(actionName))) {
    return MARKET_DATA;
  }
  return INVOCATION;
}

/** Why a span is high-value, or `undefined`. Thresholds come from the optimizer's configuration. */
export function highValueReason(
  attributes: Attributes,
  config: Pick<SamplingConfig, 'highValueScore' | 'highValueNotional'>,
): 'opportunity_score' | 'notional' | 'alert' | 'priority' | undefined {
  const score = attributes[SCORE_KEY];
  if (typeof score === 'number' && Number.isFinite(score) && score >= config.highValueScore) {
    return 'opportunity_score';
  }
  const notional = attributes[NOTIONAL_KEY];
  if (
    typeof notional === 'number' &&
    Number.isFinite(notional) &&
    Math.abs(notional) >= config.highValueNotional
  ) {
    return 'notional';
  }
  if (attributes[ALERT_KEY] === true) return 'alert';
  const priority = attributes[PRIORITY_KEY];
  if (typeof priority === 'number' && priority > 0) return 'priority';
  return undefined;
}

export function isHighValue(
  attributes: Attributes,
  config: Pick<SamplingConfig, 'highValueScore' | 'highValueNotional'>,
): boolean {
  return highValueReason(attributes, config) !== undefined;
}
