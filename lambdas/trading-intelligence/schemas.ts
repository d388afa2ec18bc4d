import { type Failure, parsePayload } from '../shared/response';
import { isoTimestampSchema, lookbackDaysSchema, symbolFilterSchema } from '../shared/schemas';
import * as z from '../shared/zod';

/** The actions of trading-intelligence (the `action` field of the payload). */
export const TradingAction = {
  ANALYZE: 'analyze',
  RANKINGS: 'rankings',
  SESSION_CORRELATION: 'session_correlation',
  SCHEDULED_RANKINGS: 'scheduled_rankings',
} as const;
export type TradingAction = (typeof TradingAction)[keyof typeof TradingAction];
export const TRADING_ACTIONS: readonly TradingAction[] = Object.values(TradingAction);

/** Documented input limits of this function's payloads. */
export const TradingLimits = {
  MAX_RANKINGS: 50,
  MAX_LOOKBACK_TRADING_DAYS: 60,
  DEFAULT_CORRELATION_LOOKBACK_DAYS: 30,
} as const;

/** `{"action":"analyze"}`, optional `symbols` (else every registered symbol) and `asOf` (else now). */
export const analyzeSchema = z.strictObject({
  action: z.literal(TradingAction.ANALYZE),
  symbols: z.optional(symbolFilterSchema),
  asOf: z.optional(isoTimestampSchema),
  /** Trading days of validated predictions behind the accuracy factors (default from configuration). */
  lookback_trading_days: z.optional(
    z.number().check(z.int(), z.gte(1), z.lte(TradingLimits.MAX_LOOKBACK_TRADING_DAYS)),
  ),
});
export type AnalyzeRequest = z.output<typeof analyzeSchema>;

/** `{"action":"rankings","limit":1}`: the latest `limit` stored rankings, newest first. */
export const rankingsSchema = z.strictObject({
  action: z.literal(TradingAction.RANKINGS),
  limit: z._default(z.number().check(z.int(), z.gte(1), z.lte(TradingLimits.MAX_RANKINGS)), 1),
});
export type RankingsRequest = z.output<typeof rankingsSchema>;

/** `{"action":"session_correlation","lookback_days":30}` (optional `symbols`, `asOf` = end of the window). */
export const sessionCorrelationSchema = z.strictObject({
  action: z.literal(TradingAction.SESSION_CORRELATION),
  lookback_days: z._default(lookbackDaysSchema, TradingLimits.DEFAULT_CORRELATION_LOOKBACK_DAYS),
  symbols: z.optional(symbolFilterSchema),
  asOf: z.optional(isoTimestampSchema),
});
export type SessionCorrelationRequest = z.output<typeof sessionCorrelationSchema>;

/** The EventBridge Scheduler input: `{"action":"scheduled_rankings","scheduledTime":"<aws.scheduler.scheduled-time>"}`. */
export const scheduledRankingsSchema = z.strictObject({
  action: z.literal(TradingAction.SCHEDULED_RANKINGS),
  scheduledTime: isoTimestampSchema,
});
export type ScheduledRankingsRequest = z.output<typeof scheduledRankingsSchema>;

export const tradingPayloadSchema = z.discriminatedUnion('action', [
  analyzeSchema,
  rankingsSchema,
  sessionCorrelationSchema,
  scheduledRankingsSchema,
]);
export type TradingRequest = z.output<typeof tradingPayloadSchema>;

/** Validates a payload (an oversized `symbols` list is PAYLOAD_TOO_LARGE, other bad values INVALID_PAYLOAD). */
export function parseTradingPayload(event: unknown): { ok: true; value: TradingRequest } | Failure {
  return parsePayload(tradingPayloadSchema, event, TRADING_ACTIONS);
}
