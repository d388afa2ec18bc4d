/**
 * trading-intelligence on the shared workload (lambdas/observability-demo/replay): real prices replayed over every session of
 * eleven NYSE trading days up to Monday 2026-11-30 10:00 ET, two models whose skill is lowered in
 * pre-market and after-hours, recorded and validated by dual-accuracy-tracker's service. session_correlation
 * must find the injected session effect; analyze must score every symbol from the evidence.
 */
import { handleTrackerEvent, type TrackerDeps } from '../../../lambdas/dual-accuracy-tracker/service';
import { buildWorkload } from '../../../lambdas/observability-demo/replay';
import { loadConfig } from '../../../lambdas/shared/config';
import { documentClient } from '../../../lambdas/shared/store';
import { sumContributions } from '../../../lambdas/shared/trading';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../scripts/local/embedded-dynamo';
import { type Handler, lambdaContext, loadHandler } from '../../../scripts/local/runtime';

process.env.LOG_LEVEL = 'WARN';

const AS_OF = '2026-11-30T15:00:00.000Z'; // Monday 10:00 ET
const CHUNK = 2000;
/** The workload is recorded and validated through the tracker first: seconds, not the default 5. */
jest.setTimeout(180_000);

type Group = { n: number; hits: number; hitRate: number | null; hitRateCi: [number, number] | null };
type Result = Record<string, unknown> & { ok: boolean };

let store: EmbeddedDynamo;
let handler: Handler;
let workload: ReturnType<typeof buildWorkload>;
const invoke = async (payload: unknown) =>
  (await handler(payload, lambdaContext('trading-intelligence'))) as Result;

beforeAll(async () => {
  store = await startEmbeddedDynamo();
  Object.assign(process.env, store.env);
  workload = buildWorkload({
    endDate: new Date(AS_OF),
    tradingDays: 11,
    intervalMinutes: 60,
    includeUnresolved: true,
    sessionSkillOffsets: { pre_market: -0.2, after_hours: -0.2 },
  });
  const config = loadConfig(process.env);
  const tracker: TrackerDeps = {
    store: {
      client: documentClient(store.endpoint),
      table: config.marketTable,
      namespace: config.namespace,
      rawTtlDays: config.rawTtlDays,
    },
    config,
    now: () => new Date(AS_OF),
    requestId: 'integration-workload',
  };
  for (let i = 0; i < workload.prices.length; i += CHUNK) {
    const r = (await handleTrackerEvent(tracker, {
      action: 'record_prices',
      prices: workload.prices.slice(i, i + CHUNK),
    })) as Result;
    expect(r.ok).toBe(true);
  }
  for (let i = 0; i < workload.predictions.length; i += CHUNK) {
    const r = (await handleTrackerEvent(tracker, {
      action: 'record_predictions',
      predictions: workload.predictions.slice(i, i + CHUNK),
    })) as Result;
    expect(r.ok).toBe(true);
  }
  const validated = (await handleTrackerEvent(tracker, {
    action: 'validate_all',
    lookback_days: 30,
  })) as Result;
  expect(validated.ok).toBe(true);
  handler = await loadHandler('trading-intelligence');
}, 180_000);

afterAll(async () => {
  await store?.stop();
});

it('session_correlation finds the sessions where the models were made worse', async () => {
  const report = (await invoke({
    action: 'session_correlation',
    lookback_days: 30,
    asOf: AS_OF,
  })) as Result & {
    validations: number;
    bestSession: string;
    overall: Group;
    bySession: Record<string, Group>;
    byHour: Array<Group & { hour: number }>;
  };
  expect(report.ok).toBe(true);
  const { regular, pre_market: pre, after_hours: after } = report.bySession;
  for (const group of [regular, pre, after]) expect(group?.n).toBeGreaterThan(100);
  // Regular-session hit rate is clearly above both extended sessions (the Wilson intervals do not overlap).
  expect(regular?.hitRateCi?.[0]).toBeGreaterThan(pre?.hitRateCi?.[1] as number);
  expect(regular?.hitRateCi?.[0]).toBeGreaterThan(after?.hitRateCi?.[1] as number);
  expect(report.bestSession).toBe('regular');
  const sessions = Object.values(report.bySession).reduce((s, g) => s + g.n, 0);
  expect(sessions).toBe(report.validations);
  expect(report.byHour.reduce((s, g) => s + g.n, 0)).toBe(report.validations);
  // Nothing is validated between 20:00 and 04:00 ET: no prices there.
  for (const hour of [0, 1, 2, 3, 21, 22, 23]) expect(report.byHour[hour]?.n).toBe(0);
});

it('analyze scores every workload symbol as of Monday 10:00 ET and stores the ranking', async () => {
  const result = (await invoke({ action: 'analyze', asOf: AS_OF })) as Result & {
    summary: {
      symbols: number;
      scored: number;
      opportunitiesFound: number;
      topOpportunityScore: number | null;
    };
    ranking: Array<{ symbol: string; score: number | null; breakdown?: never; reason?: string }>;
  };
  expect(result.ok).toBe(true);
  expect(result.summary.symbols).toBe(workload.symbols.length);
  expect(result.ranking.filter((e) => e.score === null).map((e) => `${e.symbol}: ${e.reason}`)).toEqual([]);
  expect(result.summary.scored).toBe(workload.symbols.length);
  for (const entry of result.ranking) {
    expect(entry.score).toBeGreaterThanOrEqual(0);
    expect(entry.score).toBeLessThanOrEqual(100);
    expect(sumContributions(entry.breakdown ?? [])).toBe(entry.score);
  }
  expect(result.summary.topOpportunityScore).toBe(result.ranking[0]?.score);
  const latest = (await invoke({ action: 'rankings' })) as Result & { rankings: Array<{ asOf: string }> };
  expect(latest.rankings.map((r) => r.asOf)).toEqual([AS_OF]);
});
