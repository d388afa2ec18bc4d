import { isoTimestampSchema } from '../shared/schemas';
import * as z from '../shared/zod';

/** The actions of sampling-optimizer (the `action` field of the payload). */
export const OptimizerAction = {
  OPTIMIZE: 'optimize',
  STATUS: 'status',
  HISTORY: 'history',
} as const;
export type OptimizerAction = (typeof OptimizerAction)[keyof typeof OptimizerAction];
export const OPTIMIZER_ACTIONS: readonly OptimizerAction[] = Object.values(OptimizerAction);

export const OptimizerLimits = {
  MIN_WINDOW_MINUTES: 5,
  MAX_WINDOW_MINUTES: 1440,
  MAX_HISTORY: 50,
  DEFAULT_HISTORY: 10,
} as const;

/** A whole number in [min, max] (out of range is INVALID_PAYLOAD: only over-long lists are too large). */
const wholeNumberIn = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));

/**
 * `{"action":"optimize"}`, also the Scheduler's `{"action":"optimize","scheduledTime":"<aws.scheduler.scheduled-time>"}`.
 * Optional `window_minutes` (the volume window, 5..1440), `asOf` (end of the window; else scheduledTime, else now)
 * and `dry_run` (compute and answer, write nothing).
 */
export const optimizeSchema = z.strictObject({
  action: z.literal(OptimizerAction.OPTIMIZE),
  scheduledTime: z.optional(isoTimestampSchema),
  asOf: z.optional(isoTimestampSchema),
  window_minutes: z.optional(
    wholeNumberIn(OptimizerLimits.MIN_WINDOW_MINUTES, OptimizerLimits.MAX_WINDOW_MINUTES),
  ),
  dry_run: z._default(z.boolean(), false),
});
export type OptimizeRequest = z.output<typeof optimizeSchema>;

/** `{"action":"status"}`: the current configuration, its version, the last projection and the reduction. */
export const statusSchema = z.strictObject({ action: z.literal(OptimizerAction.STATUS) });
export type StatusRequest = z.output<typeof statusSchema>;

/** `{"action":"history","limit":10}`: the last stored versions, newest first. */
export const historySchema = z.strictObject({
  action: z.literal(OptimizerAction.HISTORY),
  limit: z._default(wholeNumberIn(1, OptimizerLimits.MAX_HISTORY), OptimizerLimits.DEFAULT_HISTORY),
});
export type HistoryRequest = z.output<typeof historySchema>;

export const optimizerPayloadSchema = z.discriminatedUnion('action', [
  optimizeSchema,
  statusSchema,
  historySchema,
]);
export type OptimizerRequest = z.output<typeof optimizerPayloadSchema>;
