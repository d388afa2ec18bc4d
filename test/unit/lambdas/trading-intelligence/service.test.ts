import { getTelemetry, initTelemetry, MemorySink } from '@trading-observability/otel';
import { loadConfig } from '../../../../lambdas/shared/config';
import { putPredictions, putPrices, putValidations } from '../../../../lambdas/shared/store';
import {
  DEFAULT_SCORE_CONFIG,
  momentum,
  realizedVolatility,
  scoreOpportunity,
  sumContributions,
} from '../../../../lambdas/shared/trading';
import { DEFAULT_ANALYSIS_CONFIG, type TradingConfig } from '../../../../lambdas/trading-intelligence/config';
import {
  analyze,
  forStorage,
  MAX_STORED_RANKING_CHARS,
  type RankingEntry,
  rankings,
  runAction,
  scheduledRankings,
  sessionCorrelationReport,
  type TradingDeps,
} from '../../../../lambdas/trading-intelligence/service';
import { fakeContexts } from './fake-store';

const AS_OF = '2026-11-30T15:00:00.000Z'; // Monday 10:00 ET
/** The nine trading days before AS_OF inside a 10-trading-day window (Thanksgiving 11-26 is closed). */
const DAYS = ['16', '17', '18', '19', '20', '23', '24', '25', '27'].map((d) => `2026-11-${d}`);

type Item = { symbol: string; model: string; predictedAt: string; targetTime: string } & Record<
  string,
  unknown
>;

function validationsFor(
  symbol: string,
  hits: (i: number) => boolean,
  confidence: number,
  days = DAYS,
): Item[] {
  const out: Item[] = [];
  let i = 0;
  for (const day of days) {
    for (const hour of ['15', '17']) {
      const hit = hits(i++);
      const basePrice = 100;
      const predictedPrice = 101;
      const actualPrice = hit ? 101.5 : 99;
      out.push({
        symbol,
        model: 'lstm-v3',
        predictedAt: `${day}T${String(Number(hour) - 1).padStart(2, '0')}:00:00.000Z`,
        targetTime: `${day}T${hour}:00:00.000Z`,
        basePrice,
        predictedPrice,
        confidence,
        actualPrice,
        actualTime: `${day}T${hour}:00:00.000Z`,
        session: 'regular',
        hit,
        priceErrorPct: (Math.abs(predictedPrice - actualPrice) / actualPrice) * 100,
        predictedReturnPct: 1,
        actualReturnPct: actualPrice - basePrice,
      });
    }
  }
  return out;
}

function priceSeries(drift: number, noise: number, n = 30): number[] {
  return Array.from({ length: n }, (_, i) =>
    Number((100 * (1 + drift) ** i * (1 + noise * (-1) ** i)).toFixed(4)),
  );
}

function pricePoints(symbol: string, prices: number[]) {
  // Daily points ending the Friday before AS_OF, all inside the 45-day price window.
  const end = Date.parse('2026-11-27T18:00:00.000Z');
  return prices.map((price, i) => ({
    symbol,
    timestamp: new Date(end - (prices.length - 1 - i) * 86_400_000).toISOString(),
    price,
  }));
}

function current(symbol: string, basePrice: number, predictedPrice: number, confidence: number) {
  return {
    symbol,
    model: 'lstm-v3',
    predictedAt: '2026-11-30T14:45:00.000Z',
    targetTime: '2026-11-30T21:00:00.000Z',
    basePrice,
    predictedPrice,
    confidence,
  };
}

const config: TradingConfig = {
  app: loadConfig({}),
  score: DEFAULT_SCORE_CONFIG,
  analysis: DEFAULT_ANALYSIS_CONFIG,
};

const goodPrices = priceSeries(0.004, 0.003);
const poorPrices = priceSeries(-0.002, 0.01);

async function seeded() {
  const stores = fakeContexts();
  const deps: TradingDeps = {
    market: stores.market,
    rankings: stores.rankings,
    config,
    now: () => new Date(AS_OF),
  };
  await putValidations(stores.market, [
    ...validationsFor('GOOD', () => true, 0.8),
    // Known only after AS_OF: must not count (no look-ahead).
    {
      ...validationsFor('GOOD', () => false, 0.8, ['2026-11-30'])[0],
      targetTime: '2026-11-30T14:30:00.000Z',
      actualTime: '2026-11-30T15:05:00.000Z',
    } as Item,
    ...validationsFor('POOR', (i) => i < 7, 0.75),
    ...validationsFor('THIN', () => true, 0.9, ['2026-11-25', '2026-11-27']).slice(0, 3),
    ...validationsFor('NOPRED', () => true, 0.9),
  ]);
  await putPrices(stores.market, [
    ...pricePoints('GOOD', goodPrices),
    ...pricePoints('POOR', poorPrices),
    ...pricePoints('THIN', goodPrices),
    ...pricePoints('NOPRED', goodPrices),
  ]);
  await putPredictions(stores.market, [
    current('GOOD', 112, 114.24, 0.85),
    current('POOR', 95, 95.19, 0.7),
    current('THIN', 100, 103, 0.9),
    // NOPRED's only prediction targets a time before AS_OF: not current.
    {
      ...current('NOPRED', 100, 103, 0.9),
      targetTime: '2026-11-30T14:50:00.000Z',
      predictedAt: '2026-11-30T14:00:00.000Z',
    },
  ]);
  return { stores, deps };
}

const spanSink = new MemorySink();
const metricsSink = new MemorySink();
const logSink = new MemorySink();

beforeAll(() => {
  initTelemetry({ config: { tracesSampler: 'always_on', mode: 'off' }, spanSink, metricsSink, logSink });
});

type OtlpValue = { stringValue?: string; boolValue?: boolean; intValue?: string; doubleValue?: number };
async function exportedSpans() {
  await getTelemetry().flush();
  const spans = spanSink
    .json<{
      resourceSpans: Array<{
        scopeSpans: Array<{
          spans: Array<{ name: string; attributes: Array<{ key: string; value: OtlpValue }> }>;
        }>;
      }>;
    }>()
    .flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  spanSink.clear();
  return spans.map((s) => ({
    name: s.name,
    attributes: Object.fromEntries(
      s.attributes.map(({ key, value }) => [
        key,
        value.stringValue ??
          value.boolValue ??
          (value.intValue !== undefined ? Number(value.intValue) : value.doubleValue),
      ]),
    ),
  }));
}

function emfMetrics(): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const doc of metricsSink.json<
    Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> } }
  >()) {
    for (const directive of doc._aws.CloudWatchMetrics) {
      for (const { Name } of directive.Metrics) {
        const value = doc[Name];
        out[Name] = [
          ...(out[Name] ?? []),
          ...(Array.isArray(value) ? (value as number[]) : [value as number]),
        ];
      }
    }
  }
  metricsSink.clear();
  return out;
}

describe('analyze', () => {
  let result: Awaited<ReturnType<typeof analyze>>;
  let stores: Awaited<ReturnType<typeof seeded>>['stores'];

  beforeAll(async () => {
    const seed = await seeded();
    stores = seed.stores;
    spanSink.clear();
    metricsSink.clear();
    result = await analyze(seed.deps, {});
  });

  it('ranks opportunities first, then scored symbols, then the unscored with their reasons', () => {
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.ranking.map((e) => [e.rank, e.symbol, e.isOpportunity])).toEqual([
      [1, 'GOOD', true],
      [2, 'POOR', false],
      [null, 'NOPRED', false],
      [null, 'THIN', false],
    ]);
    const [good, poor, nopred, thin] = result.ranking as RankingEntry[];
    expect(good?.score).toBeGreaterThanOrEqual(70);
    expect(poor?.score).toBeLessThan(70);
    expect(nopred).toMatchObject({
      score: null,
      codes: ['no_predicted_move'],
      reason: 'no current prediction',
    });
    expect(thin).toMatchObject({ score: null, codes: ['too_few_validated_predictions'] });
    expect(thin?.reason).toBe('3 validated predictions (< 10)');
    expect(result.summary).toEqual({
      symbols: 4,
      scored: 2,
      unscored: 2,
      opportunitiesFound: 1,
      topOpportunityScore: good?.score,
      topSymbol: 'GOOD',
      opportunities: ['GOOD'],
      unreadableValidations: 0,
    });
    expect(result.session).toBe('regular');
    expect(result.window).toEqual({
      validationsFrom: '2026-11-16T05:00:00.000Z',
      pricesFrom: '2026-10-16T15:00:00.000Z',
      to: AS_OF,
      tradingDays: 10,
      approximate: false,
    });
  });

  it('scores from the stored evidence exactly as the pure scorer does, with a breakdown that sums to the score', () => {
    if (!result.ok) throw new Error('not ok');
    const good = result.ranking[0] as RankingEntry;
    const expected = scoreOpportunity(
      {
        symbol: 'GOOD',
        validatedPredictions: 18, // the look-ahead validation is left out
        correctDirections: 18,
        ece: 0.2,
        meanConfidence: 0.8,
        predictedMovePct: 2,
        volatilityPct: realizedVolatility(goodPrices),
        momentumPct: momentum(goodPrices, 20),
        priceCount: 30,
      },
      DEFAULT_SCORE_CONFIG,
    );
    expect(good.score).toBe(expected.score);
    expect(good.breakdown?.map((c) => c.contribution)).toEqual(
      expected.score === null ? [] : expected.breakdown.map((c) => c.contribution),
    );
    expect(sumContributions(good.breakdown ?? [])).toBe(good.score);
    expect(good.signalReturnPct).toBe(1.5);
    expect(good.currentPrediction).toEqual({
      model: 'lstm-v3',
      predictedAt: '2026-11-30T14:45:00.000Z',
      targetTime: '2026-11-30T21:00:00.000Z',
      confidence: 0.85,
    });
    const poor = result.ranking[1] as RankingEntry;
    expect(poor.inputs).toMatchObject({ validatedPredictions: 18, correctDirections: 7, priceCount: 30 });
    expect(poor.signalReturnPct).toBeCloseTo((7 * 1.5 + 11 * -1) / 18, 4);
  });

  it('stores the ranking under asOf and `rankings` returns it', async () => {
    if (!result.ok) throw new Error('not ok');
    expect(stores.client.count('rankings')).toBe(1);
    const [item] = [...stores.client.table('rankings').values()];
    expect(item).toMatchObject({ pk: 'test#RANKING', sk: AS_OF, asOf: AS_OF });
    // Kept 90 days (TTL, epoch seconds) from the later of asOf and the time it was stored.
    expect(item?.expiresAt).toBe(Date.parse(AS_OF) / 1000 + 90 * 86_400);
    const latest = await rankings({ ...(await seeded()).deps, rankings: stores.rankings }, { limit: 5 });
    expect(latest.count).toBe(1);
    const [stored] = latest.rankings;
    expect(stored?.asOf).toBe(AS_OF);
    expect(stored?.ranking).toEqual(JSON.parse(JSON.stringify(result.ranking)));
    expect(stored?.summary).toEqual(result.summary);
  });

  it('emits one trading.opportunity_analysis span per symbol and the two metrics', async () => {
    const spans = (await exportedSpans()).filter((s) => s.name === 'trading.opportunity_analysis');
    const bySymbol = Object.fromEntries(spans.map((s) => [s.attributes['finance.symbol'], s.attributes]));
    expect(Object.keys(bySymbol).sort()).toEqual(['GOOD', 'NOPRED', 'POOR', 'THIN']);
    if (!result.ok) throw new Error('not ok');
    expect(bySymbol.GOOD).toMatchObject({
      opportunity_score: result.ranking[0]?.score,
      'market.session': 'regular',
      'trading.is_opportunity': true,
      'trading.signal_return_pct': 1.5,
    });
    expect(bySymbol.THIN?.opportunity_score).toBeUndefined();
    expect(bySymbol.THIN?.['trading.is_opportunity']).toBe(false);
    expect(bySymbol.THIN?.['trading.unscored_reason']).toBe('too_few_validated_predictions');
    const emitted = emfMetrics();
    expect(emitted.OpportunitiesFound).toEqual([1]);
    expect(emitted.TopOpportunityScore).toEqual([result.ranking[0]?.score]);
  });

  it('only Queries the market table and writes only the rankings table', () => {
    expect(stores.client.calls.every((c) => c === 'Query' || c === 'BatchWriteItem')).toBe(true);
  });
});

describe('analyze edge cases', () => {
  it('asOf in a year the calendar does not hold: CALENDAR_OUT_OF_RANGE, nothing written', async () => {
    const { stores, deps } = await seeded();
    const result = await analyze(deps, { asOf: '2031-03-03T15:00:00.000Z' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('CALENDAR_OUT_OF_RANGE');
    expect(result.error.issues[0]?.path).toBe('asOf');
    expect(stores.client.count('rankings')).toBe(0);
    // The caller reads what the calendar covers, not where the project keeps it.
    expect(result.error.message).toBe(
      'NYSE calendar has no data for 2031; it covers 2025, 2026, 2027. Nothing was analysed or written.',
    );
    expect(JSON.stringify(result.error)).not.toMatch(/\.ts\b|lambdas\//);
  });

  it('a symbols filter analyses only those symbols; an empty store ranks nothing but still stores the run', async () => {
    const { deps } = await seeded();
    const some = await analyze(deps, { symbols: ['POOR', 'GOOD', 'GOOD'] });
    expect(some.ok && some.ranking.map((e) => e.symbol)).toEqual(['GOOD', 'POOR']);
    const empty = fakeContexts();
    const none = await analyze({ ...deps, market: empty.market, rankings: empty.rankings }, {});
    expect(none.ok && none.summary).toMatchObject({ symbols: 0, scored: 0, topOpportunityScore: null });
    expect(empty.client.count('rankings')).toBe(1);
    const latest = await rankings({ ...deps, rankings: fakeContexts().rankings }, { limit: 1 });
    expect(latest).toMatchObject({ ok: true, count: 0, rankings: [] });
  });
});

describe('scheduled_rankings', () => {
  const cases: Array<[string, string, string, string]> = [
    ['Saturday 10:00 ET', '2026-11-28T15:00:00Z', 'weekend', 'weekend: Saturday'],
    ['Thanksgiving', '2026-11-26T15:00:00Z', 'holiday', 'holiday: Thanksgiving Day'],
    [
      '2026-11-27 14:00 ET (early close)',
      '2026-11-27T19:00:00Z',
      'after_early_close',
      'early close at 13:00 ET',
    ],
    ['Monday 09:15 ET', '2026-11-30T14:15:00Z', 'before_open', 'before regular open at 09:30 ET'],
    ['Monday 16:00 ET', '2026-11-30T21:00:00Z', 'after_close', 'after regular close at 16:00 ET'],
  ];
  it.each(cases)(
    '%s is skipped with its reason, nothing stored',
    async (_label, scheduledTime, code, reason) => {
      const { stores, deps } = await seeded();
      const result = await scheduledRankings(deps, { scheduledTime: new Date(scheduledTime).toISOString() });
      expect(result).toMatchObject({ ok: true, skipped: true, code });
      expect(result.ok && 'reason' in result && result.reason).toContain(reason);
      expect(stores.client.count('rankings')).toBe(0);
    },
  );

  it('Monday 10:00 ET runs analyze as of the scheduled time and stores it', async () => {
    const { stores, deps } = await seeded();
    const result = await scheduledRankings(
      { ...deps, now: () => new Date('2026-11-30T15:00:07Z') },
      { scheduledTime: AS_OF },
    );
    expect(result).toMatchObject({
      ok: true,
      skipped: false,
      asOf: AS_OF,
      trigger: 'scheduled',
      session: 'regular',
    });
    expect(stores.client.count('rankings')).toBe(1);
    // A retried run (same scheduledTime) overwrites: still one ranking.
    await scheduledRankings(deps, { scheduledTime: AS_OF });
    expect(stores.client.count('rankings')).toBe(1);
  });

  it('counts RankingsProduced for a stored live run only (the no-rankings alarm reads it), not for skips or the demo', async () => {
    const { deps } = await seeded();
    const live = { ...deps, rankings: { ...deps.rankings, namespace: 'live' } };
    metricsSink.clear();
    await scheduledRankings(live, { scheduledTime: '2026-11-28T15:00:00.000Z' });
    await scheduledRankings(deps, { scheduledTime: AS_OF });
    await getTelemetry().flush();
    expect(emfMetrics().RankingsProduced).toBeUndefined();
    await scheduledRankings(live, { scheduledTime: AS_OF });
    await getTelemetry().flush();
    expect(emfMetrics().RankingsProduced).toEqual([1]);
  });

  it('a year outside the calendar is ok:false with CALENDAR_OUT_OF_RANGE, not a crash', async () => {
    const { stores, deps } = await seeded();
    const result = await scheduledRankings(deps, { scheduledTime: '2030-06-03T14:00:00.000Z' });
    expect(result).toMatchObject({ ok: false, error: { code: 'CALENDAR_OUT_OF_RANGE' } });
    expect(!result.ok && result.error.message).toContain('2030');
    expect(stores.client.count('rankings')).toBe(0);
  });
});

describe('session_correlation through the service', () => {
  it('reads every symbol’s validations in the window and groups them', async () => {
    const { deps } = await seeded();
    const result = await runAction(deps, { action: 'session_correlation', lookback_days: 30 });
    if (!('overall' in result)) throw new Error('unexpected result');
    // GOOD 18 + POOR 18 + THIN 3 + NOPRED 18; GOOD's late one (price at 15:05Z, after the window's end) is not counted.
    expect(result.validations).toBe(57);
    expect(result.bySession.regular?.n).toBe(57);
    // 15:00Z = 10:00 EST and 17:00Z = 12:00 EST.
    expect([result.byHour[10]?.n, result.byHour[12]?.n, result.byHour[9]?.n]).toEqual([
      9 + 9 + 2 + 9,
      9 + 9 + 1 + 9,
      0,
    ]);
    expect(result.overall.hits).toBe(18 + 7 + 3 + 18);
    const narrow = await sessionCorrelationReport(deps, {
      lookback_days: 1,
      asOf: '2026-11-25T23:59:00.000Z',
    });
    expect(narrow.validations).toBe(4 * 2); // 11-25 at 15:00Z and 17:00Z for each of the four symbols
  });
});

describe('stored ranking size', () => {
  it('a ranking too large for one DynamoDB item is stored compacted, keeping the opportunities’ breakdowns', async () => {
    const { deps } = await seeded();
    const result = await analyze(deps, {});
    if (!result.ok) throw new Error('not ok');
    expect(forStorage(result)).toBe(result as unknown);
    const many = {
      ...result,
      ranking: Array.from({ length: 400 }, (_, i) => ({
        ...(result.ranking[i % 2] as RankingEntry),
        symbol: `S${i}`,
      })),
    };
    const stored = forStorage(many) as unknown as { compacted: boolean; ranking: RankingEntry[] };
    expect(JSON.stringify(many).length).toBeGreaterThan(MAX_STORED_RANKING_CHARS);
    expect(JSON.stringify(stored).length).toBeLessThan(MAX_STORED_RANKING_CHARS);
    expect(stored.compacted).toBe(true);
    expect(stored.ranking[0]?.breakdown).toHaveLength(5); // an opportunity
    expect(stored.ranking[1]?.breakdown).toBeUndefined();
    expect(stored.ranking[1]?.inputs).toBeUndefined();
  });
});
