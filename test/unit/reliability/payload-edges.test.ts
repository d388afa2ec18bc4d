/**
 * Edges of the shared payload parsing that the fuzzers found or that only an in-process JavaScript caller
 * can produce (JSON cannot carry them): impossible calendar dates, numbers DynamoDB cannot store,
 * BigInt and cyclic values. Each must be an ok:false answer, never a thrown error.
 */
import { z } from 'zod';
import { ErrorCode, parsePayload } from '../../../lambdas/shared/response';
import { confidenceSchema, isoTimestampSchema, Limits, priceSchema } from '../../../lambdas/shared/schemas';
import { lambdaContext, loadHandler } from '../../../scripts/local/runtime';

describe('timestamps must exist as written', () => {
  it.each([
    '2026-02-30T00:00:00Z',
    '2026-02-29T12:00:00Z',
    '2026-04-31T12:00:00+01:00',
    '2026-11-24T24:00:00Z',
    '2026-11-24T23:59:60Z',
  ])('refuses %s (Date.parse would roll it over to another instant)', (value) => {
    expect(isoTimestampSchema.safeParse(value).success).toBe(false);
  });

  it.each([
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2026-11-24T15:30Z', '2026-11-24T15:30:00.000Z'],
    ['2026-11-24T23:59:59.999999999-05:00', '2026-11-25T04:59:59.999Z'],
    ['2000-01-01T00:00:00Z', '2000-01-01T00:00:00.000Z'],
  ])('accepts %s as %s', (value, normalised) => {
    expect(isoTimestampSchema.parse(value)).toBe(normalised);
  });
});

describe('numbers DynamoDB can store', () => {
  it('refuses prices below the documented minimum (DynamoDB: "Number underflow" under 1e-130)', () => {
    expect(priceSchema.safeParse(1e-131).success).toBe(false);
    expect(priceSchema.safeParse(Limits.MIN_PRICE / 2).success).toBe(false);
    expect(priceSchema.safeParse(Limits.MIN_PRICE).success).toBe(true);
  });

  it('refuses a vanishing non-zero confidence and keeps 0 and ordinary values', () => {
    expect(confidenceSchema.safeParse(5e-324).success).toBe(false);
    expect(confidenceSchema.safeParse(1e-131).success).toBe(false);
    expect(confidenceSchema.safeParse(0).success).toBe(true);
    expect(confidenceSchema.safeParse(Limits.MIN_NONZERO_CONFIDENCE).success).toBe(true);
    expect(confidenceSchema.safeParse(0.74).success).toBe(true);
  });
});

describe('parsePayload with values only a JavaScript caller can pass', () => {
  const schema = z.strictObject({ action: z.literal('report'), limit: z.number().optional() });

  it.each([
    ['a BigInt action', { action: 10n }],
    [
      'a cyclic action',
      (() => {
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        return { action: cyclic };
      })(),
    ],
    [
      'an action whose toJSON throws',
      {
        action: {
          toJSON: () => {
            throw new Error('no');
          },
        },
      },
    ],
    ['a Symbol action', { action: Symbol('report') }],
  ])('answers UNKNOWN_ACTION for %s instead of throwing', (_label, event) => {
    const result = parsePayload(schema, event, ['report']);
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.UNKNOWN_ACTION } });
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a BigInt', 5n],
  ])('answers INVALID_PAYLOAD for %s in a numeric field', (_label, limit) => {
    expect(parsePayload(schema, { action: 'report', limit }, ['report'])).toMatchObject({
      ok: false,
      error: { code: ErrorCode.INVALID_PAYLOAD },
    });
  });
});

describe('PAYLOAD_TOO_LARGE means an oversized list, in every function', () => {
  const schema = z.strictObject({
    action: z.literal('run'),
    items: z.array(z.number()).max(3).optional(),
    limit: z.number().max(50).optional(),
    asOf: z.string().max(40).optional(),
  });

  it.each([
    ['a list over its limit', { items: [1, 2, 3, 4] }, ErrorCode.PAYLOAD_TOO_LARGE],
    ['a number over its bound', { limit: 51 }, ErrorCode.INVALID_PAYLOAD],
    ['a string over its length', { asOf: 'x'.repeat(41) }, ErrorCode.INVALID_PAYLOAD],
  ])('%s', (_label, fields, code) => {
    expect(parsePayload(schema, { action: 'run', ...fields }, ['run'])).toMatchObject({
      ok: false,
      error: { code },
    });
  });

  it.each([
    ['sampling-optimizer', { action: 'optimize', window_minutes: 2000 }],
    ['sampling-optimizer', { action: 'history', limit: 51 }],
    ['observability-demo', { demo_type: 'accuracy', trading_days: 21 }],
    ['observability-demo', { demo_type: 'full_demo', seed: 2 ** 32 }],
  ])('%s refuses an out-of-range number %j as INVALID_PAYLOAD', async (fn, event) => {
    const handler = await loadHandler(fn);
    expect(await handler(event, lambdaContext(fn))).toMatchObject({
      ok: false,
      error: { code: ErrorCode.INVALID_PAYLOAD },
    });
  });
});
