/**
 * The product's story end to end, as one function used by the observability-demo Lambda (deployed, in the
 * `demo` data partition) and by `npm run demo` (embedded DynamoDB, telemetry to `.local/`):
 *
 * real prices replayed onto the last NYSE trading days, tick by tick as the stack runs them (the feed's
 * prices and the models' predictions every 15 minutes, the scheduled validate_all over the last 30, the
 * rankings every 15 minutes of the regular session), with a real day's failures → the 7-day validate_all and
 * session_correlation the seed's steps run → the optimizer over the span volumes the layer reported
 * (dry run: the live sampling configuration is never touched) → what was really exported → the four
 * SigNoz dashboards. Every step's telemetry carries the replayed instant and the demo partition.
 *
 * Determinism: the demo's clock is fixed to the end of the last trading day whose after-hours session has
 * closed, so two runs on the same day replay the same days and give the same result; every write is keyed
 * (prices, predictions, validations, the summary's request id, the ranking's asOf), so a second run
 * overwrites and never double-counts.
 */
import type { MarketDayInfo } from '../../shared/market';
import { buildWorkload, type Workload } from '../replay';
import { type DemoRequest, DemoType } from '../schemas';
import { weeklyAccuracy } from './accuracy';
import { demoClock } from './clock';
import { STORY_DEFAULTS, type StoryContext, type StoryDeps } from './context';
import { dashboardsReport } from './dashboards';
import { replayDays } from './days';
import { resetPartition } from './reset';
import { samplingReport } from './sampling';
import { KeptStepLedger, StepRecorder } from './steps';
import { sessionsReport, tradingReport } from './trading';
import type { DemoResult, WorkloadReport } from './types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function makeWorkload(ctx: StoryContext): Workload {
  return buildWorkload({
    endDate: ctx.clock.endDate,
    tradingDays: ctx.tradingDays,
    seed: ctx.seed,
    sessionSkillOffsets: STORY_DEFAULTS.sessionSkillOffsets,
    symbolSkillOffsets: STORY_DEFAULTS.symbolSkillOffsets,
    ...(ctx.deps.workload ?? {}),
  });
}

function workloadReport(workload: Workload): WorkloadReport {
  return {
    symbols: workload.symbols,
    models: workload.models,
    tradingDays: workload.days.length,
    firstDay: workload.days[0]?.date ?? '',
    lastDay: workload.days[workload.days.length - 1]?.date ?? '',
    prices: workload.prices.length,
    predictions: workload.predictions.length,
    sources: workload.sources.map((source) => ({
      symbol: source.symbol,
      file: `${source.package}/${source.file}`,
      realDates: `${source.firstSourceDate} … ${source.lastSourceDate}`,
    })),
  };
}

/** Runs the requested part of the story (or all of it) and returns the readable result. */
export async function runStory(deps: StoryDeps, request: DemoRequest): Promise<DemoResult> {
  const recorder = new StepRecorder(deps.onStep);
  const seed = 'seed' in request && request.seed !== undefined ? request.seed : STORY_DEFAULTS.seed;
  const tradingDays =
    'trading_days' in request && request.trading_days !== undefined
      ? request.trading_days
      : STORY_DEFAULTS.tradingDays;
  const clock = demoClock(deps.clock());
  const ctx: StoryContext = { deps, recorder, kept: new KeptStepLedger(), seed, clock, tradingDays };
  const type = request.demo_type;
  const parts: Mutable<Omit<DemoResult, 'ok' | 'demo_type' | 'namespace' | 'seed' | 'clock' | 'steps'>> = {};
  let replayedDays = 0;
  if (type === DemoType.FULL || type === DemoType.ACCURACY || type === DemoType.TRADING) {
    const workload = await recorder.run(
      'replay real prices and model predictions',
      async () => makeWorkload(ctx),
      (w) => ({ prices: w.prices.length, predictions: w.predictions.length }),
    );
    parts.workload = workloadReport(workload);
    replayedDays = workload.days.length;
    await recorder.run(
      `reset the "${deps.market.namespace}" partition (each run replays from empty)`,
      () => resetPartition(deps.market, deps.rankings),
      (deleted) => ({ deleted }),
    );
    const rank = type !== DemoType.ACCURACY;
    const days = await recorder.run(
      'replay trading days (record, validate every 15 min, rank)',
      () => replayDays(ctx, workload, rank),
      (value) => ({
        days: value.daily.length,
        validateRuns: value.daily.reduce((sum, day) => sum + day.runs, 0),
        rankings: value.rankings.length,
        failures: value.failures.length,
      }),
    );
    parts.failures = days.failures;
    const accuracy = await weeklyAccuracy(ctx, days.daily);
    if (type !== DemoType.TRADING) parts.accuracy = accuracy;
    if (rank) {
      const lastDay = workload.days[workload.days.length - 1] as MarketDayInfo;
      parts.trading = tradingReport(days.rankings, lastDay.date);
      parts.sessions = await sessionsReport(ctx);
    }
  }
  if (type === DemoType.FULL || type === DemoType.SAMPLING) {
    parts.sampling = await samplingReport(ctx, replayedDays);
  }
  if (type === DemoType.FULL || type === DemoType.DASHBOARDS) {
    parts.dashboards = await recorder.run(
      'dashboards',
      async () => dashboardsReport(type === DemoType.DASHBOARDS),
      (report) => ({ dashboards: report.count, widgets: report.widgets }),
    );
  }
  const { workload, ...rest } = parts;
  return {
    ok: true,
    demo_type: type,
    namespace: deps.market.namespace,
    seed,
    clock,
    ...(workload ? { workload } : {}),
    steps: recorder.steps,
    ...rest,
  };
}
