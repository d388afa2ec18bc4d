import { DateTime } from 'luxon';
import {
  loadDailyBars,
  loadMonthlyCloses,
  type PricePoint,
  replayPlan,
  replayPrices,
  tradingDaysEndingAt,
  WorkloadOptionsError,
} from '../../../../../lambdas/observability-demo/replay';
import {
  CalendarRangeError,
  dayInfo,
  etDate,
  MarketSession,
  sessionAt,
} from '../../../../../lambdas/shared/market';
import { pricePointSchema } from '../../../../../lambdas/shared/schemas';
import * as z from '../../../../../lambdas/shared/zod';

/** ET wall-clock → UTC ISO, by the tz database (the test's own conversion). */
const et = (local: string) => DateTime.fromISO(local, { zone: 'America/New_York' }).toUTC().toISO() as string;
const etClock = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toFormat('HH:mm');
const cents = (value: number) => Math.round(value * 100) / 100;

// Thanksgiving week 2026: 11-26 holiday, 11-27 early close at 13:00, 11-28/29 weekend.
const THANKSGIVING = { endDate: '2026-11-30', tradingDays: 10, seed: 7 } as const;
const THANKSGIVING_DAYS = [
  '2026-11-16',
  '2026-11-17',
  '2026-11-18',
  '2026-11-19',
  '2026-11-20',
  '2026-11-23',
  '2026-11-24',
  '2026-11-25',
  '2026-11-27',
  '2026-11-30',
];

const plan = replayPlan(THANKSGIVING);
const prices = replayPrices(plan);

// luxon zone conversions are slow: classify each distinct timestamp once.
const classified = new Map<string, { date: string; session: string }>();
function classify(timestamp: string): { date: string; session: string } {
  let found = classified.get(timestamp);
  if (!found) {
    found = { date: etDate(timestamp), session: sessionAt(timestamp) };
    classified.set(timestamp, found);
  }
  return found;
}

function pointsOf(
  points: readonly PricePoint[],
  symbol: string,
  date: string,
  session?: string,
): PricePoint[] {
  return points.filter((point) => {
    if (point.symbol !== symbol) return false;
    const found = classify(point.timestamp);
    return found.date === date && (session === undefined || found.session === session);
  });
}

describe('tradingDaysEndingAt', () => {
  it('skips weekends and holidays and flags the early close', () => {
    const days = tradingDaysEndingAt('2026-11-30', 10);
    expect(days.map((day) => day.date)).toEqual(THANKSGIVING_DAYS);
    expect(days.filter((day) => day.earlyClose).map((day) => day.date)).toEqual(['2026-11-27']);
  });

  it("counts an instant's own day only once its first point has passed", () => {
    // 03:59 ET on a trading day: nothing of that day has happened yet.
    expect(tradingDaysEndingAt(et('2026-11-25T03:59'), 1)[0]?.date).toBe('2026-11-24');
    expect(tradingDaysEndingAt(et('2026-11-25T04:00'), 1)[0]?.date).toBe('2026-11-25');
    // Without extended hours, the day starts at 09:30.
    expect(tradingDaysEndingAt(et('2026-11-25T09:00'), 1, false)[0]?.date).toBe('2026-11-24');
  });

  it('refuses to walk outside the calendar rather than guess holidays', () => {
    expect(() => tradingDaysEndingAt('2025-01-10', 10)).toThrow(CalendarRangeError);
  });
});

describe('replayPrices on NYSE days', () => {
  it('produces points only on trading days, inside sessions, in a valid record_prices shape', () => {
    expect(prices.length).toBe(6 * (9 * 64 + 52));
    const dates = new Set(prices.map((point) => classify(point.timestamp).date));
    expect([...dates].sort()).toEqual(THANKSGIVING_DAYS);
    for (const date of dates) expect(dayInfo(date).isTradingDay).toBe(true);
    const sessions = new Set(prices.map((point) => classify(point.timestamp).session));
    expect([...sessions].sort()).toEqual([
      MarketSession.AfterHours,
      MarketSession.PreMarket,
      MarketSession.Regular,
    ]);
    expect(z.array(pricePointSchema).parse(prices)).toEqual(prices);
  });

  it('stops the regular session at 13:00 ET on the early close, with after-hours 13:00–17:00', () => {
    const day = pointsOf(prices, 'AAPL', '2026-11-27');
    const regular = day.filter((point) => classify(point.timestamp).session === MarketSession.Regular);
    expect(regular).toHaveLength(14);
    expect(etClock(regular.at(-1)?.timestamp ?? '')).toBe('12:45');
    const after = day.filter((point) => classify(point.timestamp).session === MarketSession.AfterHours);
    expect(after.map((point) => etClock(point.timestamp))).toEqual([
      '13:00',
      '13:15',
      '13:30',
      '13:45',
      '14:00',
      '14:15',
      '14:30',
      '14:45',
      '15:00',
      '15:15',
      '15:30',
      '15:45',
      '16:00',
      '16:15',
      '16:30',
      '16:45',
    ]);
    expect(day.filter((point) => etClock(point.timestamp) >= '17:00')).toEqual([]);
  });

  it('puts points every 15 minutes from 04:00 to 19:45 ET on a normal day', () => {
    const day = pointsOf(prices, 'SPX', '2026-11-24');
    expect(day).toHaveLength(64);
    expect(etClock(day[0]?.timestamp ?? '')).toBe('04:00');
    expect(etClock(day.at(-1)?.timestamp ?? '')).toBe('19:45');
    expect(pointsOf(prices, 'SPX', '2026-11-24', MarketSession.PreMarket)).toHaveLength(22);
    expect(pointsOf(prices, 'SPX', '2026-11-24', MarketSession.Regular)).toHaveLength(26);
    expect(pointsOf(prices, 'SPX', '2026-11-24', MarketSession.AfterHours)).toHaveLength(16);
  });

  it('keeps ET session times across the DST change (2026-11-01)', () => {
    const points = replayPrices({ symbols: ['IBM'], endDate: '2026-11-03', tradingDays: 4, seed: 1 });
    const opens = ['2026-10-29', '2026-10-30', '2026-11-02', '2026-11-03'].map(
      (date) => pointsOf(points, 'IBM', date, MarketSession.Regular)[0]?.timestamp,
    );
    expect(opens).toEqual([
      '2026-10-29T13:30:00.000Z',
      '2026-10-30T13:30:00.000Z',
      '2026-11-02T14:30:00.000Z',
      '2026-11-03T14:30:00.000Z',
    ]);
  });

  it('can leave out extended hours', () => {
    const regularOnly = replayPrices({ ...THANKSGIVING, symbols: ['AAPL'], includeExtendedHours: false });
    expect(regularOnly).toHaveLength(9 * 26 + 14);
    expect(regularOnly.every((point) => classify(point.timestamp).session === MarketSession.Regular)).toBe(
      true,
    );
  });

  it('is sorted by time, then symbol', () => {
    for (let index = 1; index < prices.length; index++) {
      const previous = prices[index - 1] as PricePoint;
      const current = prices[index] as PricePoint;
      expect(
        previous.timestamp < current.timestamp ||
          (previous.timestamp === current.timestamp && previous.symbol < current.symbol),
      ).toBe(true);
    }
  });

  it('stops at an instant endDate (no future points)', () => {
    const end = et('2026-11-25T08:25');
    const points = replayPrices({ symbols: ['AAPL'], endDate: end, tradingDays: 3, seed: 1 });
    expect(points.at(-1)?.timestamp).toBe(et('2026-11-25T08:15'));
    expect(new Set(points.map((point) => classify(point.timestamp).date))).toEqual(
      new Set(['2026-11-23', '2026-11-24', '2026-11-25']),
    );
  });
});

describe('replayed prices follow the real bars', () => {
  it('maps the last real daily bars onto the last trading days, in order', () => {
    const real = loadDailyBars('AAPL').slice(-10);
    const bars = plan.bars.AAPL ?? [];
    expect(bars.map((bar) => bar.sourceDate)).toEqual(real.map((bar) => bar.date));
    expect(bars.map((bar) => bar.date)).toEqual(THANKSGIVING_DAYS);
    expect(bars.at(-1)).toMatchObject({
      sourceDate: '2018-05-11',
      close: 188.589996,
      previousClose: 190.039993,
    });
    expect(plan.bars.SPX?.at(-1)).toMatchObject({ sourceDate: '2020-04-17', open: 2842.429932 });
  });

  it('reproduces each day exactly: first regular point = open, last = close, extremes = high and low', () => {
    for (const symbol of plan.symbols) {
      for (const bar of plan.bars[symbol] ?? []) {
        const regular = pointsOf(prices, symbol, bar.date, MarketSession.Regular).map((point) => point.price);
        const low = Math.ceil(bar.low * 100 - 1e-6) / 100;
        const high = Math.floor(bar.high * 100 + 1e-6) / 100;
        for (const price of regular) {
          expect(price).toBeGreaterThanOrEqual(bar.low);
          expect(price).toBeLessThanOrEqual(bar.high);
          expect(cents(price)).toBe(price);
        }
        expect(regular[0]).toBe(Math.min(high, Math.max(low, cents(bar.open))));
        expect(regular.at(-1)).toBe(Math.min(high, Math.max(low, cents(bar.close))));
        expect(Math.max(...regular)).toBe(high);
        expect(Math.min(...regular)).toBe(low);
      }
    }
  });

  it('visits the low before the high on an up day and the high first on a down day', () => {
    for (const symbol of ['AAPL', 'SPX', 'MSFT']) {
      for (const bar of plan.bars[symbol] ?? []) {
        const regular = pointsOf(prices, symbol, bar.date, MarketSession.Regular).map((point) => point.price);
        const lowAt = regular.indexOf(Math.min(...regular));
        const highAt = regular.lastIndexOf(Math.max(...regular));
        if (bar.close > bar.open && Math.min(...regular) < (regular[0] as number))
          expect(lowAt).toBeLessThan(highAt);
        if (bar.close < bar.open && Math.max(...regular) > (regular[0] as number)) {
          expect(regular.indexOf(Math.max(...regular))).toBeLessThan(
            regular.lastIndexOf(Math.min(...regular)),
          );
        }
      }
    }
  });

  it('starts pre-market at the real previous close', () => {
    const first = pointsOf(prices, 'AAPL', '2026-11-30', MarketSession.PreMarket)[0];
    expect(first?.price).toBe(190.04);
    expect(etClock(first?.timestamp ?? '')).toBe('04:00');
  });

  it('still hits O/H/L/C with hourly points on an early close (four regular points)', () => {
    const hourly = replayPlan({ ...THANKSGIVING, symbols: ['SPX'], intervalMinutes: 60 });
    const points = replayPrices(hourly);
    const bar = hourly.bars.SPX?.[8];
    expect(bar?.date).toBe('2026-11-27');
    const regular = pointsOf(points, 'SPX', '2026-11-27', MarketSession.Regular).map((point) => point.price);
    expect(regular).toEqual([2799.34, 2764.33, 2806.51, 2799.55]);
  });

  it('replays monthly symbols as daily-volatility days chained back from the real last close', () => {
    const months = loadMonthlyCloses('MSFT');
    const bars = plan.bars.MSFT ?? [];
    expect(bars.map((bar) => bar.sourceDate)).toEqual(months.slice(-10).map((month) => month.date));
    expect(bars.at(-1)?.close).toBeCloseTo(28.8, 10);
    bars.forEach((bar, index) => {
      const month = months[months.length - 10 + index];
      const before = months[months.length - 11 + index];
      const realMonthly = Math.log((month?.close ?? 0) / (before?.close ?? 1));
      expect(Math.log(bar.close / bar.previousClose)).toBeCloseTo(realMonthly / Math.sqrt(21), 10);
      expect(bar.synthetic).toBe(true);
      expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
      expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
      if (index > 0) expect(bar.previousClose).toBe(bars[index - 1]?.close);
    });
    const lastRegular = pointsOf(prices, 'MSFT', '2026-11-30', MarketSession.Regular).at(-1);
    expect(lastRegular?.price).toBe(28.8);
  });
});

describe('determinism', () => {
  it('gives deep-equal output for the same seed and inputs, and differs for another seed', () => {
    expect(replayPrices(THANKSGIVING)).toEqual(prices);
    expect(replayPrices({ ...THANKSGIVING, seed: 8 })).not.toEqual(prices);
  });

  it("does not change a symbol's points when other symbols or earlier days are added", () => {
    const alone = replayPrices({ ...THANKSGIVING, symbols: ['GOOG'] });
    expect(alone).toEqual(prices.filter((point) => point.symbol === 'GOOG'));
    const longer = replayPrices({ ...THANKSGIVING, symbols: ['AAPL', 'AMZN'], tradingDays: 20 });
    const lastTen = new Set(THANKSGIVING_DAYS);
    expect(longer.filter((point) => lastTen.has(classify(point.timestamp).date))).toEqual(
      prices.filter((point) => point.symbol === 'AAPL' || point.symbol === 'AMZN'),
    );
  });
});

describe('options', () => {
  it.each([
    [{ symbols: ['TSLA'] }, /unknown symbol TSLA/],
    [{ symbols: [] }, /at least one/],
    [{ symbols: ['AAPL', 'AAPL'] }, /duplicates/],
    [{ tradingDays: 0 }, /tradingDays/],
    [{ tradingDays: 2.5 }, /tradingDays/],
    [{ intervalMinutes: 0 }, /intervalMinutes/],
    [{ intervalMinutes: 61 }, /intervalMinutes/],
    [{ symbols: ['GOOG'], tradingDays: 68 }, /GOOG's data fills at most 67 days/],
  ])('rejects %j', (options, message) => {
    expect(() => replayPlan({ endDate: '2026-11-30', ...(options as object) })).toThrow(WorkloadOptionsError);
    expect(() => replayPlan({ endDate: '2026-11-30', ...(options as object) })).toThrow(message);
  });
});
