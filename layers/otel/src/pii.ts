/**
 * PII scrubbing: only financial data (symbols, prices, scores, confidence) may leave the process.
 * Keys that name personal data are dropped; string values that look like personal data are masked.
 * Numbers and booleans under non-sensitive keys pass untouched (prices and scores are the product).
 */

export const REDACTED = '[REDACTED]' as const;

/** Technical attribute keys whose last segment looks sensitive but is not (resource and semconv names). */
const SAFE_KEYS = new Set([
  'service.name',
  'faas.name',
  'host.name',
  'telemetry.sdk.name',
  'cloud.account.id',
  'otel.scope.name',
  'function_name',
  'functionName',
  'exception.type',
  'span.name',
  'table_name',
  'tableName',
  'db.name',
]);

/** The last segment of a key (after `.`, `_`, `-` or a camelCase boundary) that marks personal data. */
const SENSITIVE_KEY =
  /(^|[._-]|(?<=[a-z]))(e-?mail(_?address)?|account(_?(id|number|no))?|acct(_?no)?|iban|card(_?number)?|pan|ssn|phone(_?number)?|address|password|passwd|secret|token|access_?token|api_?key|authorization|auth|cookie|session_?id|user(_?name)?|username|customer(_?name)?|client_?name|first_?name|last_?name|full_?name|name|owner|trader)$/i;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/**
 * Digit runs of 13 or more digits, optionally grouped by spaces or dashes: a card number (13–19 digits,
 * masked when Luhn-valid) may sit in a longer run next to another number ("qty 12 4111 1111 1111 1111").
 */
const CARD_RUN = /\b\d(?:[ -]?\d){12,}\b/g;
/** An account number named as such in free text ("account 12345678", "acct #: 9876543"). */
const ACCOUNT = /\b(account|acct|a\/c)(\s*(number|no\.?|#|:)?\s*)[A-Z]{0,4}\d{5,}/gi;
const IBAN = /\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b/g;
const SECRET_ASSIGNMENT = /\b(api[_-]?key|token|password|secret)\s*[=:]\s*\S+/gi;

export function isSensitiveKey(key: string): boolean {
  if (SAFE_KEYS.has(key) || key.startsWith('cloud.') || key.startsWith('telemetry.')) return false;
  return SENSITIVE_KEY.test(key);
}

/** Masks personal data inside free text (error messages, log messages). */
export function scrubText(text: string): string {
  return text
    .replace(EMAIL, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(SECRET_ASSIGNMENT, `$1=${REDACTED}`)
    .replace(IBAN, REDACTED)
    .replace(ACCOUNT, `$1$2${REDACTED}`)
    .replace(CARD_RUN, maskCardNumbers);
}

/** Masks the run if it is a card number, else the first Luhn-valid 13–19-digit window of whole digit groups. */
function maskCardNumbers(run: string): string {
  const digits = run.replace(/\D/g, '');
  if (digits.length < 13) return run;
  if (digits.length <= 19 && luhnValid(digits)) return REDACTED;
  const groups = [...run.matchAll(/\d+/g)];
  for (let i = 0; i < groups.length; i++) {
    let window = '';
    for (let j = i; j < groups.length; j++) {
      const group = groups[j] as RegExpExecArray;
      window += group[0];
      if (window.length > 19) break;
      if (window.length >= 13 && luhnValid(window)) {
        const start = (groups[i] as RegExpExecArray).index;
        const end = group.index + group[0].length;
        return `${run.slice(0, start)}${REDACTED}${maskCardNumbers(run.slice(end))}`;
      }
    }
  }
  return run;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Deep-scrubs a log context or attribute bag: drops sensitive keys, masks sensitive-looking strings. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[Truncated]';
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  // JSON.stringify would write an Error's own enumerable properties (e.g. an e-mail a library attached).
  if (value instanceof Error) {
    return scrubValue(
      { type: value.name, message: value.message, ...Object.fromEntries(Object.entries(value)) },
      depth + 1,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (isSensitiveKey(key)) continue;
    out[key] = scrubValue(inner, depth + 1);
  }
  return out;
}
