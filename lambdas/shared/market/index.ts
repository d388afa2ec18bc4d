export {
  CALENDAR_YEARS,
  dayInfo,
  etDate,
  etHour,
  GuardCode,
  type Instant,
  isRegularSessionOpen,
  MARKET_TIME_ZONE,
  type MarketDayInfo,
  type MarketGuardResult,
  marketGuard,
  SESSION_TIMES,
  sessionAt,
  toEastern,
} from './calendar';
export { CalendarRangeError, InvalidInstantError } from './errors';
export { type CalendarYear, type MarketYear, NYSE_CALENDAR } from './holidays';
export { isMarketSession, MARKET_SESSIONS, MarketSession } from './session';
