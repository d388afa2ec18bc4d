/**
 * Replays real historical prices onto recent NYSE trading days, so that the demo, backtest, benchmarks
 * and tests see realistic price moves at times the product's calendar and schedules care about.
 *
 * What is real and what is interpolated:
 * - Calendar: the last `tradingDays` NYSE trading days ending at `endDate`, from `lambdas/shared/market`
 *   (weekends and holidays skipped; on 13:00 early-close days the regular session ends at 13:00 and
 *   after-hours runs 13:00–17:00, as that module defines).
 * - Daily symbols (AAPL, SPX): the LAST `tradingDays` real bars of the series, in order, one per replay
 *   day (the newest bar lands on the newest day). The day's open, high, low and close are real (rounded
 *   to cents, inward for high/low so the replay never leaves the real range). The previous close that
 *   pre-market starts from is the real previous bar's close.
 * - Monthly symbols (MSFT, AMZN, IBM, GOOG): each of the last `tradingDays` real months becomes one
 *   replay day whose close-to-close log return is the real monthly log return scaled by 1/√21 (about 21
 *   trading days a month), so the day has daily-sized volatility. The closes are chained backwards from
 *   the real latest close (the newest replay close is the real last month's close). Open, high and low
 *   are synthesised: open = previous close × exp(N(0, 0.3σ)), high/low = max/min(open, close) ×
 *   exp(±|N(0, 0.5σ)|), σ being the series' monthly log-return volatility / √21.
 * - Intraday (all symbols), every `intervalMinutes` from each session's start:
 *   - regular session: the path goes open → low → high → close on an up day (close ≥ open) and
 *     open → high → low → close on a down day, the classic OHLC path assumption. Open is the first
 *     regular point, close the last, and the extremes are hit exactly at two seeded slots (the first in
 *     the session's first half, the second in its second half). Between these anchors: linear
 *     interpolation plus a seeded Brownian bridge (zero at the anchors, scale 8 % of the day's range),
 *     clamped to [low, high]. So the regular points of a day reproduce its real O, H, L, C exactly.
 *   - pre-market 04:00–09:30: drift from the previous close to the open plus a small seeded bridge.
 *   - after-hours (16:00–20:00, or 13:00–17:00 on early closes): a mean-reverting AR(1) wobble around
 *     the close (per-step sd 5 % of the day's relative range). Extended-hours points may leave the
 *     day's regular [low, high], as real extended trading does.
 * - Prices are rounded to cents. Every random choice comes from a stream keyed by (seed, symbol, real
 *   date, replay date), so the same inputs give the same output, and adding a symbol or more days does
 *   not change the points of the others.
 * - With an `endDate` that is an instant (e.g. the default, now), points after it are not produced (the
 *   future has not happened); a plain `YYYY-MM-DD` date replays that whole day.
 */
import { dayInfo, etDate, type MarketDayInfo, toEastern } from '../../shared/market';
import { WorkloadOptionsError } from './errors';
import {
  DATASET_SOURCES,
  type DailyBar,
  Frequency,
  isWorkloadSymbol,
  loadDailyBars,
  loadMonthlyCloses,
  WORKLOAD_SYMBOLS,
  type WorkloadSymbol,
} from './market-data';
import { createRng, type Rng, type Seed } from './rng';

/** A recorded price, in the shape `record_prices` accepts. */
export interface PricePoint {
  readonly symbol: string;
  /** UTC ISO-8601 with milliseconds, e.g. 2026-11-24T14:30:00.000Z. */
  readonly timestamp: string;
  readonly price: number;
}

export interface ReplayOptions {
  readonly symbols?: readonly WorkloadSymbol[];
  /** Last day of the replay: an ET date `YYYY-MM-DD` (whole day) or an instant (points up to it). Default now. */
  readonly endDate?: string | Date;
  /** How many NYSE trading days to replay, ending at `endDate`. */
  readonly tradingDays?: number;
  /** Minutes between points, 1–60. */
  readonly intervalMinutes?: number;
  /** Pre-market and after-hours points as well as the regular session. */
  readonly includeExtendedHours?: boolean;
  readonly seed?: Seed;
}

export const REPLAY_DEFAULTS = {
  symbols: WORKLOAD_SYMBOLS,
  tradingDays: 10,
  intervalMinutes: 15,
  includeExtendedHours: true,
  seed: 42,
} as const;

/** The bar a replay day follows: real (daily symbols) or synthesised from a real month (monthly symbols). */
export interface ReplayedBar extends DailyBar {
  readonly symbol: WorkloadSymbol;
  /** The date of the real record it came from (bar date, or the month's first day). */
  readonly sourceDate: string;
  /** Close of the day before (real for daily symbols), where pre-market starts. */
  readonly previousClose: number;
  /** True when open/high/low were synthesised (monthly symbols). */
  readonly synthetic: boolean;
}

export interface ReplayPlan {
  readonly symbols: readonly WorkloadSymbol[];
  /** The trading days, oldest first. */
  readonly days: readonly MarketDayInfo[];
  /** Per symbol, one bar per day (same order as `days`); `bar.date` is the replay date. */
  readonly bars: Readonly<Record<string, readonly ReplayedBar[]>>;
  /** Points after this instant are not produced; null when `endDate` was a plain date. */
  readonly endInstant: string | null;
  readonly intervalMinutes: number;
  readonly includeExtendedHours: boolean;
  readonly seed: Seed;
}

/** Trading days a symbol's data can fill (monthly series need the month before the first). */
export function maxReplayDays(symbol: WorkloadSymbol): number {
  return DATASET_SOURCES[symbol].frequency === Frequency.Daily
    ? loadDailyBars(symbol as 'AAPL' | 'SPX').length
    : loadMonthlyCloses(symbol as 'MSFT').length - 1;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MINUTE = 60_000;
const TRADING_DAYS_PER_MONTH = 21;

interface ResolvedEnd {
  readonly date: string;
  readonly instantMs: number | null;
}

function resolveEnd(endDate: string | Date | undefined): ResolvedEnd {
  if (typeof endDate === 'string' && ISO_DATE.test(endDate)) {
    dayInfo(endDate); // validates the date and the calendar range
    return { date: endDate, instantMs: null };
  }
  const instant = endDate ?? new Date();
  return { date: etDate(instant), instantMs: toEastern(instant).epochMs };
}

function previousDate(iso: string): string {
  const date = new Date(`${iso}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * The last `count` NYSE trading days up to `endDate`, oldest first. With an instant, its own day counts
 * only once that day's first point (04:00 ET, or 09:30 without extended hours) has passed.
 * Throws `CalendarRangeError` when the walk leaves the calendar's years.
 */
export function tradingDaysEndingAt(
  endDate: string | Date | undefined,
  count: number,
  includeExtendedHours = true,
): MarketDayInfo[] {
  return daysUntil(resolveEnd(endDate), count, includeExtendedHours);
}

function daysUntil(end: ResolvedEnd, count: number, includeExtendedHours: boolean): MarketDayInfo[] {
  const days: MarketDayInfo[] = [];
  for (let date = end.date; days.length < count; date = previousDate(date)) {
    const info = dayInfo(date);
    if (!info.isTradingDay) continue;
    const first = includeExtendedHours ? info.preMarketOpen : info.open;
    if (end.instantMs !== null && date === end.date && first !== null && Date.parse(first) > end.instantMs) {
      continue;
    }
    days.push(info);
  }
  return days.reverse();
}

function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
}

function streamFor(seed: Seed, symbol: string, sourceDate: string, replayDate: string): Rng {
  return createRng(seed).fork('replay', symbol, sourceDate, replayDate);
}

function dailyReplayBars(symbol: 'AAPL' | 'SPX', days: readonly MarketDayInfo[]): ReplayedBar[] {
  const series = loadDailyBars(symbol);
  const start = series.length - days.length;
  return days.map((day, index) => {
    const bar = series[start + index] as DailyBar;
    const previous = series[start + index - 1];
    return {
      ...bar,
      symbol,
      date: day.date,
      sourceDate: bar.date,
      previousClose: previous?.close ?? bar.open,
      synthetic: false,
    };
  });
}

function monthlyReplayBars(
  symbol: WorkloadSymbol,
  days: readonly MarketDayInfo[],
  seed: Seed,
): ReplayedBar[] {
  const months = loadMonthlyCloses(symbol as 'MSFT');
  const returns = months.slice(1).map((month, index) => Math.log(month.close / (months[index]?.close ?? 1)));
  const dailySigma = sampleSd(returns) / Math.sqrt(TRADING_DAYS_PER_MONTH);
  const first = months.length - days.length;
  // Chain closes backwards from the real latest close: close[i-1] = close[i] / exp(r_i / √21).
  const closes = new Array<number>(days.length + 1);
  closes[days.length] = (months[months.length - 1] as { close: number }).close;
  for (let index = days.length; index >= 1; index--) {
    const scaled = (returns[first + index - 2] ?? 0) / Math.sqrt(TRADING_DAYS_PER_MONTH);
    closes[index - 1] = (closes[index] as number) / Math.exp(scaled);
  }
  return days.map((day, index) => {
    const month = months[first + index] as { date: string };
    const previousClose = closes[index] as number;
    const close = closes[index + 1] as number;
    const rng = streamFor(seed, symbol, month.date, day.date).fork('bar');
    const open = previousClose * Math.exp(rng.normal(0, 0.3 * dailySigma));
    const high = Math.max(open, close) * Math.exp(Math.abs(rng.normal(0, 0.5 * dailySigma)));
    const low = Math.min(open, close) * Math.exp(-Math.abs(rng.normal(0, 0.5 * dailySigma)));
    return {
      symbol,
      date: day.date,
      open,
      high,
      low,
      close,
      sourceDate: month.date,
      previousClose,
      synthetic: true,
    };
  });
}

/** Validates options, picks the days and the bar each symbol follows on each day. */
export function replayPlan(options: ReplayOptions = {}): ReplayPlan {
  const symbols = options.symbols ?? REPLAY_DEFAULTS.symbols;
  const tradingDays = options.tradingDays ?? REPLAY_DEFAULTS.tradingDays;
  const intervalMinutes = options.intervalMinutes ?? REPLAY_DEFAULTS.intervalMinutes;
  const includeExtendedHours = options.includeExtendedHours ?? REPLAY_DEFAULTS.includeExtendedHours;
  const seed = options.seed ?? REPLAY_DEFAULTS.seed;

  if (symbols.length === 0) throw new WorkloadOptionsError('symbols: at least one symbol');
  for (const symbol of symbols) {
    if (!isWorkloadSymbol(symbol)) {
      throw new WorkloadOptionsError(`symbols: unknown symbol ${String(symbol)}; known: ${WORKLOAD_SYMBOLS}`);
    }
  }
  if (new Set(symbols).size !== symbols.length) throw new WorkloadOptionsError('symbols: duplicates');
  if (!Number.isInteger(tradingDays) || tradingDays < 1) {
    throw new WorkloadOptionsError(`tradingDays: a positive integer (got ${tradingDays})`);
  }
  // Up to 60 minutes keeps at least four regular-session points (13:00 early close) for open, extremes, close.
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || intervalMinutes > 60) {
    throw new WorkloadOptionsError(`intervalMinutes: an integer from 1 to 60 (got ${intervalMinutes})`);
  }
  for (const symbol of symbols) {
    const max = maxReplayDays(symbol);
    if (tradingDays > max) {
      throw new WorkloadOptionsError(
        `tradingDays: ${symbol}'s data fills at most ${max} days (got ${tradingDays})`,
      );
    }
  }

  const end = resolveEnd(options.endDate);
  const days = daysUntil(end, tradingDays, includeExtendedHours);
  const bars: Record<string, readonly ReplayedBar[]> = {};
  for (const symbol of symbols) {
    bars[symbol] =
      symbol === 'AAPL' || symbol === 'SPX'
        ? dailyReplayBars(symbol, days)
        : monthlyReplayBars(symbol, days, seed);
  }
  return {
    symbols,
    days,
    bars,
    endInstant: end.instantMs === null ? null : new Date(end.instantMs).toISOString(),
    intervalMinutes,
    includeExtendedHours,
    seed,
  };
}

const toCents = (value: number): number => Math.round(value * 100) / 100;

/** Instants from `from` (inclusive) to `to` (exclusive) every `interval` minutes, as epoch ms. */
function slots(from: string | null, to: string | null, interval: number): number[] {
  if (from === null || to === null) return [];
  const out: number[] = [];
  const end = Date.parse(to);
  for (let at = Date.parse(from); at < end; at += interval * MINUTE) out.push(at);
  return out;
}

/** Standard Brownian bridge over `steps` steps: values at 0..steps, zero at both ends. */
function bridge(rng: Rng, steps: number): number[] {
  const walk = [0];
  for (let step = 1; step <= steps; step++) walk.push((walk[step - 1] as number) + rng.normal());
  const last = walk[steps] as number;
  return walk.map((value, step) => value - (step / steps) * last);
}

/** Regular-session prices: open → first extreme → second extreme → close, hitting each exactly. */
function regularPath(bar: ReplayedBar, count: number, rng: Rng): number[] {
  let low = Math.ceil(bar.low * 100 - 1e-6) / 100;
  let high = Math.floor(bar.high * 100 + 1e-6) / 100;
  if (low > high) {
    // The real range holds no whole cent: stay on the nearest cent to its middle.
    low = toCents((bar.low + bar.high) / 2);
    high = low;
  }
  const clamp = (value: number) => Math.min(high, Math.max(low, value));
  const open = clamp(toCents(bar.open));
  const close = clamp(toCents(bar.close));
  const half = Math.floor((count - 1) / 2);
  const first = rng.int(1, half + 1);
  const second = rng.int(Math.max(first + 1, Math.ceil((count - 1) / 2)), count - 1);
  const up = bar.close >= bar.open;
  const anchors: [number, number][] = [
    [0, open],
    [first, up ? low : high],
    [second, up ? high : low],
    [count - 1, close],
  ];
  const sigma = 0.08 * (high - low);
  const path = new Array<number>(count);
  for (let segment = 0; segment < anchors.length - 1; segment++) {
    const [fromIndex, fromValue] = anchors[segment] as [number, number];
    const [toIndex, toValue] = anchors[segment + 1] as [number, number];
    const steps = toIndex - fromIndex;
    const noise = bridge(rng, steps);
    for (let step = 0; step <= steps; step++) {
      const linear = fromValue + ((toValue - fromValue) * step) / steps;
      const isAnchor = step === 0 || step === steps;
      path[fromIndex + step] = isAnchor ? linear : clamp(toCents(linear + sigma * (noise[step] as number)));
    }
  }
  return path;
}

function preMarketPath(bar: ReplayedBar, count: number, open: number, rng: Rng): number[] {
  const sigma = 0.04 * (bar.high - bar.low);
  const noise = bridge(rng, count);
  return Array.from({ length: count }, (_, step) =>
    Math.max(
      0.01,
      toCents(
        bar.previousClose + ((open - bar.previousClose) * step) / count + sigma * (noise[step] as number),
      ),
    ),
  );
}

function afterHoursPath(bar: ReplayedBar, count: number, close: number, rng: Rng): number[] {
  const stepSd = (0.05 * (bar.high - bar.low)) / bar.close;
  let deviation = 0;
  return Array.from({ length: count }, (_, step) => {
    deviation = step === 0 ? 0 : 0.8 * deviation + rng.normal(0, stepSd);
    return Math.max(0.01, toCents(close * (1 + deviation)));
  });
}

function replaySymbolDay(plan: ReplayPlan, day: MarketDayInfo, bar: ReplayedBar): PricePoint[] {
  const rng = streamFor(plan.seed, bar.symbol, bar.sourceDate, day.date);
  const regularSlots = slots(day.open, day.close, plan.intervalMinutes);
  const regular = regularPath(bar, regularSlots.length, rng.fork('regular'));
  const timed: [number, number][] = regularSlots.map((at, index) => [at, regular[index] as number]);
  if (plan.includeExtendedHours) {
    const preSlots = slots(day.preMarketOpen, day.open, plan.intervalMinutes);
    const pre = preMarketPath(bar, preSlots.length, regular[0] as number, rng.fork('pre'));
    const afterSlots = slots(day.close, day.afterHoursClose, plan.intervalMinutes);
    const after = afterHoursPath(
      bar,
      afterSlots.length,
      regular[regular.length - 1] as number,
      rng.fork('after'),
    );
    for (const [index, at] of preSlots.entries()) timed.push([at, pre[index] as number]);
    for (const [index, at] of afterSlots.entries()) timed.push([at, after[index] as number]);
  }
  const endMs = plan.endInstant === null ? Number.POSITIVE_INFINITY : Date.parse(plan.endInstant);
  return timed
    .filter(([at]) => at <= endMs)
    .map(([at, price]) => ({ symbol: bar.symbol, timestamp: new Date(at).toISOString(), price }));
}

/** Compares price points by time, then symbol: the replay's (total, deterministic) order. */
export function comparePricePoints(a: PricePoint, b: PricePoint): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}

/** Replays the plan (or options) into price points sorted by time, then symbol. */
export function replayPrices(options: ReplayOptions | ReplayPlan = {}): PricePoint[] {
  const plan = 'days' in options ? options : replayPlan(options);
  const points: PricePoint[] = [];
  for (const symbol of plan.symbols) {
    const bars = plan.bars[symbol] ?? [];
    plan.days.forEach((day, index) => {
      const bar = bars[index];
      if (bar) points.push(...replaySymbolDay(plan, day, bar));
    });
  }
  return points.sort(comparePricePoints);
}
