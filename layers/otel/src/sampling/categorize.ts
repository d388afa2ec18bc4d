import type { Attributes } from '@opentelemetry/api';
import { Attr } from '../constants';
import { SAMPLING_CATEGORIES, SamplingCategory, type SamplingConfig } from './types';

/**
 * A span's sampling category from what is known when it starts: its name and start attributes. The layer
 * knows no action or product word: a function names its actions' categories (instrument's
 * `categoryByAction`, which sets `sampling.category` on the invocation span) and its spans' namespaces.
 * Rules in order (first match wins):
 *  1. noise: a skipped scheduled run (`app.skipped` / `app.result.skipped` at start);
 *  2. the category the function gave at start (`sampling.category`, one of the known categories);
 *  3. noise: health checks, warm-ups, status reads, heartbeats by span name;
 *  4. by namespace: `trading.*` → trading, `ml.*` → ml_validation, `market.*` → market_data;
 *  5. by attributes: an opportunity score → trading, `ml.accuracy.*` → ml_validation;
 *  6. invocation: everything else (invocation roots, storage calls).
 */

const NOISE_NAME = /(^|[._\s/-])(health(check)?|ping|warm(up)?|status|skipped|heartbeat|noop)($|[._\s/-])/i;
const NAMESPACES: ReadonlyArray<readonly [string, SamplingCategory]> = [
  ['trading.', SamplingCategory.TRADING],
  ['ml.', SamplingCategory.ML_VALIDATION],
  ['market.', SamplingCategory.MARKET_DATA],
];
/** Start attributes that mark a skipped scheduled run (handlers may set either). */
const SKIPPED_KEYS = ['app.skipped', 'app.result.skipped'] as const;
const KNOWN_CATEGORIES: ReadonlySet<unknown> = new Set(SAMPLING_CATEGORIES);

/*
 * Imported names read once, at load: compiled to CommonJS every use of an imported binding is an
 * export-getter call, and these run for every span start.
 */
const CATEGORY_KEY = Attr.SAMPLING_CATEGORY;
const SCORE_KEY = Attr.OPPORTUNITY_SCORE;
const NOTIONAL_KEY = Attr.NOTIONAL;
const ALERT_KEY = Attr.ALERT;
const PRIORITY_KEY = Attr.SAMPLING_PRIORITY;
const { NOISE, TRADING, ML_VALIDATION, INVOCATION } = SamplingCategory;

/** Span names are few (code-defined), so the name work is done once per name; bounded anyway. */
const NAME_RULE_CACHE_LIMIT = 1024;
const nameRules = new Map<string, SamplingCategory | null>();

/** The category a span's name alone says (noise word or namespace), or null. */
function nameRule(name: string): SamplingCategory | null {
  const cached = nameRules.get(name);
  if (cached !== undefined) return cached;
  let rule: SamplingCategory | null = null;
  if (NOISE_NAME.test(name)) rule = NOISE;
  else {
    const lower = name.toLowerCase();
    for (const [prefix, category] of NAMESPACES) {
      if (lower.startsWith(prefix)) {
        rule = category;
        break;
      }
    }
  }
  if (nameRules.size >= NAME_RULE_CACHE_LIMIT) nameRules.clear();
  nameRules.set(name, rule);
  return rule;
}

function hasAttributePrefix(attributes: Attributes, prefix: string): boolean {
  for (const key in attributes) if (Object.hasOwn(attributes, key) && key.startsWith(prefix)) return true;
  return false;
}

export function categorizeSpan(name: string, attributes: Attributes): SamplingCategory {
  if (attributes[SKIPPED_KEYS[0]] === true || attributes[SKIPPED_KEYS[1]] === true) return NOISE;
  const given = attributes[CATEGORY_KEY];
  if (given !== undefined && KNOWN_CATEGORIES.has(given)) return given as SamplingCategory;
  const byName = nameRule(name);
  if (byName !== null) return byName;
  if (attributes[SCORE_KEY] !== undefined) return TRADING;
  if (hasAttributePrefix(attributes, 'ml.accuracy.')) return ML_VALIDATION;
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
