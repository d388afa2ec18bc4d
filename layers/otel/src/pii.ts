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

/**
 * The last segment of a key (after `.`, `_`, `-` or a letter, e.g. a camelCase boundary) that marks personal
 * data, case-insensitive. Literal suffixes rather than one regular expression: compiling the equivalent
 * case-insensitive alternation cost ~1 ms on every cold start (docs/benchmarks.md).
 */
const SENSITIVE_KEY_SUFFIXES: readonly string[] = [
  ...['email', 'e-mail'].flatMap((mail) => [mail, `${mail}address`, `${mail}_address`]),
  ...['', 'id', 'number', 'no'].flatMap((end) => (end ? [`account${end}`, `account_${end}`] : ['account'])),
  'acct',
  'acctno',
  'acct_no',
  'iban',
  'card',
  'cardnumber',
  'card_number',
  'pan',
  'ssn',
  'phone',
  'phonenumber',
  'phone_number',
  'address',
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'api_key',
  'authorization',
  'auth',
  'cookie',
  'sessionid',
  'session_id',
  'user',
  'username',
  'user_name',
  'customer',
  'customername',
  'customer_name',
  'clientname',
  'client_name',
  // first_name, last_name, full_name, access_token… end in one of these.
  'name',
  'owner',
  'trader',
];

const CHAR_A = 65;
const CHAR_Z = 90;
const CHAR_LOWER_A = 97;
const CHAR_LOWER_Z = 122;
const CHAR_0 = 48;
const CHAR_9 = 57;
const CASE_BIT = 32;

const isAsciiLetter = (code: number) =>
  (code >= CHAR_A && code <= CHAR_Z) || (code >= CHAR_LOWER_A && code <= CHAR_LOWER_Z);

/** `key` ends with `suffix` (lower-case ASCII), comparing ASCII letters case-insensitively. */
function endsWithIgnoringCase(key: string, suffix: string): boolean {
  const offset = key.length - suffix.length;
  if (offset < 0) return false;
  for (let i = suffix.length - 1; i >= 0; i--) {
    let code = key.charCodeAt(offset + i);
    if (code >= CHAR_A && code <= CHAR_Z) code |= CASE_BIT;
    if (code !== suffix.charCodeAt(i)) return false;
  }
  return true;
}

/** A sensitive suffix counts at the key's start, after `.`, `_` or `-`, or after a letter (`userName`). */
function isSuffixBoundary(key: string, at: number): boolean {
  if (at === 0) return true;
  const code = key.charCodeAt(at - 1);
  return isAsciiLetter(code) || code === 46 || code === 95 || code === 45;
}

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
 * What the text offers the rules below, from one pass over it: each rule runs only when the text has what
 * it cannot match without (an `@` for an e-mail, 13 grouped digits for a card number, …). Most values
 * (`lstm-v3`, `AAPL`, an ISO time, an ARN) run none: a rule's regular expression is compiled on its first
 * use, and compiling all of them cost ~2 ms of every cold start (docs/benchmarks.md). Replacing a match
 * with `[REDACTED]` never adds a feature, so what the original text lacks, the partly masked text lacks too.
 */
interface TextFeatures {
  readonly at: boolean;
  readonly assignment: boolean;
  readonly plus: boolean;
  readonly paren: boolean;
  readonly dots: number;
  readonly colons: number;
  readonly doubleColon: boolean;
  readonly digits: number;
  /** Longest run of digits with at most one space or dash between two of them. */
  readonly spaceDashRun: number;
  /** The same with a dot or dash between them. */
  readonly dotDashRun: number;
  /** Longest run of upper-case letters and digits. */
  readonly upperRun: number;
}

function featuresOf(text: string): TextFeatures {
  let at = false;
  let assignment = false;
  let plus = false;
  let paren = false;
  let doubleColon = false;
  let dots = 0;
  let colons = 0;
  let digits = 0;
  let spaceDashRun = 0;
  let dotDashRun = 0;
  let upperRun = 0;
  let spaceDash = 0;
  let dotDash = 0;
  let upper = 0;
  // Whether the previous character was a digit, or a single separator right after a digit.
  let spaceDashOpen = false;
  let dotDashOpen = false;
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code >= CHAR_0 && code <= CHAR_9;
    if (digit) {
      digits += 1;
      spaceDash = spaceDashOpen ? spaceDash + 1 : 1;
      dotDash = dotDashOpen ? dotDash + 1 : 1;
      if (spaceDash > spaceDashRun) spaceDashRun = spaceDash;
      if (dotDash > dotDashRun) dotDashRun = dotDash;
      spaceDashOpen = true;
      dotDashOpen = true;
    } else {
      const previousDigit = previous >= CHAR_0 && previous <= CHAR_9;
      spaceDashOpen = previousDigit && (code === 32 || code === 45);
      dotDashOpen = previousDigit && (code === 46 || code === 45);
      if (code === 64) at = true;
      else if (code === 61) assignment = true;
      else if (code === 58) {
        assignment = true;
        colons += 1;
        if (previous === 58) doubleColon = true;
      } else if (code === 46) dots += 1;
      else if (code === 43) plus = true;
      else if (code === 40) paren = true;
    }
    upper = digit || (code >= CHAR_A && code <= CHAR_Z) ? upper + 1 : 0;
    if (upper > upperRun) upperRun = upper;
    previous = code;
  }
  return {
    at,
    assignment,
    plus,
    paren,
    dots,
    colons,
    doubleColon,
    digits,
    spaceDashRun,
    dotDashRun,
    upperRun,
  };
}

/** Fragments one of which every SECRET_ASSIGNMENT name contains. */
const SECRET_NAME_FRAGMENTS = ['key', 'secret', 'token', 'passw', 'pwd', 'credential'] as const;

export function isSensitiveKey(key: string): boolean {
  if (SAFE_KEYS.has(key) || key.startsWith('cloud.') || key.startsWith('telemetry.')) return false;
  for (const suffix of SENSITIVE_KEY_SUFFIXES) {
    if (endsWithIgnoringCase(key, suffix) && isSuffixBoundary(key, key.length - suffix.length)) return true;
  }
  return false;
}

/**
 * Masks personal data and secrets inside free text: span names, attribute values, log messages, metric
 * dimension values. Prices, percentages, ISO timestamps, trace ids and ticker symbols pass unchanged.
 */
export function scrubText(text: string): string {
  const has = featuresOf(text);
  let lower: string | undefined;
  const mentions = (...fragments: readonly string[]) => {
    lower ??= text.toLowerCase();
    const lowered = lower;
    return fragments.some((fragment) => lowered.includes(fragment));
  };
  let out = text;
  if (has.at) out = out.replace(EMAIL, REDACTED);
  // `basic`, a space and 8 token characters at least.
  if (text.length >= 14 && mentions('bearer', 'basic')) out = out.replace(BEARER, `$1 ${REDACTED}`);
  if (has.assignment && mentions(...SECRET_NAME_FRAGMENTS)) {
    out = out.replace(SECRET_ASSIGNMENT, `$1$2${REDACTED}`);
  }
  if (has.upperRun >= 20) out = out.replace(AWS_KEY_ID, REDACTED);
  if (has.upperRun >= 15) out = out.replace(IBAN, REDACTED);
  if (has.digits >= 5 && mentions('account', 'acct', 'a/c')) out = out.replace(ACCOUNT, `$1$2${REDACTED}`);
  if (has.dots >= 3) out = out.replace(IPV4, REDACTED);
  if (has.doubleColon || has.colons >= 7) out = out.replace(IPV6, REDACTED);
  if (has.plus) out = out.replace(PHONE_INTERNATIONAL, maskInternationalPhone);
  if (has.paren || has.dotDashRun >= 10) out = out.replace(PHONE_NANP, REDACTED);
  if (has.spaceDashRun >= 9) out = out.replace(SSN, REDACTED);
  if (has.spaceDashRun >= 13) out = out.replace(CARD_RUN, maskCardNumbers);
  // A trunk 0 and 9–10 more digits, or 0 + 2–4 + 3–4 + 3–4 digits in groups.
  if (has.spaceDashRun >= 9) out = out.replace(PHONE_NATIONAL, REDACTED);
  return out;
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
