import { diag, type TraceState } from '@opentelemetry/api';
import { TraceState as TraceStateImpl } from '@opentelemetry/core';

/**
 * Consistent probability sampling, as the OpenTelemetry specification defines it
 * ("TraceState: Probability Sampling"; OTEP 235):
 *
 * - randomness R: a 56-bit value, the explicit `rv` sub-key of the `ot` tracestate entry when present,
 *   otherwise the low 56 bits (last 14 hex digits) of the trace id (W3C Trace Context Level 2);
 * - rejection threshold T = (1 − p) · 2^56, computed as 2^56 − round(p · 2^56) so that p = 0.2 gives
 *   57646075230342348 exactly as the reference implementations do;
 * - keep when R ≥ T. Because every participant compares the same R, a span kept at probability p₂ is
 *   also kept at every p₁ ≥ p₂: sampled sets are nested, and traces stay coherent;
 * - a sampled span carries `ot=th:<hex>` (T in hex, 14 digits, trailing zeros removed), from which any
 *   consumer recovers p = 1 − T / 2^56 and the adjusted count 1/p.
 *
 * Thresholds are BigInts: 56 bits do not fit a double exactly.
 */

/** 2^56: the threshold of "never" (no 56-bit R reaches it). */
export const MAX_THRESHOLD = 1n << 56n;
/** 0: the threshold of probability 1 (`th:0`). */
export const MIN_THRESHOLD = 0n;
/** Hex digits of a 56-bit value. */
export const THRESHOLD_HEX_DIGITS = 14;
/** The spec recommends 4 significant hex digits for SDK-written thresholds (short tracestate). */
export const DEFAULT_THRESHOLD_PRECISION = 4;
/** Smallest probability that has a threshold: 2^-56. Smaller positive values are clamped to it. */
export const MIN_PROBABILITY = 2 ** -56;

const TWO_POW_56 = 2 ** 56;
const OT_KEY = 'ot';
/** The W3C limit for one tracestate value. */
const MAX_OT_VALUE_LENGTH = 256;
const HEX = /^[0-9a-f]+$/;

/**
 * A probability in [0, 1]. Anything else (NaN, ±∞, non-numbers, < 0, > 1) is normalised with a
 * `diag.warn`, as the OTel JS samplers do: out-of-range values are clamped, non-numbers fall back.
 */
export function normalizeProbability(
  value: unknown,
  fallback: number,
  label = 'sampling probability',
): { probability: number; warning?: string } {
  let warning: string | undefined;
  let probability: number;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    probability = fallback;
    warning = `${label} ${String(value)} is not a number; using ${fallback}`;
  } else if (value < 0) {
    probability = 0;
    warning = `${label} ${value} is below 0; clamped to 0`;
  } else if (value > 1) {
    probability = 1;
    warning = `${label} ${value} is above 1; clamped to 1`;
  } else {
    probability = value;
  }
  if (warning === undefined) return { probability };
  diag.warn(warning);
  return { probability, warning };
}

/**
 * Rounds a threshold to `hexDigits` significant hex digits (round half up), the precision the
 * `th` value will be written with. Rounding is monotone, so nested sampled sets stay nested.
 * A value that would round up to 2^56 ("never") is truncated instead, keeping p > 0.
 */
export function roundThresholdToHexDigits(threshold: bigint, hexDigits: number): bigint {
  const digits = Math.max(1, Math.min(THRESHOLD_HEX_DIGITS, Math.trunc(hexDigits)));
  if (digits >= THRESHOLD_HEX_DIGITS) return threshold;
  const unit = 1n << BigInt(4 * (THRESHOLD_HEX_DIGITS - digits));
  const rounded = ((threshold + unit / 2n) / unit) * unit;
  return rounded >= MAX_THRESHOLD ? (threshold / unit) * unit : rounded;
}

/**
 * The rejection threshold for probability `p`, or `null` for p = 0 (never sampled: "never" is not a
 * probability sampling decision and has no `th`).
 *
 * `precision` follows the spec's algorithm: significant hex digits, raised by one for every factor 16
 * by which p is below 1 (so small probabilities keep their significant digits: p = 0.01 at precision 5
 * is written with 6 digits, `fd70a4`). Omit it (or pass ≥ 14) for full 56-bit precision.
 * `p` must already be normalised (see `normalizeProbability`).
 */
export function probabilityToThreshold(p: number, precision?: number): bigint | null {
  if (!(p > 0)) return null;
  if (p >= 1) return MIN_THRESHOLD;
  const clamped = Math.max(p, MIN_PROBABILITY);
  const full = MAX_THRESHOLD - BigInt(Math.round(clamped * TWO_POW_56));
  if (precision === undefined || precision >= THRESHOLD_HEX_DIGITS) return full;
  // frexp exponent of p: p = m · 2^e with m in [0.5, 1).
  const exponent = Math.floor(Math.log2(clamped)) + 1;
  const digits = precision + Math.floor(exponent / -4);
  return roundThresholdToHexDigits(full, digits);
}

/** The smaller (more permissive) of two thresholds. */
export function minThreshold(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** p = 1 − T / 2^56 (T = 2^56 → 0). */
export function thresholdToProbability(threshold: bigint): number {
  if (threshold <= MIN_THRESHOLD) return 1;
  if (threshold >= MAX_THRESHOLD) return 0;
  return Number(MAX_THRESHOLD - threshold) / TWO_POW_56;
}

/** The `th` value: 14 hex digits with trailing zeros removed; `0` for probability 1. */
export function encodeThreshold(threshold: bigint): string {
  if (threshold <= MIN_THRESHOLD) return '0';
  const hex = threshold.toString(16).padStart(THRESHOLD_HEX_DIGITS, '0');
  return hex.replace(/0+$/, '');
}

/** Parses a `th` value (1–14 hex digits, implicitly padded with trailing zeros); `null` if invalid. */
export function parseThreshold(value: string): bigint | null {
  if (value.length === 0 || value.length > THRESHOLD_HEX_DIGITS || !HEX.test(value)) return null;
  return BigInt(`0x${value.padEnd(THRESHOLD_HEX_DIGITS, '0')}`);
}

/** Parses an `rv` value (exactly 14 hex digits); `null` if invalid. */
export function parseRandomValue(value: string): bigint | null {
  if (value.length !== THRESHOLD_HEX_DIGITS || !HEX.test(value)) return null;
  return BigInt(`0x${value}`);
}

/** R from the trace id: its least significant 56 bits. `null` for a malformed trace id. */
export function randomnessFromTraceId(traceId: string): bigint | null {
  if (traceId.length !== 32) return null;
  return parseRandomValue(traceId.slice(-THRESHOLD_HEX_DIGITS).toLowerCase());
}

/** The consistent decision: keep when R ≥ T; a `null` threshold (p = 0) never keeps. */
export function shouldKeep(randomness: bigint, threshold: bigint | null): boolean {
  return threshold !== null && randomness >= threshold;
}

/** The `ot` tracestate entry split into its sampling sub-keys and everything else (kept in order). */
export interface OtTraceState {
  readonly threshold: bigint | null;
  readonly randomValue: bigint | null;
  /** Other `key:value` sub-keys, preserved verbatim. */
  readonly rest: readonly string[];
}

/** Parses the value of the `ot` tracestate entry (`th:8;rv:…;xx:yy`). Invalid th/rv read as absent. */
export function parseOtValue(value: string | undefined): OtTraceState {
  if (!value || value.length > MAX_OT_VALUE_LENGTH) return { threshold: null, randomValue: null, rest: [] };
  let threshold: bigint | null = null;
  let randomValue: bigint | null = null;
  const rest: string[] = [];
  for (const member of value.split(';')) {
    if (member.startsWith('th:')) threshold = parseThreshold(member.slice(3));
    else if (member.startsWith('rv:')) randomValue = parseRandomValue(member.slice(3));
    else if (member.length > 0) rest.push(member);
  }
  return { threshold, randomValue, rest };
}

/** Serialises an `ot` value: th first (omitted when absent), then rv, then the other sub-keys. */
export function serializeOtValue(ot: OtTraceState): string {
  const parts: string[] = [];
  if (ot.threshold !== null && ot.threshold < MAX_THRESHOLD)
    parts.push(`th:${encodeThreshold(ot.threshold)}`);
  if (ot.randomValue !== null)
    parts.push(`rv:${ot.randomValue.toString(16).padStart(THRESHOLD_HEX_DIGITS, '0')}`);
  parts.push(...ot.rest);
  let serialized = parts.join(';');
  // Over the W3C limit: drop trailing unknown sub-keys rather than th/rv.
  while (serialized.length > MAX_OT_VALUE_LENGTH && serialized.includes(';')) {
    serialized = serialized.slice(0, serialized.lastIndexOf(';'));
  }
  return serialized;
}

/** Reads the `ot` entry of a trace state. */
export function readOtTraceState(traceState: TraceState | undefined): OtTraceState {
  return parseOtValue(traceState?.get(OT_KEY));
}

/**
 * Returns a trace state with the `ot` entry's `th` set (or erased with `null`), every other `ot`
 * sub-key and every other vendor's entry preserved. Returns `undefined` when the result would be empty
 * and there was no trace state to begin with.
 */
export function withThreshold(
  traceState: TraceState | undefined,
  threshold: bigint | null,
): TraceState | undefined {
  const current = readOtTraceState(traceState);
  const value = serializeOtValue({ ...current, threshold });
  if (value.length === 0) {
    if (!traceState) return undefined;
    return traceState.get(OT_KEY) === undefined ? traceState : traceState.unset(OT_KEY);
  }
  return (traceState ?? new TraceStateImpl()).set(OT_KEY, value);
}

/** R for a trace: explicit `rv` in the trace state wins over the trace id's low 56 bits. */
export function randomnessOf(traceId: string, traceState: TraceState | undefined): bigint | null {
  return readOtTraceState(traceState).randomValue ?? randomnessFromTraceId(traceId);
}

/*
 * The decision path. Samplers decide on every span start, so the BigInt work above is done once per
 * distinct probability or `th` value and cached: a decision compares 14-digit lowercase hex strings
 * (for equal-length lowercase hex, string order is numeric order) and reuses the encoded `th`.
 */

/** A threshold with what a decision needs computed once. */
export interface PreparedThreshold {
  readonly value: bigint;
  /** The threshold as 14 lowercase hex digits, zero-padded: compares with a randomness string. */
  readonly hex: string;
  /** Its `th` value (`encodeThreshold`). */
  readonly encoded: string;
  /** Its probability (`thresholdToProbability`). */
  readonly probability: number;
}

/** The `ot` tracestate entry with its threshold prepared and its randomness as 14 hex digits. */
export interface PreparedOt {
  readonly threshold: PreparedThreshold | null;
  /** The explicit `rv` (14 lowercase hex digits), or null. */
  readonly randomHex: string | null;
  /** Other `key:value` sub-keys, preserved verbatim. */
  readonly rest: readonly string[];
}

/** Bound of each cache: inputs are few in practice (a handful of probabilities, of `th` values). */
const CACHE_LIMIT = 256;
const LOWER_HEX_14 = /^[0-9a-f]{14}$/;
const OT_PREFIX = `${OT_KEY}=`;
/** `,`: separates tracestate list members. */
const LIST_SEPARATOR_CODE = 44;
const EMPTY_OT: PreparedOt = Object.freeze({ threshold: null, randomHex: null, rest: Object.freeze([]) });
const preparedByValue = new Map<bigint, PreparedThreshold>();
const preparedByProbability = new Map<number, Map<number, PreparedThreshold | null>>();
const preparedByTh = new Map<string, PreparedThreshold | null>();
const preparedOtByValue = new Map<string, PreparedOt>();
/** The trace state `ot=th:<hex>` alone, per threshold (trace states are immutable: safe to share). */
const rootTraceStates = new Map<PreparedThreshold, TraceState>();

function cache<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= CACHE_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

/** `threshold` prepared for decisions (cached by value). */
export function prepareThreshold(threshold: bigint): PreparedThreshold {
  const cached = preparedByValue.get(threshold);
  if (cached) return cached;
  const clamped = threshold < MIN_THRESHOLD ? MIN_THRESHOLD : threshold;
  // "Never" (≥ 2^56) has no 14-digit form: 'g' sorts above every hex digit, so no R reaches it.
  const hex =
    clamped >= MAX_THRESHOLD
      ? 'g'.repeat(THRESHOLD_HEX_DIGITS)
      : clamped.toString(16).padStart(THRESHOLD_HEX_DIGITS, '0');
  const prepared: PreparedThreshold = Object.freeze({
    value: threshold,
    hex,
    encoded: encodeThreshold(threshold),
    probability: thresholdToProbability(threshold),
  });
  return cache(preparedByValue, threshold, prepared);
}

/** The threshold of the lowest bar: probability 1, `th:0`. */
export const PREPARED_MIN_THRESHOLD: PreparedThreshold = prepareThreshold(MIN_THRESHOLD);

/** `probabilityToThreshold(p, precision)`, prepared and cached per (precision, p). */
export function preparedThresholdFor(p: number, precision?: number): PreparedThreshold | null {
  const key = precision ?? THRESHOLD_HEX_DIGITS;
  let byP = preparedByProbability.get(key);
  if (!byP) byP = cache(preparedByProbability, key, new Map<number, PreparedThreshold | null>());
  const cached = byP.get(p);
  if (cached !== undefined) return cached;
  const threshold = probabilityToThreshold(p, precision);
  return cache(byP, p, threshold === null ? null : prepareThreshold(threshold));
}

/** `parseThreshold`, prepared and cached per `th` value. */
export function parsePreparedThreshold(value: string): PreparedThreshold | null {
  const cached = preparedByTh.get(value);
  if (cached !== undefined) return cached;
  const threshold = parseThreshold(value);
  return cache(preparedByTh, value, threshold === null ? null : prepareThreshold(threshold));
}

/** The smaller (more permissive) of two prepared thresholds. */
export function minPreparedThreshold(a: PreparedThreshold, b: PreparedThreshold): PreparedThreshold {
  return a.hex < b.hex ? a : b;
}

/** 1 for the lowercase hex digits' char codes (a table: cheaper than a regex on every decision). */
const LOWER_HEX_CODES = new Uint8Array(128);
for (const char of '0123456789abcdef') LOWER_HEX_CODES[char.charCodeAt(0)] = 1;

function isLowerHexFrom(value: string, start: number): boolean {
  let valid = 1;
  for (let i = start; i < value.length; i++) valid &= LOWER_HEX_CODES[value.charCodeAt(i)] ?? 0;
  return valid === 1;
}

/** R of a trace id as 14 lowercase hex digits (`randomnessFromTraceId`); `null` for a malformed trace id. */
export function randomHexFromTraceId(traceId: string): string | null {
  if (traceId.length !== 32) return null;
  if (isLowerHexFrom(traceId, 32 - THRESHOLD_HEX_DIGITS)) return traceId.slice(-THRESHOLD_HEX_DIGITS);
  const lower = traceId.slice(-THRESHOLD_HEX_DIGITS).toLowerCase();
  return LOWER_HEX_14.test(lower) ? lower : null;
}

/** `shouldKeep` on the prepared forms: keep when R ≥ T; a `null` threshold (p = 0) never keeps. */
export function shouldKeepHex(randomHex: string, threshold: PreparedThreshold | null): boolean {
  return threshold !== null && randomHex >= threshold.hex;
}

/** `parseOtValue` on the prepared forms (cached per value unless it carries a per-trace `rv`). */
export function parsePreparedOt(value: string | undefined): PreparedOt {
  if (!value || value.length > MAX_OT_VALUE_LENGTH) return EMPTY_OT;
  const cached = preparedOtByValue.get(value);
  if (cached) return cached;
  let threshold: PreparedThreshold | null = null;
  let randomHex: string | null = null;
  const rest: string[] = [];
  for (const member of value.split(';')) {
    if (member.startsWith('th:')) threshold = parsePreparedThreshold(member.slice(3));
    else if (member.startsWith('rv:')) {
      const rv = member.slice(3);
      randomHex = LOWER_HEX_14.test(rv) ? rv : null;
    } else if (member.length > 0) rest.push(member);
  }
  const parsed: PreparedOt = Object.freeze({ threshold, randomHex, rest: Object.freeze(rest) });
  return randomHex === null ? cache(preparedOtByValue, value, parsed) : parsed;
}

/** The prepared `ot` entry of a trace state. */
export function readPreparedOt(traceState: TraceState | undefined): PreparedOt {
  return traceState === undefined ? EMPTY_OT : parsePreparedOt(traceState.get(OT_KEY));
}

/** `serializeOtValue` on the prepared forms. */
function serializePreparedOt(ot: PreparedOt, threshold: PreparedThreshold | null): string {
  const th = threshold !== null && threshold.value < MAX_THRESHOLD ? `th:${threshold.encoded}` : '';
  if (ot.randomHex === null && ot.rest.length === 0) return th;
  const parts: string[] = th ? [th] : [];
  if (ot.randomHex !== null) parts.push(`rv:${ot.randomHex}`);
  parts.push(...ot.rest);
  let serialized = parts.join(';');
  while (serialized.length > MAX_OT_VALUE_LENGTH && serialized.includes(';')) {
    serialized = serialized.slice(0, serialized.lastIndexOf(';'));
  }
  return serialized;
}

/**
 * Whether `traceState.set('ot', value)` would change nothing: the value is unchanged and `ot` is already
 * the first (most recently updated) entry. Cheaper than the copy `set` makes, and common: a child
 * inherits its parent's `th` unless its own probability is higher.
 */
function otAlreadyFirst(traceState: TraceState, value: string): boolean {
  const serialized = traceState.serialize();
  const end = OT_KEY.length + 1 + value.length;
  return (
    (serialized.length === end || serialized.charCodeAt(end) === LIST_SEPARATOR_CODE) &&
    serialized.startsWith(OT_PREFIX) &&
    serialized.startsWith(value, OT_PREFIX.length)
  );
}

/** `withThreshold` on the prepared forms. */
export function withPreparedThreshold(
  traceState: TraceState | undefined,
  threshold: PreparedThreshold | null,
): TraceState | undefined {
  if (traceState === undefined) {
    if (threshold === null || threshold.value >= MAX_THRESHOLD) return undefined;
    const cached = rootTraceStates.get(threshold);
    if (cached) return cached;
    return cache(rootTraceStates, threshold, new TraceStateImpl().set(OT_KEY, `th:${threshold.encoded}`));
  }
  const current = traceState.get(OT_KEY);
  const value = serializePreparedOt(parsePreparedOt(current), threshold);
  if (value.length === 0) return current === undefined ? traceState : traceState.unset(OT_KEY);
  if (value === current && otAlreadyFirst(traceState, value)) return traceState;
  return traceState.set(OT_KEY, value);
}
