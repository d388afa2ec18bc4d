import { DateTime } from 'luxon';
import {
  CALENDAR_YEARS,
  CalendarRangeError,
  dayInfo,
  etDate,
  etHour,
  GuardCode,
  InvalidInstantError,
  isRegularSessionOpen,
  MarketSession,
  marketGuard,
  NYSE_CALENDAR,
  sessionAt,
} from '../../../../../lambdas/shared/market';

/** ET wall-clock time → UTC instant, via the tz database (the test's own conversion, not the module's). */
function et(local: string): string {
  const dt = DateTime.fromISO(local, { zone: 'America/New_York' });
  if (!dt.isValid) throw new Error(`bad test time ${local}`);
  return dt.toUTC().toISO() as string;
}

const HOLIDAYS: Record<number, string[]> = {
  2025: [
    '2025-01-01',
    '2025-01-09',
    '2025-01-20',
    '2025-02-17',
    '2025-04-18',
    '2025-05-26',
    '2025-06-19',
    '2025-07-04',
    '2025-09-01',
    '2025-11-27',
    '2025-12-25',
  ],
  2026: [
    '2026-01-01',
    '2026-01-19',
    '2026-02-16',
    '2026-04-03',
    '2026-05-25',
    '2026-06-19',
    '2026-07-03',
    '2026-09-07',
    '2026-11-26',
    '2026-12-25',
  ],
  2027: [
    '2027-01-01',
    '2027-01-18',
    '2027-02-15',
    '2027-03-26',
    '2027-05-31',
    '2027-06-18',
    '2027-07-05',
    '2027-09-06',
    '2027-11-25',
    '2027-12-24',
  ],
};
const EARLY_CLOSES = ['2025-07-03', '2025-11-28', '2025-12-24', '2026-11-27', '2026-12-24', '2027-11-26'];

describe('calendar data', () => {
  it('covers exactly 2025–2027', () => {
    expect(CALENDAR_YEARS).toEqual([2025, 2026, 2027]);
  });

  it('holds exactly the published holidays and early closes, no more', () => {
    for (const year of CALENDAR_YEARS) {
      expect(Object.keys(NYSE_CALENDAR[year].holidays).sort()).toEqual(HOLIDAYS[year]);
      expect(Object.keys(NYSE_CALENDAR[year].earlyCloses).sort()).toEqual(
        EARLY_CLOSES.filter((d) => d.startsWith(String(year))),
      );
    }
  });

  it('every listed date falls on a weekday in its own year', () => {
    for (const date of [...Object.values(HOLIDAYS).flat(), ...EARLY_CLOSES]) {
      expect(DateTime.fromISO(date).weekday).toBeLessThanOrEqual(5);
    }
  });
});

describe.each(Object.values(HOLIDAYS).flat())('holiday %s', (date) => {
  it('is closed all day and the guard skips with the holiday name', () => {
    const info = dayInfo(date);
    expect(info.isTradingDay).toBe(false);
    expect(info.holiday).toEqual(expect.any(String));
    expect(info.open).toBeNull();
    expect(info.close).toBeNull();
    for (const time of ['04:00', '09:30', '12:00', '15:59', '16:00', '19:59']) {
      expect(sessionAt(et(`${date}T${time}`))).toBe(MarketSession.Closed);
    }
    const guard = marketGuard(et(`${date}T10:00`));
    expect(guard).toMatchObject({ run: false, code: GuardCode.Holiday, session: MarketSession.Closed });
    expect(guard.reason).toBe(`holiday: ${info.holiday}`);
  });
});

describe.each(EARLY_CLOSES)('early close %s', (date) => {
  it('closes the regular session at 13:00 ET and after-hours at 17:00 ET', () => {
    const info = dayInfo(date);
    expect(info).toMatchObject({ isTradingDay: true, earlyClose: true });
    expect(info.holiday).toBeUndefined();
    expect(info.close).toBe(et(`${date}T13:00`));
    expect(info.afterHoursClose).toBe(et(`${date}T17:00`));
    expect(sessionAt(et(`${date}T09:30`))).toBe(MarketSession.Regular);
    expect(sessionAt(et(`${date}T12:59`))).toBe(MarketSession.Regular);
    expect(sessionAt(et(`${date}T13:00`))).toBe(MarketSession.AfterHours);
    expect(sessionAt(et(`${date}T16:59`))).toBe(MarketSession.AfterHours);
    expect(sessionAt(et(`${date}T17:00`))).toBe(MarketSession.Closed);
    expect(marketGuard(et(`${date}T12:59`)).run).toBe(true);
    const after = marketGuard(et(`${date}T13:00`));
    expect(after).toMatchObject({ run: false, code: GuardCode.AfterEarlyClose });
    expect(after.reason).toMatch(/^early close at 13:00 ET/);
  });
});

describe('session boundaries to the minute (normal day, Wednesday 2026-03-11)', () => {
  it.each([
    ['00:00', MarketSession.Closed],
    ['03:59', MarketSession.Closed],
    ['04:00', MarketSession.PreMarket],
    ['09:29', MarketSession.PreMarket],
    ['09:30', MarketSession.Regular],
    ['15:59', MarketSession.Regular],
    ['16:00', MarketSession.AfterHours],
    ['19:59', MarketSession.AfterHours],
    ['20:00', MarketSession.Closed],
    ['23:59', MarketSession.Closed],
  ])('%s ET → %s', (time, session) => {
    expect(sessionAt(et(`2026-03-11T${time}`))).toBe(session);
  });

  it('seconds before a boundary still belong to the earlier session (end exclusive)', () => {
    expect(sessionAt(et('2026-03-11T09:29:59.999'))).toBe(MarketSession.PreMarket);
    expect(sessionAt(et('2026-03-11T15:59:59'))).toBe(MarketSession.Regular);
  });

  it('isRegularSessionOpen follows the regular session', () => {
    expect(isRegularSessionOpen(et('2026-03-11T09:29'))).toBe(false);
    expect(isRegularSessionOpen(et('2026-03-11T09:30'))).toBe(true);
    expect(isRegularSessionOpen(et('2026-03-11T16:00'))).toBe(false);
  });

  it('dayInfo gives the boundaries as UTC instants (EDT, UTC−4)', () => {
    expect(dayInfo('2026-03-11')).toEqual({
      date: '2026-03-11',
      weekday: 'Wednesday',
      isTradingDay: true,
      earlyClose: false,
      preMarketOpen: '2026-03-11T08:00:00.000Z',
      open: '2026-03-11T13:30:00.000Z',
      close: '2026-03-11T20:00:00.000Z',
      afterHoursClose: '2026-03-12T00:00:00.000Z',
    });
  });
});

describe('weekends', () => {
  it('Saturday and Sunday are closed all day', () => {
    for (const date of ['2026-11-28', '2026-11-29']) {
      expect(dayInfo(date).isTradingDay).toBe(false);
      expect(dayInfo(date).holiday).toBeUndefined();
      expect(sessionAt(et(`${date}T10:00`))).toBe(MarketSession.Closed);
      expect(sessionAt(et(`${date}T05:00`))).toBe(MarketSession.Closed);
    }
  });
});

describe('DST switch days (real tz, not fixed offsets)', () => {
  it.each([
    // spring forward: 02:00 EST → 03:00 EDT
    ['2025-03-09T06:59:00Z', 1, '2025-03-09'],
    ['2025-03-09T07:00:00Z', 3, '2025-03-09'],
    ['2026-03-08T06:59:00Z', 1, '2026-03-08'],
    ['2026-03-08T07:00:00Z', 3, '2026-03-08'],
    // fall back: 01:00–02:00 happens twice
    ['2025-11-02T05:30:00Z', 1, '2025-11-02'],
    ['2025-11-02T06:30:00Z', 1, '2025-11-02'],
    ['2025-11-02T07:00:00Z', 2, '2025-11-02'],
    ['2026-11-01T05:30:00Z', 1, '2026-11-01'],
    ['2026-11-01T06:30:00Z', 1, '2026-11-01'],
    ['2026-11-01T07:00:00Z', 2, '2026-11-01'],
    // UTC midnight is still the previous ET day
    ['2026-11-02T03:00:00Z', 22, '2026-11-01'],
  ])('%s is %i h ET on %s', (instant, hour, date) => {
    expect(etHour(instant)).toBe(hour);
    expect(etDate(instant)).toBe(date);
  });

  it('switch days are Sundays: closed all day', () => {
    for (const date of ['2025-03-09', '2025-11-02', '2026-03-08', '2026-11-01']) {
      expect(dayInfo(date).isTradingDay).toBe(false);
      expect(sessionAt(et(`${date}T10:00`))).toBe(MarketSession.Closed);
    }
  });

  it('the same UTC time is pre-market before spring-forward and regular after', () => {
    // 13:30Z: Friday 2026-03-06 is 08:30 EST; Monday 2026-03-09 is 09:30 EDT.
    expect(sessionAt('2026-03-06T13:30:00Z')).toBe(MarketSession.PreMarket);
    expect(sessionAt('2026-03-09T13:30:00Z')).toBe(MarketSession.Regular);
    expect(dayInfo('2026-03-06').open).toBe('2026-03-06T14:30:00.000Z');
    expect(dayInfo('2026-03-09').open).toBe('2026-03-09T13:30:00.000Z');
  });

  it('the same UTC time is regular before fall-back and after-hours after', () => {
    // 20:30Z: Friday 2026-10-30 is 16:30 EDT; Monday 2026-11-02 is 15:30 EST.
    expect(sessionAt('2026-10-30T20:30:00Z')).toBe(MarketSession.AfterHours);
    expect(sessionAt('2026-11-02T20:30:00Z')).toBe(MarketSession.Regular);
    expect(dayInfo('2025-11-03').close).toBe('2025-11-03T21:00:00.000Z');
    expect(dayInfo('2025-10-31').close).toBe('2025-10-31T20:00:00.000Z');
  });
});

describe('marketGuard (scheduled rankings)', () => {
  it('skips Saturday 10:00 ET', () => {
    expect(marketGuard(et('2026-11-28T10:00'))).toEqual({
      run: false,
      code: GuardCode.Weekend,
      reason: 'weekend: Saturday',
      session: MarketSession.Closed,
      etTime: '2026-11-28T10:00:00.000-05:00',
    });
  });

  it('skips 2026-11-27 14:00 ET (early close day after Thanksgiving)', () => {
    expect(marketGuard('2026-11-27T19:00:00Z')).toEqual({
      run: false,
      code: GuardCode.AfterEarlyClose,
      reason: 'early close at 13:00 ET (Day after Thanksgiving)',
      session: MarketSession.AfterHours,
      etTime: '2026-11-27T14:00:00.000-05:00',
    });
  });

  it('runs on a Monday at 10:00 ET', () => {
    expect(marketGuard(et('2026-11-30T10:00'))).toEqual({
      run: true,
      code: GuardCode.Open,
      reason: 'regular session open',
      session: MarketSession.Regular,
      etTime: '2026-11-30T10:00:00.000-05:00',
    });
  });

  it('skips Thanksgiving with the holiday name', () => {
    expect(marketGuard(et('2026-11-26T10:00')).reason).toBe('holiday: Thanksgiving Day');
  });

  it.each([
    ['2026-11-30T09:29', false, GuardCode.BeforeOpen, 'before regular open at 09:30 ET'],
    ['2026-11-30T09:30', true, GuardCode.Open, 'regular session open'],
    ['2026-11-30T15:59', true, GuardCode.Open, 'regular session open'],
    ['2026-11-30T16:00', false, GuardCode.AfterClose, 'after regular close at 16:00 ET'],
    ['2026-11-30T03:00', false, GuardCode.BeforeOpen, 'before regular open at 09:30 ET'],
    ['2026-11-27T12:59', true, GuardCode.Open, 'regular session open (early close at 13:00 ET)'],
  ])('%s ET → run=%s (%s)', (time, run, code, reason) => {
    expect(marketGuard(et(time))).toMatchObject({ run, code, reason });
  });

  it('accepts Date objects and offset strings for the same instant', () => {
    const iso = '2026-11-30T10:00:00-05:00';
    expect(marketGuard(new Date(iso)).run).toBe(true);
    expect(marketGuard(iso).run).toBe(true);
    expect(marketGuard('2026-11-30T15:00:00.000Z').run).toBe(true);
  });
});

describe('errors', () => {
  it('refuses years outside the calendar with CalendarRangeError', () => {
    expect(() => sessionAt('2028-01-03T15:00:00Z')).toThrow(CalendarRangeError);
    expect(() => dayInfo('2024-12-31')).toThrow(/no data for 2024; it covers 2025, 2026, 2027/);
    expect(() => marketGuard('2028-06-05T15:00:00Z')).toThrow(CalendarRangeError);
  });

  it('uses the ET year, not the UTC year, at the year boundary', () => {
    // 2028-01-01T03:00Z is 2027-12-31 22:00 ET: covered; 05:00Z is 2028 in ET: not covered.
    expect(sessionAt('2028-01-01T03:00:00Z')).toBe(MarketSession.Closed);
    expect(() => sessionAt('2028-01-01T05:00:00Z')).toThrow(CalendarRangeError);
  });

  it('rejects ambiguous or invalid instants rather than guessing a zone', () => {
    expect(() => sessionAt('2026-11-30T10:00:00')).toThrow(InvalidInstantError);
    expect(() => sessionAt('2026-11-30')).toThrow(InvalidInstantError);
    expect(() => sessionAt('not a time')).toThrow(InvalidInstantError);
    expect(() => sessionAt(new Date(Number.NaN))).toThrow(InvalidInstantError);
    expect(() => dayInfo('2026-02-30')).toThrow(InvalidInstantError);
    expect(() => dayInfo('2026-11-30T10:00Z')).toThrow(InvalidInstantError);
  });
});
