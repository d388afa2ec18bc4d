/**
 * trading-intelligence on the embedded DynamoDB, end to end: real monthly closes (vega-datasets
 * stocks.csv) replayed onto recent NYSE trading days, predictions recorded and validated by
 * dual-accuracy-tracker's own service, then analyze → stored ranking → rankings, session_correlation,
 * and the scheduled entry at a Saturday, an early-close afternoon and a Monday morning.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { handleTrackerEvent, type TrackerDeps } from '../../../lambdas/dual-accuracy-tracker/service';
import { loadConfig } from '../../../lambdas/shared/config';
import { dayInfo } from '../../../lambdas/shared/market';
import { documentClient } from '../../../lambdas/shared/store';
import { sumContributions } from '../../../lambdas/shared/trading';
import type { EmbeddedDynamo } from '../../../scripts/local/embedded-dynamo';
import { startEmbeddedDynamo } from '../../../scripts/local/embedded-dynamo';
import { type Handler, lambdaContext, loadHandler } from '../../../scripts/local/runtime';

// Quiet test output: the INFO lines of every invocation are not what this test reads.
process.env.LOG_LEVEL = 'WARN';
/** Recording and validating through the tracker takes seconds on a slow runner, not the default 5. */
jest.setTimeout(120_000);

const ANALYZE_AS_OF = '2026-11-30T14:50:00.000Z'; // Monday 09:50 ET
const MONDAY_10_ET = '2026-11-30T15:00:00Z';
const SYMBOLS = ['AAPL', 'MSFT', 'AMZN', 'IBM', 'GOOG'] as const;
type Symbol = (typeof SYMBOLS)[number];

/** Monthly closes per symbol, oldest first, from the real dataset. */
function monthlyCloses(): Record<Symbol, number[]> {
  const file = path.join(__dirname, '..', '..', '..', 'node_modules', 'vega-datasets', 'data', 'stocks.csv');
  const out = Object.fromEntries(SYMBOLS.map((s) => [s, [] as number[]])) as Record<Symbol, number[]>;
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    const [symbol, , price] = line.split(',');
    if (symbol && (SYMBOLS as readonly string[]).includes(symbol)) out[symbol as Symbol].push(Number(price));
  }
  return out;
}

/** 10:00, 12:00 and 14:00 ET on each trading day 2026-11-02 … 11-27, before the day's close. */
function barTimes(): string[] {
  const times: string[] = [];
  for (let d = Date.parse('2026-11-02T12:00:00Z'); d <= Date.parse('2026-11-27T12:00:00Z'); d += 86_400_000) {
    const info = dayInfo(new Date(d).toISOString().slice(0, 10));
    if (!info.open || !info.close) continue;
    for (const minutes of [30, 150, 270]) {
      const t = Date.parse(info.open) + minutes * 60_000;
      if (t < Date.parse(info.close)) times.push(new Date(t).toISOString());
    }
  }
  return times;
}

/** How often a symbol's model gets the next bar's direction right (deterministic by bar index). */
const SKILL: Record<Symbol, { right: (i: number) => boolean; confidence: number }> = {
  AAPL: { right: () => true, confidence: 0.8 },
  MSFT: { right: () => true, confidence: 0.75 },
  AMZN: { right: (i) => i % 2 === 0, confidence: 0.6 },
  IBM: { right: (i) => i % 4 === 0, confidence: 0.9 },
  GOOG: { right: () => true, confidence: 0.8 },
};

function workload() {
  const times = barTimes();
  const closes = monthlyCloses();
  const prices: Array<{ symbol: string; timestamp: string; price: number }> = [];
  const predictions: Array<Record<string, unknown>> = [];
  const last: Record<string, number> = {};
  for (const symbol of SYMBOLS) {
    const series = closes[symbol].slice(-times.length);
    if (series.length < times.length) throw new Error(`${symbol}: not enough real closes`);
    series.forEach((price, i) => {
      prices.push({ symbol, timestamp: times[i] as string, price });
    });
    last[symbol] = series[series.length - 1] as number;
    // GOOG: only its last three bars are predicted, too few for a score.
    const first = symbol === 'GOOG' ? series.length - 4 : 0;
    for (let i = first; i < series.length - 1; i++) {
      const base = series[i] as number;
      const move = (series[i + 1] as number) / base - 1;
      const direction = SKILL[symbol].right(i) ? 1 : -1;
      predictions.push({
        symbol,
        model: 'lstm-v3',
        predictedAt: new Date(Date.parse(times[i] as string) + 60_000).toISOString(),
        targetTime: times[i + 1],
        basePrice: base,
        predictedPrice: Number((base * (1 + direction * 0.5 * move)).toFixed(4)),
        confidence: SKILL[symbol].confidence,
      });
    }
    // The current prediction at the analysis time: +6 % for every symbol, so accuracy and prices decide.
    predictions.push({
      symbol,
      model: 'lstm-v3',
      predictedAt: '2026-11-30T14:45:00.000Z',
      targetTime: '2026-11-30T17:00:00.000Z',
      basePrice: last[symbol],
      predictedPrice: Number(((last[symbol] as number) * 1.06).toFixed(4)),
      confidence: SKILL[symbol].confidence,
    });
  }
  return { times, prices, predictions };
}

type Result = Record<string, unknown> & { ok: boolean };
type Entry = {
  rank: number | null;
  symbol: string;
  score: number | null;
  isOpportunity: boolean;
  codes?: string[];
  reason?: string;
  breakdown?: Array<{
    factor: string;
    contribution: number;
    raw: number;
    normalised: number;
    weight: number;
  }>;
  inputs: { validatedPredictions: number; correctDirections: number; priceCount: number };
};

let store: EmbeddedDynamo;
let handler: Handler;
const invoke = async (payload: unknown) =>
  (await handler(payload, lambdaContext('trading-intelligence'))) as Result;
let data: ReturnType<typeof workload>;

beforeAll(async () => {
  store = await startEmbeddedDynamo();
  Object.assign(process.env, store.env);
  data = workload();
  const config = loadConfig(process.env);
  const tracker: TrackerDeps = {
    store: {
      client: documentClient(store.endpoint),
      table: config.marketTable,
      namespace: config.namespace,
      rawTtlDays: config.rawTtlDays,
    },
    config,
    now: () => new Date(ANALYZE_AS_OF),
    requestId: 'integration-validate',
  };
  for (const [action, key, items] of [
    ['record_prices', 'prices', data.prices],
    ['record_predictions', 'predictions', data.predictions],
  ] as const) {
    const recorded = (await handleTrackerEvent(tracker, { action, [key]: items })) as Result;
    expect(recorded.ok).toBe(true);
  }
  const validated = (await handleTrackerEvent(tracker, {
    action: 'validate_all',
    lookback_days: 30,
  })) as Result;
  expect(validated.ok).toBe(true);
  // The layer reads its configuration when the handler module loads: import after the environment is set.
  handler = await loadHandler('trading-intelligence');
});

afterAll(async () => {
  await store?.stop();
});

describe('analyze on replayed real prices and validated predictions', () => {
  let result: Result & { ranking: Entry[]; summary: Record<string, unknown>; asOf: string };

  beforeAll(async () => {
    result = (await invoke({ action: 'analyze', asOf: ANALYZE_AS_OF })) as typeof result;
  });

  it('scores the symbols with enough evidence and says why the others have no score', () => {
    expect(result.ok).toBe(true);
    expect(result.asOf).toBe(ANALYZE_AS_OF);
    expect(result.summary).toMatchObject({ symbols: 5, scored: 4, unscored: 1, unreadableValidations: 0 });
    const goog = result.ranking.find((e) => e.symbol === 'GOOG');
    expect(goog).toMatchObject({ rank: null, score: null, codes: ['too_few_validated_predictions'] });
    expect(goog?.reason).toBe('3 validated predictions (< 10)');
    // 10 trading days back from Monday 11-30: targets on 11-16 … 11-27 (no 11-26, two bars on the early close).
    const scored = result.ranking.filter((e) => e.score !== null);
    for (const entry of scored) {
      expect(entry.inputs.validatedPredictions).toBe(26);
      expect(entry.inputs.priceCount).toBe(data.times.length);
      expect(sumContributions(entry.breakdown as never)).toBe(entry.score);
    }
    const bySymbol = Object.fromEntries(scored.map((e) => [e.symbol, e]));
    expect(bySymbol.AAPL?.inputs.correctDirections).toBe(26);
    expect(bySymbol.IBM?.inputs.correctDirections).toBeLessThan(13);
  });

  it('ranks by score: opportunities first, accurate models above the inaccurate one, unscored last', () => {
    const scores = result.ranking.map((e) => e.score);
    const scored = scores.filter((s): s is number => s !== null);
    expect(scored).toEqual([...scored].sort((a, b) => b - a));
    expect(result.ranking.map((e) => e.rank)).toEqual([1, 2, 3, 4, null]);
    const firstNonOpportunity = result.ranking.findIndex((e) => !e.isOpportunity);
    expect(result.ranking.slice(firstNonOpportunity).every((e) => !e.isOpportunity)).toBe(true);
    const score = (s: string) => result.ranking.find((e) => e.symbol === s)?.score as number;
    expect(score('AAPL')).toBeGreaterThan(score('IBM'));
    expect(score('MSFT')).toBeGreaterThan(score('IBM'));
  });

  it('persists the ranking with its time, and `rankings` returns it', async () => {
    const latest = (await invoke({ action: 'rankings' })) as Result & {
      count: number;
      rankings: Array<{ asOf: string; ranking: Entry[]; trigger: string }>;
    };
    expect(latest.ok).toBe(true);
    expect(latest.count).toBe(1);
    expect(latest.rankings[0]?.asOf).toBe(ANALYZE_AS_OF);
    expect(latest.rankings[0]?.trigger).toBe('analyze');
    expect(latest.rankings[0]?.ranking).toEqual(result.ranking);
  });
});

describe('session_correlation over the validated predictions', () => {
  it('groups every validation by session and ET hour', async () => {
    const report = (await invoke({
      action: 'session_correlation',
      lookback_days: 30,
      asOf: ANALYZE_AS_OF,
    })) as Result & {
      validations: number;
      overall: { n: number; hits: number };
      bySession: Record<string, { n: number }>;
      byHour: Array<{ hour: number; n: number }>;
    };
    expect(report.ok).toBe(true);
    // Every symbol's bars after the first are a validated target: 4 × (bars − 1) + GOOG's 3.
    expect(report.validations).toBe(4 * (data.times.length - 1) + 3);
    expect(report.bySession.regular?.n).toBe(report.validations);
    const hours = report.byHour.filter((h) => h.n > 0).map((h) => h.hour);
    expect(hours).toEqual([10, 12, 14]);
    expect(report.byHour.reduce((s, h) => s + h.n, 0)).toBe(report.validations);
  });
});

describe('scheduled_rankings', () => {
  const rankingTimes = async () =>
    (
      (await invoke({ action: 'rankings', limit: 10 })) as Result & { rankings: Array<{ asOf: string }> }
    ).rankings.map((r) => r.asOf);

  it('Saturday 10:00 ET is skipped: weekend', async () => {
    const result = await invoke({ action: 'scheduled_rankings', scheduledTime: '2026-11-28T15:00:00Z' });
    expect(result).toMatchObject({ ok: true, skipped: true, code: 'weekend', session: 'closed' });
    expect(result.reason).toBe('weekend: Saturday');
  });

  it('2026-11-27 14:00 ET is skipped: after the 13:00 early close', async () => {
    const result = await invoke({ action: 'scheduled_rankings', scheduledTime: '2026-11-27T19:00:00Z' });
    expect(result).toMatchObject({
      ok: true,
      skipped: true,
      code: 'after_early_close',
      session: 'after_hours',
    });
    expect(result.reason).toBe('early close at 13:00 ET (Day after Thanksgiving)');
    expect(await rankingTimes()).toEqual([ANALYZE_AS_OF]);
  });

  it('Monday 10:00 ET runs analyze as of the scheduled time and stores the ranking', async () => {
    const result = await invoke({ action: 'scheduled_rankings', scheduledTime: MONDAY_10_ET });
    expect(result).toMatchObject({
      ok: true,
      skipped: false,
      asOf: '2026-11-30T15:00:00.000Z',
      trigger: 'scheduled',
      session: 'regular',
    });
    expect((result.summary as { scored: number }).scored).toBe(4);
    expect(await rankingTimes()).toEqual(['2026-11-30T15:00:00.000Z', ANALYZE_AS_OF]);
  });

  it('a year outside the calendar is a clear ok:false', async () => {
    const result = await invoke({ action: 'scheduled_rankings', scheduledTime: '2029-03-05T15:00:00Z' });
    expect(result).toMatchObject({ ok: false, error: { code: 'CALENDAR_OUT_OF_RANGE' } });
  });
});
