/**
 * America/New_York wall-clock time without Intl or a tz library: the US rules in force since 2007 (Energy
 * Policy Act of 2005) — daylight time from the second Sunday of March at 02:00 EST to the first Sunday of
 * November at 02:00 EDT, UTC−5 otherwise. A first `Intl.DateTimeFormat` with a time zone loads ICU's zone
 * data, which every cold start of a function that asks the market clock paid (docs/benchmarks.md); these
 * rules are a few integer operations. Property-tested against luxon's tz database over 2025–2027.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The first year these rules describe; earlier years had other dates (April to October). */
export const US_DST_RULES_SINCE = 2007;

export const EASTERN_OFFSET_MINUTES = { standard: -300, daylight: -240 } as const;

/** ET wall-clock fields of an instant (ISO weekday: 1 = Monday … 7 = Sunday). */
export interface EasternTime {
  readonly epochMs: number;
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly weekday: number;
  /** −300 (EST) or −240 (EDT). */
  readonly offsetMinutes: number;
}

/** Day of month of the n-th Sunday of a month (month 1–12). */
function nthSunday(year: number, month: number, n: number): number {
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay(); // 0 = Sunday
  return 1 + ((7 - firstWeekday) % 7) + 7 * (n - 1);
}

/** The UTC instants where daylight time starts and ends in `year`. */
function daylightSpan(year: number): { readonly start: number; readonly end: number } {
  if (year < US_DST_RULES_SINCE) {
    throw new RangeError(`US Eastern DST rules are implemented from ${US_DST_RULES_SINCE} on, not ${year}`);
  }
  // 02:00 EST is 07:00 UTC; 02:00 EDT is 06:00 UTC.
  return {
    start: Date.UTC(year, 2, nthSunday(year, 3, 2), 7),
    end: Date.UTC(year, 10, nthSunday(year, 11, 1), 6),
  };
}

/** ET's offset from UTC at an instant, in minutes. */
export function easternOffsetMinutes(epochMs: number): number {
  // The UTC year is the ET year at both switches (March and November), so it selects the right rules.
  const { start, end } = daylightSpan(new Date(epochMs).getUTCFullYear());
  return epochMs >= start && epochMs < end
    ? EASTERN_OFFSET_MINUTES.daylight
    : EASTERN_OFFSET_MINUTES.standard;
}

export function toEasternTime(epochMs: number): EasternTime {
  const offsetMinutes = easternOffsetMinutes(epochMs);
  const wall = new Date(epochMs + offsetMinutes * MINUTE_MS);
  return {
    epochMs,
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    millisecond: wall.getUTCMilliseconds(),
    weekday: wall.getUTCDay() || 7,
    offsetMinutes,
  };
}

/**
 * The instant of an ET wall-clock time. As the tz database's users (luxon, Temporal's "compatible") do:
 * a time that happens twice (01:00–02:00 on the November switch) is its first, daylight occurrence; a
 * time that does not exist (02:00–03:00 on the March switch) is read with the offset before the gap, so
 * it lands as far after the switch as it was after 02:00.
 */
export function easternWallTimeToEpoch(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const daylight = asUtc - EASTERN_OFFSET_MINUTES.daylight * MINUTE_MS;
  if (easternOffsetMinutes(daylight) === EASTERN_OFFSET_MINUTES.daylight) return daylight;
  return asUtc - EASTERN_OFFSET_MINUTES.standard * MINUTE_MS;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** YYYY-MM-DD of the ET calendar date. */
export function easternIsoDate(time: EasternTime): string {
  return `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
}

/** HH:mm of the ET wall clock, e.g. 14:15. */
export function easternClock(time: EasternTime): string {
  return `${pad(time.hour)}:${pad(time.minute)}`;
}

/** ISO-8601 with ET's offset, e.g. 2026-11-27T14:00:00.000-05:00. */
export function easternIso(time: EasternTime): string {
  const offset = -time.offsetMinutes;
  const sign = offset > 0 ? '-' : '+';
  const offsetText = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${easternIsoDate(time)}T${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}` +
    `.${pad(time.millisecond, 3)}${offsetText}`
  );
}

/** Adds whole calendar days to a YYYY-MM-DD date (no time zone involved). */
export function addDays(isoDate: string, days: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

const OFFSET_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;

/**
 * Parses an ISO-8601 date-time with an explicit offset or `Z` (extended format, seconds and fraction
 * optional) into epoch milliseconds; null when it is not one or names a field that does not exist
 * (2026-02-30, 24:00, offset minutes past 59).
 */
export function parseOffsetDateTime(text: string): number | null {
  const match = OFFSET_DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute = 0, second = 0] = match.slice(1, 7).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number?,
    number?,
  ];
  const fraction = match[7] ?? '';
  const millisecond = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  const offsetHours = Number(match[10] ?? 0);
  const offsetMins = Number(match[11] ?? 0);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMins > 59
  ) {
    return null;
  }
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offset * MINUTE_MS;
}
