import * as z from './zod';

/** Documented input limits (README "Payload reference"). */
export const Limits = {
  MAX_PREDICTIONS_PER_CALL: 5000,
  MAX_PRICES_PER_CALL: 5000,
  MAX_SYMBOLS_PER_FILTER: 100,
  MAX_LOOKBACK_DAYS: 365,
  MAX_PRICE: 10_000_000,
  /** DynamoDB stores no non-zero number smaller in magnitude than 1e-130 ("Number underflow"): prices start here. */
  MIN_PRICE: 1e-6,
  /** A non-zero confidence below this is refused for the same reason (0 itself is fine). */
  MIN_NONZERO_CONFIDENCE: 1e-100,
  /** Timestamps outside this range are refused (typos such as year 20255 or 1970 epoch zero). */
  MIN_TIME: '2000-01-01T00:00:00.000Z',
  MAX_TIME: '2100-01-01T00:00:00.000Z',
  /** A time zone offset is at most ±14:00 (Line Islands, UTC+14; the western limit is UTC−12). */
  MAX_UTC_OFFSET_MINUTES: 14 * 60,
} as const;

/** Ticker symbols: upper-case letters, digits, `.` or `-` (BRK.B, RDS-A), 1–10 characters. */
export const symbolSchema = z
  .string()
  .check(
    z.regex(
      /^[A-Z][A-Z0-9.-]{0,9}$/,
      'a ticker symbol: 1–10 of A–Z, 0–9, "." or "-", starting with a letter',
    ),
  );

export const modelSchema = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a model id: 1–64 of letters, digits, ".", "_" or "-"'),
  );

const minTime = Date.parse(Limits.MIN_TIME);
const maxTime = Date.parse(Limits.MAX_TIME);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const OFFSET = /([+-])(\d{2}):(\d{2})$/;

/**
 * Date.parse rolls 2026-02-30 over to March 2, accepts 24:00 and offsets up to ±23:59: the written fields
 * must exist as written, and the offset must be one a clock can have (within ±14:00).
 */
function realCalendarFields(value: string): boolean {
  const [year, month, day, hour, minute, second = 0] = (value.match(/\d+/g) ?? [])
    .slice(0, 6)
    .map(Number) as [number, number, number, number, number, number?];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  const offset = OFFSET.exec(value);
  const offsetMinutes = offset ? Number(offset[2]) * 60 + Number(offset[3]) : 0;
  const offsetOk = !offset || (Number(offset[3]) <= 59 && offsetMinutes <= Limits.MAX_UTC_OFFSET_MINUTES);
  return day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

/** An ISO-8601 timestamp with a time zone, normalised to UTC `…Z` with milliseconds. */
export const isoTimestampSchema = z.pipe(
  z
    .string()
    .check(
      z.maxLength(40),
      z.regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
        'an ISO-8601 timestamp with a time zone, e.g. 2026-11-24T15:30:00Z',
      ),
    ),
  z.transform((value: string, ctx) => {
    const millis = Date.parse(value);
    if (!Number.isFinite(millis) || millis < minTime || millis >= maxTime || !realCalendarFields(value)) {
      ctx.issues.push({
        code: 'custom',
        message: `a real date between ${Limits.MIN_TIME} and ${Limits.MAX_TIME}, with a zone offset within ±14:00`,
        input: value,
      });
      return z.NEVER;
    }
    return new Date(millis).toISOString();
  }),
);

export const priceSchema = z.number().check(z.gte(Limits.MIN_PRICE), z.lte(Limits.MAX_PRICE));
export const confidenceSchema = z.number().check(
  z.gte(0),
  z.lte(1),
  z.refine((x) => x === 0 || x >= Limits.MIN_NONZERO_CONFIDENCE, {
    message: `0, or at least ${Limits.MIN_NONZERO_CONFIDENCE} (smaller numbers cannot be stored)`,
  }),
);

export const predictionSchema = z
  .strictObject({
    symbol: symbolSchema,
    model: modelSchema,
    predictedAt: isoTimestampSchema,
    targetTime: isoTimestampSchema,
    basePrice: priceSchema,
    predictedPrice: priceSchema,
    confidence: confidenceSchema,
  })
  .check(
    z.refine((prediction) => prediction.targetTime > prediction.predictedAt, {
      message: 'targetTime must be after predictedAt',
      path: ['targetTime'],
    }),
  );
export type PredictionInput = z.output<typeof predictionSchema>;

export const pricePointSchema = z.strictObject({
  symbol: symbolSchema,
  timestamp: isoTimestampSchema,
  price: priceSchema,
});
export type PricePointInput = z.output<typeof pricePointSchema>;

export const lookbackDaysSchema = z.number().check(z.int(), z.gte(1), z.lte(Limits.MAX_LOOKBACK_DAYS));
export const symbolFilterSchema = z
  .array(symbolSchema)
  .check(z.minLength(1), z.maxLength(Limits.MAX_SYMBOLS_PER_FILTER));
export const modelFilterSchema = z
  .array(modelSchema)
  .check(z.minLength(1), z.maxLength(Limits.MAX_SYMBOLS_PER_FILTER));
