/**
 * Property-based fuzzing of the functions' payloads (fast-check, fixed seeds): a description of each
 * action's fields, generators of payloads that are valid by construction and of payloads that are invalid
 * by construction (one mutation of a valid payload that the schema must refuse), and the oracle that every
 * answer must meet.
 */
import fc from 'fast-check';
import { ErrorCode } from '../../lambdas/shared/response';
import { Limits, type PredictionInput } from '../../lambdas/shared/schemas';

/** Fixed seeds: a failure reproduces with the same seed (fast-check prints the path to shrink from). */
export const FUZZ_SEED = 20_261_125;

/** Number-typed field with its bounds (inclusive) and whether it must be an integer. */
interface NumberField {
  readonly kind: 'number';
  readonly min: number;
  readonly max: number;
  /** Bound is exclusive (e.g. price > 0). */
  readonly exclusiveMin?: boolean;
  readonly int: boolean;
  /** Non-zero values must be at least this large (DynamoDB cannot store smaller magnitudes). */
  readonly minNonZero?: number;
}

export type FieldKind =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'symbol' }
  | { readonly kind: 'model' }
  | { readonly kind: 'iso' }
  | NumberField
  | { readonly kind: 'boolean' }
  | { readonly kind: 'list'; readonly of: 'symbol' | 'model'; readonly max: number }
  | { readonly kind: 'batch'; readonly of: 'prediction' | 'price'; readonly max: number };

export interface FieldSpec {
  readonly name: string;
  readonly required: boolean;
  readonly type: FieldKind;
}

/** One action of one function: the discriminator field, its value and the other fields. */
export interface ActionSpec {
  readonly fn: string;
  readonly discriminator: 'action' | 'demo_type';
  readonly action: string;
  readonly fields: readonly FieldSpec[];
  /** Every action the function knows (an unknown one must be refused as such). */
  readonly knownActions: readonly string[];
}

const num = (
  min: number,
  max: number,
  int: boolean,
  exclusiveMin = false,
  minNonZero?: number,
): NumberField => ({
  kind: 'number',
  min,
  max,
  int,
  exclusiveMin,
  ...(minNonZero === undefined ? {} : { minNonZero }),
});

// ------------------------------------------------------------------------------------ valid values

export const SYMBOLS = ['AAPL', 'MSFT', 'IBM', 'GOOG', 'BRK.B', 'RDS-A', 'X'] as const;
const MIN_MS = Date.parse(Limits.MIN_TIME);
const MAX_MS = Date.parse(Limits.MAX_TIME) - 1;

export const validSymbol = fc.stringMatching(/^[A-Z][A-Z0-9.-]{0,9}$/);
export const validModel = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
/** ISO timestamps inside the accepted range, in the forms the schema accepts (Z or an offset, with/without ms). */
export const validIso = fc
  .tuple(
    fc.integer({ min: MIN_MS + 86_400_000, max: MAX_MS - 86_400_000 }),
    fc.constantFrom('Z', 'ms', '+02:00'),
  )
  .map(([ms, form]) => {
    const iso = new Date(ms).toISOString();
    if (form === 'ms') return iso;
    if (form === 'Z') return `${iso.slice(0, 19)}Z`;
    return `${new Date(ms + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00`;
  });
const validPrice = fc.double({
  min: Limits.MIN_PRICE,
  max: Limits.MAX_PRICE,
  noNaN: true,
  noDefaultInfinity: true,
});
const validConfidence = fc.oneof(
  fc.constantFrom(0, 1, Limits.MIN_NONZERO_CONFIDENCE),
  fc.double({ min: Limits.MIN_NONZERO_CONFIDENCE, max: 1, noNaN: true, noDefaultInfinity: true }),
);

export type PredictionPayload = PredictionInput;

export const validPrediction: fc.Arbitrary<PredictionPayload> = fc
  .record({
    symbol: fc.constantFrom(...SYMBOLS),
    model: validModel,
    at: fc.integer({ min: MIN_MS, max: MAX_MS - 30 * 86_400_000 }),
    horizonMs: fc.integer({ min: 1000, max: 30 * 86_400_000 }),
    basePrice: validPrice,
    predictedPrice: validPrice,
    confidence: validConfidence,
  })
  .map(({ at, horizonMs, ...rest }) => ({
    ...rest,
    predictedAt: new Date(at).toISOString(),
    targetTime: new Date(at + horizonMs).toISOString(),
  }));

export const validPricePoint = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  timestamp: validIso,
  price: validPrice,
});

function validValue(type: FieldKind): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'literal':
      return fc.constant(type.value);
    case 'symbol':
      return validSymbol;
    case 'model':
      return validModel;
    case 'iso':
      return validIso;
    case 'number':
      return type.int
        ? fc.integer({ min: Math.max(type.min, Number.MIN_SAFE_INTEGER), max: type.max })
        : fc.double({ min: type.min, max: type.max, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'list':
      return fc.array(type.of === 'symbol' ? validSymbol : validModel, { minLength: 1, maxLength: 5 });
    case 'batch':
      return fc.array(itemOf(type.of), { minLength: 1, maxLength: 4 });
  }
}

/** A payload the action's schema accepts: the discriminator, every required field, some optional ones. */
export function validPayload(spec: ActionSpec): fc.Arbitrary<Record<string, unknown>> {
  const entries = spec.fields.map((field) =>
    field.required
      ? validValue(field.type).map((value) => [field.name, value] as const)
      : fc.option(validValue(field.type), { nil: undefined }).map((value) => [field.name, value] as const),
  );
  return fc.tuple(...entries).map((pairs) => {
    const payload: Record<string, unknown> = { [spec.discriminator]: spec.action };
    for (const [name, value] of pairs) if (value !== undefined) payload[name] = value;
    return payload;
  });
}

// ---------------------------------------------------------------------------------- invalid values

/** Strings of 10 000 to 1 000 000 characters (cheap to build, costly for a careless parser). */
export const hugeString = fc
  .tuple(fc.integer({ min: 10_000, max: 1_000_000 }), fc.constantFrom('A', '9', 'é', ' ', '"', '\u0000'))
  .map(([length, char]) => char.repeat(length));

/** Numbers JSON cannot carry but an in-process JavaScript caller can pass. */
export const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

/** Values of no JSON-schema type the fields accept: objects, arrays, null, booleans, exotic numbers. */
const structured = fc.oneof(
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);

function wrongType(type: FieldKind): fc.Arbitrary<unknown> {
  const notString = fc.oneof(structured, fc.boolean(), fc.integer(), fc.double(), nonFinite);
  const notNumber = fc.oneof(structured, fc.boolean(), fc.string({ maxLength: 8 }), nonFinite);
  switch (type.kind) {
    case 'literal':
    case 'symbol':
    case 'model':
    case 'iso':
      return notString;
    case 'number':
      return notNumber;
    case 'boolean':
      return fc.oneof(structured, fc.string({ maxLength: 5 }), fc.integer(), nonFinite);
    case 'list':
    case 'batch':
      return fc.oneof(
        fc.constant(null),
        fc.string({ maxLength: 5 }),
        fc.integer(),
        fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
      );
  }
}

const badSymbol = fc.oneof(
  fc.string({ maxLength: 12 }).filter((s) => !/^[A-Z][A-Z0-9.-]{0,9}$/.test(s)),
  fc.constantFrom('', 'aapl', 'AAPL ', 'TOOLONGSYMBOL', '1ABC', 'A/B', 'jane@example.com'),
  hugeString,
);
const badModel = fc.oneof(
  fc.string({ maxLength: 70 }).filter((s) => !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(s)),
  fc.constantFrom('', '-lead', 'a'.repeat(65), 'model v1', 'model/1'),
  hugeString,
);
/** Timestamps the schema must refuse: malformed, without a zone, impossible, or outside 2000–2100. */
export const badIso = fc.oneof(
  fc.constantFrom(
    '',
    'yesterday',
    '2026-11-24',
    '2026-11-24T15:30:00',
    '2026-13-01T00:00:00Z',
    '2026-11-24T25:00:00Z',
    '2026-11-24T24:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-02-29T12:00:00Z',
    '2026-04-31T12:00:00+01:00',
    '2026-11-24T23:59:60Z',
    '2026-11-24T15:30:00+25:00x',
    '1970-01-01T00:00:00Z',
    '1999-12-31T23:59:59.999Z',
    '2100-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+020255-01-01T00:00:00Z',
    '20255-01-01T00:00:00Z',
  ),
  fc.integer({ min: 0, max: 1999 }).map((year) => `${String(year).padStart(4, '0')}-06-15T12:00:00Z`),
  fc.integer({ min: 2100, max: 9999 }).map((year) => `${year}-06-15T12:00:00Z`),
  fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s)),
  hugeString,
);

function outOfRange(type: NumberField): fc.Arbitrary<number> {
  const below = type.exclusiveMin
    ? fc.double({ min: -1e9, max: type.min, noNaN: true, noDefaultInfinity: true })
    : fc.double({ min: -1e9, max: type.min, maxExcluded: true, noNaN: true, noDefaultInfinity: true });
  const above = fc.double({
    min: type.max,
    max: 1e12,
    minExcluded: true,
    noNaN: true,
    noDefaultInfinity: true,
  });
  const options: fc.Arbitrary<number>[] = [below, above, nonFinite];
  if (type.minNonZero !== undefined) {
    options.push(fc.double({ min: Number.MIN_VALUE, max: type.minNonZero, maxExcluded: true, noNaN: true }));
  }
  if (type.int) {
    options.push(
      fc
        .double({ min: type.min, max: type.max, noNaN: true, noDefaultInfinity: true })
        .filter((x) => !Number.isInteger(x)),
    );
  }
  return fc.oneof(...options);
}

/** A value of the right JSON type that the field's constraints refuse. */
function badValue(type: FieldKind): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'literal':
      return fc.string({ maxLength: 20 }).filter((s) => s !== type.value);
    case 'symbol':
      return badSymbol;
    case 'model':
      return badModel;
    case 'iso':
      return badIso;
    case 'number':
      return outOfRange(type);
    case 'boolean':
      return fc.constantFrom('true', 'false', 0, 1);
    case 'list':
      return fc.oneof(
        fc.constant([]),
        fc.constant(Array.from({ length: type.max + 1 }, (_, i) => `S${i}`)),
        fc
          .tuple(fc.array(validSymbol, { maxLength: 3 }), type.of === 'symbol' ? badSymbol : badModel)
          .map(([good, bad]) => [...good, bad]),
      );
    case 'batch':
      return badBatch(type);
  }
}

type BatchField = Extract<FieldKind, { kind: 'batch' }>;

/** A batch with one bad item at a random position (must be refused whole), empty, or one item too many. */
function badBatch(type: BatchField): fc.Arbitrary<unknown[]> {
  const item = itemOf(type.of);
  const fields =
    type.of === 'prediction'
      ? PREDICTION_FIELDS
      : [
          { name: 'symbol', required: true, type: { kind: 'symbol' } as const },
          { name: 'timestamp', required: true, type: { kind: 'iso' } as const },
          { name: 'price', required: true, type: num(Limits.MIN_PRICE, Limits.MAX_PRICE, false) },
        ];
  const corrupted = fc
    .tuple(fc.array(item, { minLength: 1, maxLength: 30 }), fc.nat(), mutationOf(fields))
    .map(([items, index, mutate]) => {
      const copy = items.map((x) => ({ ...x })) as Record<string, unknown>[];
      const at = index % copy.length;
      copy[at] = mutate(copy[at] as Record<string, unknown>);
      return copy as unknown[];
    });
  const swapped: fc.Arbitrary<unknown[]> =
    type.of === 'prediction'
      ? validPrediction.map((p) => [{ ...p, targetTime: p.predictedAt, predictedAt: p.targetTime }])
      : fc.constant([{ symbol: 'AAPL', timestamp: '2026-11-24T15:30:00Z', price: 0 }]);
  const oversized = item.map((one) => Array.from({ length: type.max + 1 }, () => one) as unknown[]);
  return fc.oneof(
    { arbitrary: corrupted, weight: 4 },
    { arbitrary: swapped, weight: 1 },
    { arbitrary: fc.constant([] as unknown[]), weight: 1 },
    { arbitrary: oversized, weight: 1 },
    {
      arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }) as fc.Arbitrary<
        unknown[]
      >,
      weight: 1,
    },
  );
}

function itemOf(kind: 'prediction' | 'price'): fc.Arbitrary<Record<string, unknown>> {
  return (kind === 'prediction' ? validPrediction : validPricePoint) as fc.Arbitrary<Record<string, unknown>>;
}

const PREDICTION_FIELDS: readonly FieldSpec[] = [
  { name: 'symbol', required: true, type: { kind: 'symbol' } },
  { name: 'model', required: true, type: { kind: 'model' } },
  { name: 'predictedAt', required: true, type: { kind: 'iso' } },
  { name: 'targetTime', required: true, type: { kind: 'iso' } },
  { name: 'basePrice', required: true, type: num(Limits.MIN_PRICE, Limits.MAX_PRICE, false) },
  { name: 'predictedPrice', required: true, type: num(Limits.MIN_PRICE, Limits.MAX_PRICE, false) },
  { name: 'confidence', required: true, type: num(0, 1, false, false, Limits.MIN_NONZERO_CONFIDENCE) },
];

/** Field names no schema knows, some of them PII-looking (strict schemas must refuse them all). */
export const extraFieldName = fc.oneof(
  fc.constantFrom(
    'customer_email',
    'trader',
    'accountNumber',
    'user',
    'notes',
    '__proto__x',
    'Action',
    'constructor',
  ),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /^[a-z][a-z_]*$/.test(s)),
);

export type Mutation = (payload: Record<string, unknown>) => Record<string, unknown>;

/** One change to an object of `fields` that makes it invalid; `label` tells which kind (for the counts). */
function mutationOf(fields: readonly FieldSpec[]): fc.Arbitrary<Mutation & { label?: string }> {
  const names = new Set(fields.map((f) => f.name));
  const labelled = (label: string, m: Mutation) => Object.assign(m, { label });
  const options: fc.Arbitrary<Mutation & { label?: string }>[] = [
    fc
      .tuple(
        extraFieldName.filter((n) => !names.has(n)),
        fc.jsonValue({ maxDepth: 1 }),
      )
      .map(([name, value]) => labelled('extra field', (p) => ({ ...p, [name]: value ?? 'x' }))),
  ];
  const required = fields.filter((f) => f.required && f.type.kind !== 'literal');
  if (required.length > 0) {
    options.push(
      fc.constantFrom(...required).map((field) =>
        labelled('missing field', (p) => {
          const { [field.name]: _removed, ...rest } = p;
          return rest;
        }),
      ),
    );
  }
  const typed = fields.filter((f) => f.type.kind !== 'literal');
  if (typed.length > 0) {
    options.push(
      fc
        .constantFrom(...typed)
        .chain((field) => wrongType(field.type).map((value) => [field, value] as const))
        .map(([field, value]) => labelled('wrong type', (p) => ({ ...p, [field.name]: value }))),
      fc
        .constantFrom(...typed)
        .chain((field) => badValue(field.type).map((value) => [field, value] as const))
        .map(([field, value]) =>
          labelled(`bad ${field.type.kind === 'batch' ? 'batch' : field.type.kind}`, (p) => ({
            ...p,
            [field.name]: value,
          })),
        ),
    );
  }
  return fc.oneof(...options);
}

/** Payloads that are not an object, or an object whose discriminator is missing, mistyped or unknown. */
function badEnvelope(spec: ActionSpec): fc.Arbitrary<{ payload: unknown; label: string }> {
  const notObject = fc
    .oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.string({ maxLength: 20 }),
      fc.integer(),
      nonFinite,
      fc.boolean(),
      fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
      fc.constant([{ [spec.discriminator]: spec.action }]),
    )
    .map((payload) => ({ payload, label: 'not an object' }));
  const badDiscriminator = fc
    .oneof(
      fc.string({ maxLength: 30 }).filter((s) => !spec.knownActions.includes(s)),
      fc.constantFrom(
        spec.action.toUpperCase(),
        ` ${spec.action}`,
        `${spec.action}\u0000`,
        'jane@example.com',
      ),
      wrongType({ kind: 'literal', value: spec.action }),
      hugeString,
    )
    .map((value) => ({ payload: { [spec.discriminator]: value }, label: 'unknown action' }));
  const missing = fc.constant({ payload: { nothing: spec.action }, label: 'unknown action' });
  return fc.oneof(notObject, badDiscriminator, missing);
}

/** A payload the function must refuse: one mutation of a valid payload, or a bad envelope. */
export function invalidPayload(spec: ActionSpec): fc.Arbitrary<{ payload: unknown; label: string }> {
  const mutated = fc
    .tuple(validPayload(spec), mutationOf(spec.fields))
    .map(([payload, mutate]) => ({ payload: mutate(payload), label: mutate.label ?? 'mutation' }));
  return fc.oneof({ arbitrary: mutated, weight: 5 }, { arbitrary: badEnvelope(spec), weight: 1 });
}

// -------------------------------------------------------------------------------- the action table

const LOOKBACK = num(1, Limits.MAX_LOOKBACK_DAYS, true);
const TRACKER = ['record_predictions', 'record_prices', 'validate_all', 'report'] as const;
const TRADING = ['analyze', 'rankings', 'session_correlation', 'scheduled_rankings'] as const;
const OPTIMIZER = ['optimize', 'status', 'history'] as const;
const DEMO = ['full_demo', 'accuracy', 'trading', 'sampling', 'dashboards'] as const;

const action = (fn: string, name: string, known: readonly string[], fields: FieldSpec[]): ActionSpec => ({
  fn,
  discriminator: 'action',
  action: name,
  knownActions: known,
  fields: [{ name: 'action', required: true, type: { kind: 'literal', value: name } }, ...fields],
});

const demoFields: FieldSpec[] = [
  { name: 'seed', required: false, type: num(0, 0xffffffff, true) },
  { name: 'trading_days', required: false, type: num(6, 20, true) },
];
const demo = (name: string, fields: FieldSpec[]): ActionSpec => ({
  fn: 'observability-demo',
  discriminator: 'demo_type',
  action: name,
  knownActions: DEMO,
  fields: [{ name: 'demo_type', required: true, type: { kind: 'literal', value: name } }, ...fields],
});

/** Every action of every function, as its schema defines it (lambdas/<function>/schemas.ts). */
export const ACTIONS: readonly ActionSpec[] = [
  action('dual-accuracy-tracker', 'record_predictions', TRACKER, [
    {
      name: 'predictions',
      required: true,
      type: { kind: 'batch', of: 'prediction', max: Limits.MAX_PREDICTIONS_PER_CALL },
    },
  ]),
  action('dual-accuracy-tracker', 'record_prices', TRACKER, [
    { name: 'prices', required: true, type: { kind: 'batch', of: 'price', max: Limits.MAX_PRICES_PER_CALL } },
  ]),
  action('dual-accuracy-tracker', 'validate_all', TRACKER, [
    { name: 'lookback_days', required: false, type: LOOKBACK },
    {
      name: 'symbols',
      required: false,
      type: { kind: 'list', of: 'symbol', max: Limits.MAX_SYMBOLS_PER_FILTER },
    },
    {
      name: 'models',
      required: false,
      type: { kind: 'list', of: 'model', max: Limits.MAX_SYMBOLS_PER_FILTER },
    },
  ]),
  action('dual-accuracy-tracker', 'report', TRACKER, [
    { name: 'limit', required: false, type: num(1, 50, true) },
  ]),
  action('trading-intelligence', 'analyze', TRADING, [
    {
      name: 'symbols',
      required: false,
      type: { kind: 'list', of: 'symbol', max: Limits.MAX_SYMBOLS_PER_FILTER },
    },
    { name: 'asOf', required: false, type: { kind: 'iso' } },
    { name: 'lookback_trading_days', required: false, type: num(1, 60, true) },
  ]),
  action('trading-intelligence', 'rankings', TRADING, [
    { name: 'limit', required: false, type: num(1, 50, true) },
  ]),
  action('trading-intelligence', 'session_correlation', TRADING, [
    { name: 'lookback_days', required: false, type: LOOKBACK },
    {
      name: 'symbols',
      required: false,
      type: { kind: 'list', of: 'symbol', max: Limits.MAX_SYMBOLS_PER_FILTER },
    },
    { name: 'asOf', required: false, type: { kind: 'iso' } },
  ]),
  action('trading-intelligence', 'scheduled_rankings', TRADING, [
    { name: 'scheduledTime', required: true, type: { kind: 'iso' } },
  ]),
  action('sampling-optimizer', 'optimize', OPTIMIZER, [
    { name: 'scheduledTime', required: false, type: { kind: 'iso' } },
    { name: 'asOf', required: false, type: { kind: 'iso' } },
    { name: 'window_minutes', required: false, type: num(5, 1440, true) },
    { name: 'dry_run', required: false, type: { kind: 'boolean' } },
  ]),
  action('sampling-optimizer', 'status', OPTIMIZER, []),
  action('sampling-optimizer', 'history', OPTIMIZER, [
    { name: 'limit', required: false, type: num(1, 50, true) },
  ]),
  demo('full_demo', demoFields),
  demo('accuracy', demoFields),
  demo('trading', demoFields),
  demo('sampling', demoFields),
  demo('dashboards', []),
];

// ------------------------------------------------------------------------------------- the oracle

export const KNOWN_ERROR_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode),
  'CALENDAR_OUT_OF_RANGE',
]);

/** Why an answer breaks the contract (`undefined`: it meets it). `expectOk`: ok:true required. */
export function contractViolation(result: unknown, expect: 'failure' | 'any'): string | undefined {
  if (result === null || typeof result !== 'object') return `not an object: ${String(result)}`;
  const answer = result as { ok?: unknown; error?: { code?: unknown; message?: unknown; issues?: unknown } };
  if (answer.ok === true) return expect === 'failure' ? 'accepted an invalid payload' : undefined;
  if (answer.ok !== false) return `no ok field: ${JSON.stringify(result).slice(0, 200)}`;
  const { code, message, issues } = answer.error ?? {};
  if (typeof code !== 'string' || !KNOWN_ERROR_CODES.has(code)) return `unknown error code ${String(code)}`;
  if (typeof message !== 'string' || message.length < 10) return `no clear message: ${String(message)}`;
  if (!Array.isArray(issues)) return 'issues is not an array';
  if (issues.length > 20) return `${issues.length} issues (at most 20 are returned)`;
  if (JSON.stringify(result).length > 20_000) return 'the refusal is larger than 20 000 characters';
  return undefined;
}

/** Error codes an invalid payload may get: its refusal must say it is the payload's fault. */
export const INPUT_ERROR_CODES: ReadonlySet<string> = new Set([
  ErrorCode.INVALID_PAYLOAD,
  ErrorCode.UNKNOWN_ACTION,
  ErrorCode.PAYLOAD_TOO_LARGE,
]);
