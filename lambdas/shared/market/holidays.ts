/**
 * NYSE full-day holidays and early closes (13:00 ET), by year, as published by NYSE
 * (nyse.com "Holidays & Trading Hours"). Dates are ET calendar dates (YYYY-MM-DD).
 * To extend the calendar, add a year here; `CALENDAR_YEARS` follows automatically.
 */
export interface MarketYear {
  readonly holidays: Readonly<Record<string, string>>;
  readonly earlyCloses: Readonly<Record<string, string>>;
}

export const NYSE_CALENDAR = {
  2025: {
    holidays: {
      '2025-01-01': "New Year's Day",
      '2025-01-09': 'National Day of Mourning for President Jimmy Carter',
      '2025-01-20': 'Martin Luther King, Jr. Day',
      '2025-02-17': "Washington's Birthday",
      '2025-04-18': 'Good Friday',
      '2025-05-26': 'Memorial Day',
      '2025-06-19': 'Juneteenth National Independence Day',
      '2025-07-04': 'Independence Day',
      '2025-09-01': 'Labor Day',
      '2025-11-27': 'Thanksgiving Day',
      '2025-12-25': 'Christmas Day',
    },
    earlyCloses: {
      '2025-07-03': 'Day before Independence Day',
      '2025-11-28': 'Day after Thanksgiving',
      '2025-12-24': 'Christmas Eve',
    },
  },
  2026: {
    holidays: {
      '2026-01-01': "New Year's Day",
      '2026-01-19': 'Martin Luther King, Jr. Day',
      '2026-02-16': "Washington's Birthday",
      '2026-04-03': 'Good Friday',
      '2026-05-25': 'Memorial Day',
      '2026-06-19': 'Juneteenth National Independence Day',
      '2026-07-03': 'Independence Day (observed)',
      '2026-09-07': 'Labor Day',
      '2026-11-26': 'Thanksgiving Day',
      '2026-12-25': 'Christmas Day',
    },
    earlyCloses: {
      '2026-11-27': 'Day after Thanksgiving',
      '2026-12-24': 'Christmas Eve',
    },
  },
  2027: {
    holidays: {
      '2027-01-01': "New Year's Day",
      '2027-01-18': 'Martin Luther King, Jr. Day',
      '2027-02-15': "Washington's Birthday",
      '2027-03-26': 'Good Friday',
      '2027-05-31': 'Memorial Day',
      '2027-06-18': 'Juneteenth National Independence Day (observed)',
      '2027-07-05': 'Independence Day (observed)',
      '2027-09-06': 'Labor Day',
      '2027-11-25': 'Thanksgiving Day',
      '2027-12-24': 'Christmas Day (observed)',
    },
    earlyCloses: {
      '2027-11-26': 'Day after Thanksgiving',
    },
  },
} as const satisfies Readonly<Record<number, MarketYear>>;

export type CalendarYear = keyof typeof NYSE_CALENDAR;

/** The years the calendar holds, ascending. Any other year raises `CalendarRangeError`. */
export const CALENDAR_YEARS: readonly CalendarYear[] = Object.keys(NYSE_CALENDAR)
  .map(Number)
  .sort((a, b) => a - b) as CalendarYear[];
