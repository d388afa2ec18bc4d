export {
  CALENDAR_YEARS,
  dayInfo,
  etDate,
  etHour,
  etStartOfDay,
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
export { addDays, type EasternTime, easternClock, easternIsoDate, isoWeekday } from './eastern-time';
export { CalendarRangeError, InvalidInstantError } from './errors';
export { type CalendarYear, type MarketYear, NYSE_CALENDAR } from './holidays';
export { isMarketSession, MARKET_SESSIONS, MarketSession } from './session';
