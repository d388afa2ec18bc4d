/** Payloads of the dual-accuracy-tracker's actions (SPEC.md, `dual-accuracy-tracker`). Strict: unknown fields are refused. */
import * as z from 'zod';
import {
  Limits,
  lookbackDaysSchema,
  modelFilterSchema,
  predictionSchema,
  pricePointSchema,
  symbolFilterSchema,
} from '../shared/schemas';

export const TrackerAction = {
  RECORD_PREDICTIONS: 'record_predictions',
  RECORD_PRICES: 'record_prices',
  VALIDATE_ALL: 'validate_all',
  REPORT: 'report',
} as const;
export type TrackerAction = (typeof TrackerAction)[keyof typeof TrackerAction];

export const TRACKER_ACTIONS: readonly TrackerAction[] = Object.values(TrackerAction);

export const TrackerDefaults = {
  LOOKBACK_DAYS: 7,
  REPORT_LIMIT: 5,
  MAX_REPORT_LIMIT: 50,
} as const;

export const recordPredictionsSchema = z.strictObject({
  action: z.literal(TrackerAction.RECORD_PREDICTIONS),
  predictions: z.array(predictionSchema).min(1).max(Limits.MAX_PREDICTIONS_PER_CALL),
});

export const recordPricesSchema = z.strictObject({
  action: z.literal(TrackerAction.RECORD_PRICES),
  prices: z.array(pricePointSchema).min(1).max(Limits.MAX_PRICES_PER_CALL),
});

/**
 * `lookback_days` (default 7), or `lookback_minutes` for the scheduled run that feeds the accuracy alarms
 * (a short window detects a degradation within hours; lib/alerting/rules.ts reads 30 minutes).
 */
export const validateAllSchema = z
  .strictObject({
    action: z.literal(TrackerAction.VALIDATE_ALL),
    lookback_days: lookbackDaysSchema.optional(),
    lookback_minutes: z
      .number()
      .int()
      .min(15)
      .max(Limits.MAX_LOOKBACK_DAYS * 24 * 60)
      .optional(),
    symbols: symbolFilterSchema.optional(),
    models: modelFilterSchema.optional(),
  })
  .refine((input) => input.lookback_days === undefined || input.lookback_minutes === undefined, {
    message: 'give lookback_days or lookback_minutes, not both',
    path: ['lookback_minutes'],
  })
  .transform(({ lookback_minutes, ...input }) => ({
    ...input,
    lookback_days:
      lookback_minutes === undefined
        ? (input.lookback_days ?? TrackerDefaults.LOOKBACK_DAYS)
        : lookback_minutes / (24 * 60),
  }));

export const reportSchema = z.strictObject({
  action: z.literal(TrackerAction.REPORT),
  limit: z.number().int().min(1).max(TrackerDefaults.MAX_REPORT_LIMIT).default(TrackerDefaults.REPORT_LIMIT),
});

export const trackerPayloadSchema = z.discriminatedUnion('action', [
  recordPredictionsSchema,
  recordPricesSchema,
  validateAllSchema,
  reportSchema,
]);
export type TrackerPayload = z.output<typeof trackerPayloadSchema>;
export type ValidateAllInput = z.output<typeof validateAllSchema>;
export type ReportInput = z.output<typeof reportSchema>;
