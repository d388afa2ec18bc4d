import { DateTime } from 'luxon';
import {
  addDays,
  easternIso,
  easternIsoDate,
  easternOffsetMinutes,
  easternWallTimeToEpoch,
  isoWeekday,
  parseOffsetDateTime,
  toEasternTime,
} from '../../../../../lambdas/shared/market/eastern-time';

// The reference: luxon over the tz database (ICU's America/New_York), never the module's own rules.
const ZONE = 'America/New_York';
const HOUR_MS = 3_600_000;
const FROM = Date.UTC(2025, 0, 1) - 6 * HOUR_MS;
const TO = Date.UTC(2028, 0, 1) + 6 * HOUR_MS;

function reference(epochMs: number) {
  const dt = DateTime.fromMillis(epochMs, { zone: ZONE });
  return {
    epochMs,
    year: dt.year,
    month: dt.month,
    day: dt.day,
    hour: dt.hour,
    minute: dt.minute,
    second: dt.second,
    millisecond: dt.millisecond,
    weekday: dt.weekday,
    offsetMinutes: dt.offset,
  };
}

describe('ET from an instant, against the tz database', () => {
  it('agrees on every hour and half hour of 2025–2027 (wall-clock fields, weekday, offset, ISO text)', () => {
    let compared = 0;
    for (let t = FROM; t <= TO; t += HOUR_MS / 2) {
      const ours = toEasternTime(t);
      const dt = DateTime.fromMillis(t, { zone: ZONE });
      if (ours.hour !== dt.hour || ours.offsetMinutes !== dt.offset || easternIso(ours) !== dt.toISO()) {
        expect(ours).toEqual(reference(t)); // shows the first difference in full
      }
      compared++;
    }
    expect(compared).toBe(((TO - FROM) / HOUR_MS) * 2 + 1);
  });

  it('agrees minute by minute (and to the millisecond at each edge) around every switch of 2025–2027', () => {
    for (const year of [2025, 2026, 2027]) {
      for (const switchAt of [
        DateTime.fromObject({ year, month: 3, day: 8 }, { zone: ZONE }),
        DateTime.fromObject({ year, month: 11, day: 1 }, { zone: ZONE }),
      ]) {
        const start = switchAt.toMillis();
        for (let t = start; t < start + 8 * 24 * HOUR_MS; t += 60_000) {
          expect(toEasternTime(t)).toEqual(reference(t));
          expect(toEasternTime(t + 59_999)).toEqual(reference(t + 59_999));
        }
      }
    }
  });

  it('the switches fall where the rules say (independent literals)', () => {
    // 2026: second Sunday of March = 8th, first Sunday of November = 1st.
    expect(easternOffsetMinutes(Date.parse('2026-03-08T06:59:59.999Z'))).toBe(-300);
    expect(easternOffsetMinutes(Date.parse('2026-03-08T07:00:00.000Z'))).toBe(-240);
    expect(easternOffsetMinutes(Date.parse('2026-11-01T05:59:59.999Z'))).toBe(-240);
    expect(easternOffsetMinutes(Date.parse('2026-11-01T06:00:00.000Z'))).toBe(-300);
    // 2027: March 14th, November 7th (the latest possible dates).
    expect(easternOffsetMinutes(Date.parse('2027-03-14T06:59:00Z'))).toBe(-300);
    expect(easternOffsetMinutes(Date.parse('2027-03-14T07:00:00Z'))).toBe(-240);
    expect(easternOffsetMinutes(Date.parse('2027-11-07T05:59:00Z'))).toBe(-240);
    expect(easternOffsetMinutes(Date.parse('2027-11-07T06:00:00Z'))).toBe(-300);
    expect(easternIso(toEasternTime(Date.parse('2026-11-27T19:00:00Z')))).toBe(
      '2026-11-27T14:00:00.000-05:00',
    );
  });

  it('refuses years before the 2007 rules rather than guessing', () => {
    expect(() => toEasternTime(Date.parse('2006-07-01T12:00:00Z'))).toThrow(RangeError);
  });
});

describe('the instant of an ET wall-clock time, against the tz database', () => {
  it('agrees on every quarter hour of 2025–2027, the skipped hour included', () => {
    let compared = 0;
    for (let day = Date.UTC(2025, 0, 1); day < Date.UTC(2028, 0, 1); day += 24 * HOUR_MS) {
      const date = new Date(day);
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      const novemberSwitch = m === 11 && d <= 7 && date.getUTCDay() === 0;
      for (let minute = 0; minute < 24 * 60; minute += 15) {
        const local = { year: y, month: m, day: d, hour: Math.floor(minute / 60), minute: minute % 60 };
        // The repeated hour is ambiguous, and luxon resolves it by the offset in force when the test runs
        // (its first guess is the zone's offset now); the next test pins our choice with literals.
        if (novemberSwitch && local.hour === 1) continue;
        const expected = DateTime.fromObject(local, { zone: ZONE }).toMillis();
        const ours = easternWallTimeToEpoch(y, m, d, local.hour, local.minute);
        if (ours !== expected) expect({ local, ours }).toEqual({ local, ours: expected });
        compared++;
      }
    }
    expect(compared).toBe((365 + 365 + 365) * 96 - 3 * 4);
  });

  it('reads 01:30 on the November switch as the first (EDT) one and 02:30 in March as 03:30 EDT', () => {
    expect(new Date(easternWallTimeToEpoch(2026, 11, 1, 1, 30)).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(new Date(easternWallTimeToEpoch(2026, 3, 8, 2, 30)).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });
});

describe('calendar-date helpers', () => {
  it('adds days across months, leap days and years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-09', -2)).toBe('2026-03-07');
  });

  it('ISO weekdays and dates agree with luxon for every day of 2025–2027', () => {
    for (let date = '2025-01-01'; date < '2028-01-01'; date = addDays(date, 1)) {
      expect(isoWeekday(date)).toBe(DateTime.fromISO(date, { zone: ZONE }).weekday);
      const noon = easternWallTimeToEpoch(...(date.split('-').map(Number) as [number, number, number]), 12);
      expect(easternIsoDate(toEasternTime(noon))).toBe(date);
    }
  });
});

describe('parseOffsetDateTime', () => {
  it.each([
    '2026-11-30T10:00:00-05:00',
    '2026-11-30T15:00:00.000Z',
    '2026-11-30T15:00Z',
    '2026-11-30T15:00:00.123456789+01:30',
    '2026-11-30T15:00:00,5z',
    '2026-11-30T10:00:00-0500',
    '2026-11-30T10-05',
    '2028-02-29T00:00:00Z',
  ])('%s → the same instant as luxon', (text) => {
    expect(parseOffsetDateTime(text)).toBe(DateTime.fromISO(text, { setZone: true }).toMillis());
  });

  it.each([
    '2026-02-30T10:00:00Z',
    '2027-02-29T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-11-30T24:00:00Z',
    '2026-11-30T10:60:00Z',
    '2026-11-30T10:00:60Z',
    '2026-11-30T10:00:00+05:60',
    '2026-11-30T10:00:00',
    '2026-11-30',
    'not a time',
  ])('%s → null', (text) => {
    // Stricter than luxon, which reads 24:00 as the next midnight and an offset's minute 60 as the next
    // hour; the handlers' timestamp schema refuses both too.
    expect(parseOffsetDateTime(text)).toBeNull();
  });
});
