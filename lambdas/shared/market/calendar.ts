/**
 * NYSE market calendar: which session an instant falls in, what a trading day looks like, and
 * the guard for scheduled rankings. All wall-clock reasoning happens in America/New_York through the US
 * daylight-saving rules (./eastern-time.ts: never one fixed UTC offset), property-tested against the tz
 * database; no Intl time zone is loaded on a cold start.
 *
 * Sessions (ET; start inclusive, end exclusive):
 *
 * | day            | pre-market  | regular     | after-hours | closed              |
 * |----------------|-------------|-------------|-------------|---------------------|
 * | normal         | 04:00–09:30 | 09:30–16:00 | 16:00–20:00 | 00:00–04:00, 20:00– |
 * | early close    | 04:00–09:30 | 09:30–13:00 | 13:00–17:00 | 00:00–04:00, 17:00– |
 * | weekend/holiday| –           | –           | –           | all day             |
 *
 * Early-close after-hours: NYSE's published holiday footnote says that on early-close days the
 * NYSE Arca / American / National late trading sessions close at 5:00 p.m. ET (and the crossing
 * session runs 13:00–13:30), so after-hours on those days is 13:00–17:00.
 */
import {
  daysInMonth,
  type EasternTime,
  easternIso,
  easternIsoDate,
  easternWallTimeToEpoch,
  isoWeekday,
  parseOffsetDateTime,
  toEasternTime,
  US_DST_RULES_SINCE,
} from './eastern-time';
import { CalendarRangeError, InvalidInstantError } from './errors';
import { CALENDAR_YEARS, type MarketYear, NYSE_CALENDAR } from './holidays';
import { MarketSession } from './session';

export { CALENDAR_YEARS } from './holidays';

export const MARKET_TIME_ZONE = 'America/New_York';

/** Session boundaries as ET wall-clock times. */
export const SESSION_TIMES = {
  preMarketOpen: '04:00',
  regularOpen: '09:30',
  regularClose: '16:00',
  earlyClose: '13:00',
  afterHoursClose: '20:00',
  earlyCloseAfterHoursClose: '17:00',
} as const;

/** An instant: a valid `Date`, or an ISO-8601 date-time with an explicit offset or `Z`. */
export type Instant = Date | string;

export interface MarketDayInfo {
  /** ET calendar date, YYYY-MM-DD. */
  readonly date: string;
  /** English weekday name in ET, e.g. 'Friday'. */
  readonly weekday: string;
  readonly isTradingDay: boolean;
  /** Holiday name when the exchange is closed for a holiday. */
  readonly holiday?: string;
  /** True on scheduled 13:00 ET early-close days. */
  readonly earlyClose: boolean;
  /** Why the day closes early, e.g. 'Day after Thanksgiving'. */
  readonly earlyCloseReason?: string;
  /** UTC ISO instants of the boundaries; null on non-trading days. */
  readonly preMarketOpen: string | null;
  readonly open: string | null;
  readonly close: string | null;
  readonly afterHoursClose: string | null;
}

export const GuardCode = {
  Open: 'open',
  Weekend: 'weekend',
  Holiday: 'holiday',
  BeforeOpen: 'before_open',
  AfterClose: 'after_close',
  AfterEarlyClose: 'after_early_close',
} as const;
export type GuardCode = (typeof GuardCode)[keyof typeof GuardCode];

export interface MarketGuardResult {
  /** True only inside the regular session (09:30 to 16:00, or to 13:00 on early-close days). */
  readonly run: boolean;
  readonly code: GuardCode;
  /** Human-readable, e.g. 'holiday: Thanksgiving Day', 'early close at 13:00 ET (Day after Thanksgiving)'. */
  readonly reason: string;
  readonly session: MarketSession;
  /** The instant as ET wall-clock time with offset, e.g. '2026-11-27T14:00:00.000-05:00'. */
  readonly etTime: string;
}

const ISO_OFFSET = /T.*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

const MINUTES = {
  preMarketOpen: minutesOf(SESSION_TIMES.preMarketOpen),
  regularOpen: minutesOf(SESSION_TIMES.regularOpen),
  regularClose: minutesOf(SESSION_TIMES.regularClose),
  earlyClose: minutesOf(SESSION_TIMES.earlyClose),
  afterHoursClose: minutesOf(SESSION_TIMES.afterHoursClose),
  earlyCloseAfterHoursClose: minutesOf(SESSION_TIMES.earlyCloseAfterHoursClose),
} as const;

/** The instant's ET wall-clock time. Throws `InvalidInstantError`. */
export function toEastern(instant: Instant): EasternTime {
  let millis: number;
  if (instant instanceof Date) {
    millis = instant.getTime();
    if (Number.isNaN(millis)) throw new InvalidInstantError(instant, 'invalid Date');
  } else if (typeof instant === 'string') {
    if (!ISO_OFFSET.test(instant)) {
      throw new InvalidInstantError(instant, 'expected an ISO-8601 date-time with an offset or Z');
    }
    const parsed = parseOffsetDateTime(instant);
    if (parsed === null) throw new InvalidInstantError(instant, 'not a real ISO-8601 date-time');
    millis = parsed;
  } else {
    throw new InvalidInstantError(instant, 'expected a Date or an ISO-8601 string');
  }
  const year = new Date(millis).getUTCFullYear();
  // Older years had other DST dates; the calendar refuses them like any year it does not hold.
  if (year < US_DST_RULES_SINCE) throw new CalendarRangeError(year, CALENDAR_YEARS);
  return toEasternTime(millis);
}

/** Hour of the day in ET, 0–23. */
export function etHour(instant: Instant): number {
  return toEastern(instant).hour;
}

/** ET calendar date of the instant, YYYY-MM-DD. */
export function etDate(instant: Instant): string {
  return easternIsoDate(toEastern(instant));
}

function yearData(year: number): MarketYear {
  const data = (NYSE_CALENDAR as Readonly<Record<number, MarketYear>>)[year];
  if (!data) throw new CalendarRangeError(year, CALENDAR_YEARS);
  return data;
}

interface DayRules {
  readonly date: string;
  readonly weekday: string;
  readonly weekend: boolean;
  readonly holiday: string | undefined;
  readonly earlyCloseReason: string | undefined;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

function rulesFor(date: string): DayRules {
  const data = yearData(Number(date.slice(0, 4)));
  const weekday = isoWeekday(date);
  return {
    date,
    weekday: WEEKDAYS[weekday - 1] as string,
    weekend: weekday >= 6,
    holiday: data.holidays[date],
    earlyCloseReason: data.earlyCloses[date],
  };
}

function sessionForMinute(rules: DayRules, minute: number): MarketSession {
  if (rules.weekend || rules.holiday !== undefined) return MarketSession.Closed;
  const early = rules.earlyCloseReason !== undefined;
  const close = early ? MINUTES.earlyClose : MINUTES.regularClose;
  const extendedClose = early ? MINUTES.earlyCloseAfterHoursClose : MINUTES.afterHoursClose;
  if (minute < MINUTES.preMarketOpen) return MarketSession.Closed;
  if (minute < MINUTES.regularOpen) return MarketSession.PreMarket;
  if (minute < close) return MarketSession.Regular;
  if (minute < extendedClose) return MarketSession.AfterHours;
  return MarketSession.Closed;
}

/** The NYSE session at an instant. Throws `CalendarRangeError` outside `CALENDAR_YEARS`. */
export function sessionAt(instant: Instant): MarketSession {
  const et = toEastern(instant);
  return sessionForMinute(rulesFor(easternIsoDate(et)), et.hour * 60 + et.minute);
}

export function isRegularSessionOpen(instant: Instant): boolean {
  return sessionAt(instant) === MarketSession.Regular;
}

/** A UTC ISO instant of an ET wall-clock minute of a YYYY-MM-DD date. */
function boundary(date: string, minute: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(
    easternWallTimeToEpoch(year, month, day, Math.floor(minute / 60), minute % 60),
  ).toISOString();
}

function isRealDate(isoDate: string): boolean {
  if (!ISO_DATE.test(isoDate)) return false;
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** 00:00 ET of an ET calendar date (YYYY-MM-DD) as a UTC ISO instant. */
export function etStartOfDay(isoDateET: string): string {
  if (!isRealDate(isoDateET)) {
    throw new InvalidInstantError(isoDateET, 'expected an ET calendar date YYYY-MM-DD');
  }
  return boundary(isoDateET, 0);
}

/** What the exchange does on an ET calendar date (YYYY-MM-DD). */
export function dayInfo(isoDateET: string): MarketDayInfo {
  if (!isRealDate(isoDateET)) {
    throw new InvalidInstantError(isoDateET, 'expected an ET calendar date YYYY-MM-DD');
  }
  const day = isoDateET;
  const rules = rulesFor(day);
  const isTradingDay = !rules.weekend && rules.holiday === undefined;
  const early = isTradingDay && rules.earlyCloseReason !== undefined;
  return {
    date: rules.date,
    weekday: rules.weekday,
    isTradingDay,
    ...(rules.holiday !== undefined ? { holiday: rules.holiday } : {}),
    earlyClose: early,
    ...(early && rules.earlyCloseReason !== undefined ? { earlyCloseReason: rules.earlyCloseReason } : {}),
    preMarketOpen: isTradingDay ? boundary(day, MINUTES.preMarketOpen) : null,
    open: isTradingDay ? boundary(day, MINUTES.regularOpen) : null,
    close: isTradingDay ? boundary(day, early ? MINUTES.earlyClose : MINUTES.regularClose) : null,
    afterHoursClose: isTradingDay
      ? boundary(day, early ? MINUTES.earlyCloseAfterHoursClose : MINUTES.afterHoursClose)
      : null,
  };
}

/**
 * Whether the scheduled rankings should run at `instant`: only inside the regular session.
 * Weekends, holidays, before 09:30 ET, after 16:00 ET and after 13:00 ET on early-close days skip,
 * with a readable reason. Throws `CalendarRangeError` outside `CALENDAR_YEARS` (the caller decides
 * how to report it rather than the guard guessing).
 */
export function marketGuard(instant: Instant): MarketGuardResult {
  const et = toEastern(instant);
  const rules = rulesFor(easternIsoDate(et));
  const minute = et.hour * 60 + et.minute;
  const session = sessionForMinute(rules, minute);
  const etTime = easternIso(et);
  const skip = (code: GuardCode, reason: string): MarketGuardResult => ({
    run: false,
    code,
    reason,
    session,
    etTime,
  });

  if (rules.weekend) return skip(GuardCode.Weekend, `weekend: ${rules.weekday}`);
  if (rules.holiday !== undefined) return skip(GuardCode.Holiday, `holiday: ${rules.holiday}`);
  if (minute < MINUTES.regularOpen) {
    return skip(GuardCode.BeforeOpen, `before regular open at ${SESSION_TIMES.regularOpen} ET`);
  }
  if (rules.earlyCloseReason !== undefined && minute >= MINUTES.earlyClose) {
    return skip(
      GuardCode.AfterEarlyClose,
      `early close at ${SESSION_TIMES.earlyClose} ET (${rules.earlyCloseReason})`,
    );
  }
  if (minute >= MINUTES.regularClose) {
    return skip(GuardCode.AfterClose, `after regular close at ${SESSION_TIMES.regularClose} ET`);
  }
  const reason =
    rules.earlyCloseReason !== undefined
      ? `regular session open (early close at ${SESSION_TIMES.earlyClose} ET)`
      : 'regular session open';
  return { run: true, code: GuardCode.Open, reason, session, etTime };
}
