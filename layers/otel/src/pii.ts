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

/**
 * Boundaries of a masked run: `_`, `.` and `-` separate (a model id `lstm_07700900123` must not hide a phone
 * number), but a decimal point does not (`0.0000012345` is a price, not a national phone number).
 */
const B = '(?<![A-Za-z0-9]|\\d\\.)';
const E = '(?![A-Za-z0-9]|\\.\\d)';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/**
 * `name=value`, `name: value`, `"name": "value"` where the name says secret (`aws_secret_access_key`,
 * `x-api-key`, `client_secret`, `password`, …): the value is masked, the name kept.
 */
const SECRET_ASSIGNMENT =
  /\b([\w.-]*?(?:api[_-]?key|access[_-]?key(?:[_-]?id)?|secret(?:[_-]?access)?(?:[_-]?key)?|token|password|passwd|pwd|credentials?|private[_-]?key))(["']?\s*[=:]\s*["']?)[^\s"',;&}]+/gi;
/** AWS access key ids: `AKIA…` (long-term), `ASIA…` (temporary) and the other unique-id prefixes. */
const AWS_KEY_ID = new RegExp(
  `${B}(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}${E}`,
  'g',
);
const IBAN = new RegExp(`${B}[A-Z]{2}\\d{2}[A-Z0-9]{11,30}${E}`, 'g');
/** An account number named as such in free text ("account 12345678", "acct #: 9876543"). */
const ACCOUNT = /\b(account|acct|a\/c)(\s*(number|no\.?|#|:)?\s*)[A-Z]{0,4}\d{5,}/gi;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/**
 * Dotted-quad IPv4, not part of a longer dotted number (`1.2.3.4.5`) or of a name (`v1.2.3.4`). A four-part
 * version after a separator (`model-1.2.3.4`) reads as an address and is masked: the safe side.
 */
const IPV4 = new RegExp(`(?<![A-Za-z0-9.])${OCTET}(?:\\.${OCTET}){3}(?![A-Za-z0-9]|\\.\\d)`, 'g');
const HEX4 = '[0-9A-Fa-f]{1,4}';
/**
 * IPv6: eight groups, or a `::`-compressed form with at least one group (`2001:db8::1`, `fe80::1ff:fe23`,
 * `::1`), with an optional zone. A clock time (`13:11:00`) has neither seven colons nor `::`.
 */
const IPV6 = new RegExp(
  `(?<![A-Za-z0-9:.])(?:(?:${HEX4}:){7}${HEX4}|(?:${HEX4}:){1,7}:(?:${HEX4}(?::${HEX4}){0,5})?|::${HEX4}(?::${HEX4}){0,6})(?:%[A-Za-z0-9]+)?(?![A-Za-z0-9:])`,
  'g',
);
/** International numbers (`+1 (555) 867-5309`, `+44 20 7946 0958`): a `+`, then groups; 8–15 digits in all. */
const PHONE_INTERNATIONAL =
  /(?<![A-Za-z0-9+])\+\d{1,3}(?:[ .-]?(?:\(\d{1,4}\)|\d{1,4})){2,5}(?![A-Za-z0-9])/g;
/** North American numbers as written: `(555) 867-5309`, `555-867-5309`, `555.867.5309`. */
const PHONE_NANP = new RegExp(`(?:\\(\\d{3}\\)\\s?|${B}\\d{3}[.-])\\d{3}[.-]\\d{4}${E}`, 'g');
/**
 * National numbers with a trunk 0 (`07700900123`, `020 7946 0958`): 10–11 digits. A bare 10-digit run
 * without the 0 is left alone: it is as likely an epoch time or a quantity.
 */
const PHONE_NATIONAL = new RegExp(`${B}0(?:\\d{9,10}|\\d{2,4}(?:[ -]\\d{3,4}){2})${E}`, 'g');
/** US social security numbers as written, `123-45-6789` or `123 45 6789` (a bare 9-digit run is a quantity). */
const SSN = new RegExp(`${B}\\d{3}([- ])\\d{2}\\1\\d{4}${E}`, 'g');
/**
 * Digit runs of 13 or more digits, optionally grouped by spaces or dashes: a card number (13–19 digits,
 * masked when Luhn-valid) may sit in a longer run next to another number ("qty 12 4111 1111 1111 1111").
 */
const CARD_RUN = new RegExp(`${B}\\d(?:[ -]?\\d){12,}${E}`, 'g');

/**
 * What every rule below needs: an `@` (e-mail), `=` or `:` (a secret assignment, IPv6), a bearer/basic
 * token, a run of 15 letters or digits (IBAN, AWS key id), or four digits at most one character apart
 * (phone, SSN, IPv4, card and account numbers). Most attribute values (`lstm-v3`, `AAPL`, `regular`) have
 * none, and skip the rules.
 */
const MAYBE_SENSITIVE = /[@=:]|bearer|basic|[A-Z0-9]{15}|\d\D?\d\D?\d\D?\d/i;

export function isSensitiveKey(key: string): boolean {
  if (SAFE_KEYS.has(key) || key.startsWith('cloud.') || key.startsWith('telemetry.')) return false;
  return SENSITIVE_KEY.test(key);
}

/**
 * Masks personal data and secrets inside free text: span names, attribute values, log messages, metric
 * dimension values. Prices, percentages, ISO timestamps, trace ids and ticker symbols pass unchanged.
 */
export function scrubText(text: string): string {
  if (!MAYBE_SENSITIVE.test(text)) return text;
  return text
    .replace(EMAIL, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(SECRET_ASSIGNMENT, `$1$2${REDACTED}`)
    .replace(AWS_KEY_ID, REDACTED)
    .replace(IBAN, REDACTED)
    .replace(ACCOUNT, `$1$2${REDACTED}`)
    .replace(IPV4, REDACTED)
    .replace(IPV6, REDACTED)
    .replace(PHONE_INTERNATIONAL, maskInternationalPhone)
    .replace(PHONE_NANP, REDACTED)
    .replace(SSN, REDACTED)
    .replace(CARD_RUN, maskCardNumbers)
    .replace(PHONE_NATIONAL, REDACTED);
}

/** A `+` and 8–15 digits is a phone number; fewer is a signed figure (`+2.5`, `+187.25`). */
function maskInternationalPhone(candidate: string): string {
  const digits = candidate.replace(/\D/g, '').length;
  return digits >= 8 && digits <= 15 ? REDACTED : candidate;
}

/** Masks the run if it is a card number, else the first Luhn-valid 13–19-digit window of whole digit groups. */
function maskCardNumbers(run: string): string {
  const digits = run.replace(/\D/g, '');
  if (digits.length < 13) return run;
  if (isCardNumber(digits)) return REDACTED;
  const groups = [...run.matchAll(/\d+/g)];
  for (let i = 0; i < groups.length; i++) {
    let window = '';
    for (let j = i; j < groups.length; j++) {
      const group = groups[j] as RegExpExecArray;
      window += group[0];
      if (window.length > 19) break;
      if (isCardNumber(window)) {
        const start = (groups[i] as RegExpExecArray).index;
        const end = group.index + group[0].length;
        return `${run.slice(0, start)}${REDACTED}${maskCardNumbers(run.slice(end))}`;
      }
    }
  }
  return run;
}

/**
 * 13–19 digits, Luhn-valid, and not an epoch time: no card number starts with 0, and those starting with 1
 * (UATP, 15 digits) are never 13 or 16 digits long, as epoch milliseconds and microseconds are (2001–2286).
 */
function isCardNumber(digits: string): boolean {
  const length = digits.length;
  if (length < 13 || length > 19 || digits[0] === '0') return false;
  if (digits[0] === '1' && (length === 13 || length === 16)) return false;
  return luhnValid(digits);
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
