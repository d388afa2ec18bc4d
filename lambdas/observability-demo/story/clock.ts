/** The story's time: the fixed clock, the replayed days' ticks and the scheduled ranking times. */
import { dayInfo, easternClock, etDate, type MarketDayInfo, toEastern } from '../../shared/market';

const MINUTE = 60_000;

/** The demo's fixed clock: the end of the last NYSE trading day whose after-hours session has closed. */
export function demoClock(realNow: Date): { readonly endDate: string; readonly now: string } {
  let date = etDate(realNow);
  for (let step = 0; step < 15; step++) {
    const info = dayInfo(date);
    if (info.isTradingDay && info.afterHoursClose && Date.parse(info.afterHoursClose) <= realNow.getTime()) {
      return { endDate: date, now: info.afterHoursClose };
    }
    const previous = new Date(`${date}T12:00:00Z`);
    previous.setUTCDate(previous.getUTCDate() - 1);
    date = previous.toISOString().slice(0, 10);
  }
  throw new RangeError(`no NYSE trading day in the 15 days before ${realNow.toISOString()}`);
}

/**
 * The ticks of a replayed day, every `intervalMinutes` from the first price (pre-market open) to
 * `tailMinutes` after the last session closes: when the feed posts prices and predictions and the
 * scheduled validate_all runs.
 */
export function dayTicks(day: MarketDayInfo, intervalMinutes: number, tailMinutes: number): string[] {
  if (!day.preMarketOpen || !day.afterHoursClose) return [];
  const end = Date.parse(day.afterHoursClose) + tailMinutes * MINUTE;
  const ticks: string[] = [];
  for (let at = Date.parse(day.preMarketOpen); at <= end; at += intervalMinutes * MINUTE) {
    ticks.push(new Date(at).toISOString());
  }
  return ticks;
}

/**
 * The ranking times replayed each day, as the stack schedules trading-intelligence: every 15 minutes of the
 * regular session, from the open to the last slot before the close (13:00 on early-close days).
 */
export function rankingTimes(day: MarketDayInfo, everyMinutes = 15): string[] {
  if (!day.open || !day.close) return [];
  const close = Date.parse(day.close);
  const times: string[] = [];
  for (let at = Date.parse(day.open); at < close; at += everyMinutes * MINUTE) {
    times.push(new Date(at).toISOString());
  }
  return times;
}

/** "14:15 ET" (the day is in the context where it is used). */
export const etClock = (iso: string): string => `${easternClock(toEastern(iso))} ET`;
