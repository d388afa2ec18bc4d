/** Payloads of the dual-accuracy-tracker's actions (SPEC.md, `dual-accuracy-tracker`). Strict: unknown fields are refused. */

import {
  Limits,
  lookbackDaysSchema,
  modelFilterSchema,
  predictionSchema,
  pricePointSchema,
  symbolFilterSchema,
} from '../shared/schemas';
import * as z from '../shared/zod';

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
  /**
   * The window of the scheduled validate_all (every 15 minutes) whose metrics the accuracy and calibration alarms
   * read: short, so a degraded model shows within an hour of its first resolved predictions (docs/alert-quality.md).
   */
  ALARM_LOOKBACK_MINUTES: 30,
  REPORT_LIMIT: 5,
  MAX_REPORT_LIMIT: 50,
} as const;

export const recordPredictionsSchema = z.strictObject({
  action: z.literal(TrackerAction.RECORD_PREDICTIONS),
  predictions: z.array(predictionSchema).check(z.minLength(1), z.maxLength(Limits.MAX_PREDICTIONS_PER_CALL)),
});

export const recordPricesSchema = z.strictObject({
  action: z.literal(TrackerAction.RECORD_PRICES),
  prices: z.array(pricePointSchema).check(z.minLength(1), z.maxLength(Limits.MAX_PRICES_PER_CALL)),
});

/**
 * `lookback_days` (default 7), or `lookback_minutes` for the scheduled run that feeds the accuracy alarms
 * (a short window detects a degradation within hours; lib/alerting/rules.ts reads 30 minutes).
 */
const validateAllInputSchema = z
  .strictObject({
    action: z.literal(TrackerAction.VALIDATE_ALL),
    lookback_days: z.optional(lookbackDaysSchema),
    lookback_minutes: z.optional(
      z.number().check(z.int(), z.gte(15), z.lte(Limits.MAX_LOOKBACK_DAYS * 24 * 60)),
    ),
    symbols: z.optional(symbolFilterSchema),
    models: z.optional(modelFilterSchema),
  })
  .check(
    z.refine((input) => input.lookback_days === undefined || input.lookback_minutes === undefined, {
      message: 'give lookback_days or lookback_minutes, not both',
      path: ['lookback_minutes'],
    }),
  );

export const validateAllSchema = z.pipe(
  validateAllInputSchema,
  z.transform(({ lookback_minutes, ...input }: z.output<typeof validateAllInputSchema>) => ({
    ...input,
    lookback_days:
      lookback_minutes === undefined
        ? (input.lookback_days ?? TrackerDefaults.LOOKBACK_DAYS)
        : lookback_minutes / (24 * 60),
  })),
);

export const reportSchema = z.strictObject({
  action: z.literal(TrackerAction.REPORT),
  limit: z._default(
    z.number().check(z.int(), z.gte(1), z.lte(TrackerDefaults.MAX_REPORT_LIMIT)),
    TrackerDefaults.REPORT_LIMIT,
  ),
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
