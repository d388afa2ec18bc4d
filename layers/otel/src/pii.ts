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
/** Card-like runs: 13–19 digits, optionally grouped by spaces or dashes (masked when Luhn-valid). */
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
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
    .replace(CARD, (match) => (luhnValid(match.replace(/\D/g, '')) ? REDACTED : match));
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
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (isSensitiveKey(key)) continue;
    out[key] = scrubValue(inner, depth + 1);
  }
  return out;
}
