/**
 * NYSE market calendar: which session an instant falls in, what a trading day looks like, and
 * the guard for scheduled rankings. All wall-clock reasoning happens in America/New_York through
 * luxon's IANA zone support (never fixed UTC offsets), so DST switches are handled by the tz database.
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
import { DateTime } from 'luxon';
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

/** The instant as a luxon DateTime in America/New_York. Throws `InvalidInstantError`. */
export function toEastern(instant: Instant): DateTime {
  let millis: number;
  if (instant instanceof Date) {
    millis = instant.getTime();
    if (Number.isNaN(millis)) throw new InvalidInstantError(instant, 'invalid Date');
  } else if (typeof instant === 'string') {
    if (!ISO_OFFSET.test(instant)) {
      throw new InvalidInstantError(instant, 'expected an ISO-8601 date-time with an offset or Z');
    }
    const parsed = DateTime.fromISO(instant, { setZone: true });
    if (!parsed.isValid) throw new InvalidInstantError(instant, parsed.invalidExplanation ?? 'unparseable');
    millis = parsed.toMillis();
  } else {
    throw new InvalidInstantError(instant, 'expected a Date or an ISO-8601 string');
  }
  return DateTime.fromMillis(millis, { zone: MARKET_TIME_ZONE });
}

/** Hour of the day in ET, 0–23. */
export function etHour(instant: Instant): number {
  return toEastern(instant).hour;
}

/** ET calendar date of the instant, YYYY-MM-DD. */
export function etDate(instant: Instant): string {
  return toEastern(instant).toISODate() as string;
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

function rulesFor(day: DateTime): DayRules {
  const data = yearData(day.year);
  const date = day.toISODate() as string;
  return {
    date,
    weekday: day.setLocale('en-US').weekdayLong ?? String(day.weekday),
    weekend: day.weekday >= 6,
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
  return sessionForMinute(rulesFor(et), et.hour * 60 + et.minute);
}

export function isRegularSessionOpen(instant: Instant): boolean {
  return sessionAt(instant) === MarketSession.Regular;
}

function boundary(day: DateTime, minute: number): string {
  return day
    .set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
}

/** What the exchange does on an ET calendar date (YYYY-MM-DD). */
export function dayInfo(isoDateET: string): MarketDayInfo {
  const day = ISO_DATE.test(isoDateET)
    ? DateTime.fromISO(isoDateET, { zone: MARKET_TIME_ZONE })
    : DateTime.invalid('not YYYY-MM-DD');
  if (!day.isValid) throw new InvalidInstantError(isoDateET, 'expected an ET calendar date YYYY-MM-DD');
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
  const rules = rulesFor(et);
  const minute = et.hour * 60 + et.minute;
  const session = sessionForMinute(rules, minute);
  const etTime = et.toISO() as string;
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
