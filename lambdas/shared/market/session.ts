/**
 * NYSE trading sessions (times in America/New_York). This module is the single owner of the
 * `MarketSession` union: other modules (accuracy, trading) import it from here.
 */
export const MarketSession = {
  PreMarket: 'pre_market',
  Regular: 'regular',
  AfterHours: 'after_hours',
  Closed: 'closed',
} as const;

export type MarketSession = (typeof MarketSession)[keyof typeof MarketSession];

/** All sessions in the order they occur in a trading day (closed last), e.g. for grouping reports. */
export const MARKET_SESSIONS: readonly MarketSession[] = [
  MarketSession.PreMarket,
  MarketSession.Regular,
  MarketSession.AfterHours,
  MarketSession.Closed,
];

export function isMarketSession(value: unknown): value is MarketSession {
  return typeof value === 'string' && (MARKET_SESSIONS as readonly string[]).includes(value);
}
