/**
 * The product's story end to end, as one function used by the observability-demo Lambda (deployed, in the
 * `demo` data partition) and by `npm run demo` (embedded DynamoDB, telemetry to `.local/`):
 *
 * real prices replayed onto the last NYSE trading days → `record_prices` / `record_predictions` in batches
 * → a nightly `validate_all` per replayed day, then the 7-day `validate_all` the report shows → the
 * scheduled rankings of the last day (`analyze`) and `session_correlation` → the optimizer over the span
 * volumes the layer reported (`optimize`, dry run: the live sampling configuration is never touched) →
 * the four SigNoz dashboards.
 *
 * Determinism: the demo's clock is fixed to the end of the last trading day whose after-hours session has
 * closed, so two runs on the same day replay the same days, validate the same window and give the same
 * result; every write is keyed (prices, predictions, validations, the summary's request id, the ranking's
 * asOf), so a second run overwrites and never double-counts.
 */
import { Attr, DEFAULT_SAMPLING_CONFIG, SAMPLING_CATEGORIES } from '@trading-observability/otel';
import type { FunctionName } from '../../lib/function-names';
import { buildWorkload, type Workload, type WorkloadOptions } from '../../scripts/lib';
import {
  recordPredictions,
  recordPrices,
  type TrackerConfig,
  validateAll,
} from '../dual-accuracy-tracker/service';
import type { OptimizerSettings } from '../sampling-optimizer/service';
import { optimize } from '../sampling-optimizer/service';
import type { VolumeReader } from '../sampling-optimizer/volumes';
import { buildDashboards, DASHBOARD_FILES, type DashboardKey } from '../shared/dashboards';
import { dayInfo, etDate, type MarketDayInfo } from '../shared/market';
import type { StoreContext } from '../shared/store';
import type { TradingConfig } from '../trading-intelligence/config';
import { analyze, type RankingEntry, sessionCorrelationReport } from '../trading-intelligence/service';
import { type DemoRequest, DemoType } from './schemas';

/** Runs one step as its own invocation (local: an instrumented call, one trace) or as a child span (Lambda). */
export type InvokeStep = <T>(fn: FunctionName, action: string, run: () => Promise<T>) => Promise<T>;

export interface StoryProgress {
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

export interface StoryDeps {
  /** Store contexts on the demo namespace. */
  readonly market: StoreContext;
  readonly rankings: StoreContext;
  readonly sampling: StoreContext;
  readonly tracker: TrackerConfig;
  readonly trading: TradingConfig;
  readonly optimizer: OptimizerSettings;
  /** Where `optimize` reads the span volumes (CloudWatch deployed, the layer's EMF file locally). */
  readonly volumes: VolumeReader;
  /** The layer's volumes as sampled (when `volumes` reports expectations instead): shown next to them. */
  readonly observedVolumes?: VolumeReader;
  /** The real clock; the story derives its fixed clock from it. */
  readonly clock: () => Date;
  readonly invoke: InvokeStep;
  readonly onProgress?: (progress: StoryProgress) => void;
  /** Called as each step finishes (progress lines). */
  readonly onStep?: (step: StepReport) => void;
  /** End of the optimizer's volume window. @default clock() */
  readonly volumeWindowEnd?: () => Date;
  /** Workload overrides (tests use fewer symbols or a sparser prediction grid). */
  readonly workload?: Pick<WorkloadOptions, 'symbols' | 'every' | 'intervalMinutes'>;
}

export const STORY_DEFAULTS = {
  seed: 42,
  tradingDays: 10,
  /** Items per record_prices / record_predictions call (the schema allows 5 000; Lambda payloads stay small). */
  batchSize: 500,
  lookbackDays: 7,
  sessionLookbackDays: 30,
  /** Most regular-session models are better than the pre-market/after-hours ones, as in real desks. */
  sessionSkillOffsets: { regular: 0.04, pre_market: -0.06, after_hours: -0.04 },
  /** GOOG's model is the strong one: the ranking has something to find. */
  symbolSkillOffsets: { GOOG: 0.12, AAPL: 0.05, IBM: -0.05 },
  topOpportunities: 5,
  optimizerWindowMinutes: 15,
} as const;

const round = (x: number | null | undefined, digits = 4): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits));

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
  throw new Error(`no NYSE trading day in the 15 days before ${realNow.toISOString()}`);
}

// ------------------------------------------------------------------------------------------ the result

export interface StepReport {
  readonly name: string;
  readonly ms: number;
  readonly [detail: string]: unknown;
}

export interface CompactGroup {
  readonly n: number;
  readonly pending: number;
  readonly hitRate: number | null;
  readonly hitRateCi: readonly [number, number] | null;
  readonly meanPriceErrorPct: number | null;
  readonly ece: number | null;
  readonly brier: number | null;
  readonly auroc: number | null;
}

export interface AccuracyReport {
  readonly window: { readonly from: string; readonly to: string; readonly lookbackDays: number };
  readonly headline: string;
  readonly overall: CompactGroup & {
    readonly mape: number | null;
    readonly mce: number | null;
    readonly logLoss: number | null;
    readonly spearman: number | null;
    readonly pointBiserial: number | null;
  };
  readonly bySymbol: Record<string, CompactGroup>;
  readonly byModel: Record<string, CompactGroup>;
  readonly reliability: ReadonlyArray<{
    readonly bin: number;
    readonly lower: number;
    readonly upper: number;
    readonly count: number;
    readonly meanConfidence: number | null;
    readonly hitRate: number | null;
  }>;
  readonly alerts: ReadonlyArray<{ readonly scope: string; readonly key: string; readonly message: string }>;
  /** Validated predictions per nightly run (the trend the ML dashboard shows). */
  readonly nightly: ReadonlyArray<{
    readonly date: string;
    readonly n: number;
    readonly hitRate: number | null;
    /** Alerts the night's runs raised (a model on a symbol, or a symbol). */
    readonly alerts: readonly string[];
  }>;
}

export interface OpportunityReport {
  readonly rank: number | null;
  readonly symbol: string;
  readonly score: number | null;
  readonly isOpportunity: boolean;
  readonly breakdown: ReadonlyArray<{
    readonly factor: string;
    readonly raw: number;
    readonly weight: number;
    readonly contribution: number;
  }>;
  readonly reason?: string;
}

export interface TradingReport {
  readonly asOf: string;
  readonly threshold: number;
  readonly scored: number;
  readonly opportunitiesFound: number;
  readonly top: readonly OpportunityReport[];
  /** The scheduled rankings replayed through the last day: the leader at each run. */
  readonly rankings: ReadonlyArray<{
    readonly asOf: string;
    readonly topSymbol: string | null;
    readonly topScore: number | null;
    readonly opportunities: number;
  }>;
}

export interface SessionRow {
  readonly n: number;
  readonly hitRate: number | null;
  readonly hitRateCi: readonly [number, number] | null;
  readonly meanPriceErrorPct: number | null;
  readonly signals: number;
  readonly meanSignalReturnPct: number | null;
}

export interface SessionsReport {
  readonly lookbackDays: number;
  readonly validations: number;
  readonly bestSession: string | null;
  readonly bySession: Record<string, SessionRow>;
}

export interface SamplingReport {
  readonly source: string;
  readonly windowMinutes: number;
  readonly spansBefore: number;
  readonly spansAfter: number;
  readonly reductionPct: number | null;
  readonly costPerDayUnsampled: number | null;
  readonly costPerDayBefore: number | null;
  readonly costPerDayAfter: number | null;
  readonly budgetPerDay: number;
  readonly withinBudget: boolean | null;
  readonly dryRun: boolean;
  readonly reason: string;
  /** The same window as the layer sampled it (only where `spansAfter` is an expectation). */
  readonly observed?: {
    readonly spansStarted: number;
    readonly spansExported: number;
    readonly reductionPct: number | null;
  };
  readonly categories: Record<
    string,
    {
      readonly spansBefore: number;
      readonly spansAfter: number;
      readonly from: number;
      readonly to: number;
      readonly action: string;
    }
  >;
}

export interface DashboardsReport {
  readonly count: number;
  readonly widgets: number;
  readonly files: ReadonlyArray<{ readonly file: string; readonly title: string; readonly widgets: number }>;
  /** The SigNoz JSON itself (only for `demo_type: dashboards`). */
  readonly json?: Record<string, unknown>;
}

export interface DemoResult {
  readonly ok: true;
  readonly demo_type: DemoRequest['demo_type'];
  readonly namespace: string;
  readonly seed: number;
  readonly clock: { readonly endDate: string; readonly now: string };
  readonly workload?: {
    readonly symbols: readonly string[];
    readonly models: readonly string[];
    readonly tradingDays: number;
    readonly firstDay: string;
    readonly lastDay: string;
    readonly prices: number;
    readonly predictions: number;
    readonly sources: ReadonlyArray<{
      readonly symbol: string;
      readonly file: string;
      readonly realDates: string;
    }>;
  };
  readonly steps: StepReport[];
  readonly accuracy?: AccuracyReport;
  readonly trading?: TradingReport;
  readonly sessions?: SessionsReport;
  readonly sampling?: SamplingReport;
  readonly dashboards?: DashboardsReport;
}

// ------------------------------------------------------------------------------------------- the steps

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

class StepRecorder {
  readonly steps: StepReport[] = [];
  constructor(private readonly onStep?: (step: StepReport) => void) {}
  async run<T>(
    name: string,
    fn: () => Promise<T>,
    details: (value: T) => Record<string, unknown> = () => ({}),
  ) {
    const started = performance.now();
    const value = await fn();
    const step = { name, ms: Math.round(performance.now() - started), ...details(value) };
    this.steps.push(step);
    this.onStep?.(step);
    return value;
  }
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function compact(group: {
  n: number;
  pending: number;
  hitRate: number | null;
  hitRateCi: readonly [number, number] | null;
  meanPriceErrorPct: number | null;
  ece: number | null;
  brier: number | null;
  auroc: number | null;
}): CompactGroup {
  return {
    n: group.n,
    pending: group.pending,
    hitRate: round(group.hitRate),
    hitRateCi: group.hitRateCi ? [round(group.hitRateCi[0]) ?? 0, round(group.hitRateCi[1]) ?? 0] : null,
    meanPriceErrorPct: round(group.meanPriceErrorPct),
    ece: round(group.ece),
    brier: round(group.brier),
    auroc: round(group.auroc),
  };
}

function trackerDeps(deps: StoryDeps, now: string, requestId: string) {
  return { store: deps.market, config: deps.tracker, now: () => new Date(now), requestId };
}

function tradingDeps(deps: StoryDeps, now: string) {
  return { market: deps.market, rankings: deps.rankings, config: deps.trading, now: () => new Date(now) };
}

interface StoryContext {
  readonly deps: StoryDeps;
  readonly recorder: StepRecorder;
  readonly seed: number;
  readonly clock: { readonly endDate: string; readonly now: string };
  readonly tradingDays: number;
}

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

function workloadReport(workload: Workload): NonNullable<DemoResult['workload']> {
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

/** record_prices and record_predictions in batches, each batch one tracker invocation. */
async function recordWorkload(ctx: StoryContext, workload: Workload): Promise<void> {
  const { deps, recorder, clock } = ctx;
  const tracker = trackerDeps(deps, clock.now, `demo-record-${ctx.seed}`);
  for (const [step, action, items] of [
    ['record prices', 'record_prices', workload.prices],
    ['record predictions', 'record_predictions', workload.predictions],
  ] as const) {
    const chunks = batches<(typeof items)[number]>(items, STORY_DEFAULTS.batchSize);
    await recorder.run(
      step,
      async () => {
        let recorded = 0;
        for (const [index, chunk] of chunks.entries()) {
          const result = await deps.invoke('dual-accuracy-tracker', action, () =>
            action === 'record_prices'
              ? recordPrices(tracker, chunk as typeof workload.prices)
              : recordPredictions(tracker, chunk as typeof workload.predictions),
          );
          recorded += result.recorded;
          deps.onProgress?.({ step, done: index + 1, total: chunks.length });
        }
        return recorded;
      },
      (recorded) => ({ items: items.length, recorded, batches: chunks.length }),
    );
  }
}

async function runAccuracy(ctx: StoryContext, workload: Workload): Promise<AccuracyReport> {
  const days = workload.days;
  const { deps, recorder, clock, seed } = ctx;
  // The nightly job of each replayed day (one day's targets each): validations written day by day, as
  // production would, and one trace per symbol and night for the ML dashboard's trend.
  const nights = days.filter((day) => day.afterHoursClose !== null);
  const symbols = [...new Set(workload.symbols)].sort();
  const nightly = await recorder.run(
    'validate nightly',
    async () => {
      const out: Array<{ date: string; n: number; hitRate: number | null; alerts: string[] }> = [];
      for (const [index, day] of nights.entries()) {
        const at = day.afterHoursClose as string;
        let n = 0;
        let hits = 0;
        const alerts: string[] = [];
        // Fanned out per symbol, as a nightly job over many symbols would be: one trace per symbol and night.
        for (const symbol of symbols) {
          const result = await deps.invoke('dual-accuracy-tracker', 'validate_all', () =>
            validateAll(trackerDeps(deps, at, `demo-${seed}-nightly-${day.date}-${symbol}`), {
              action: 'validate_all',
              lookback_days: 1,
              symbols: [symbol],
            }),
          );
          n += result.summary.overall.n;
          // Within one symbol's run a model alert is that model on that symbol.
          for (const alert of result.summary.alerts) {
            alerts.push(
              alert.scope === 'model' ? `${alert.key} on ${symbol}` : `${alert.scope} ${alert.key}`,
            );
          }
          hits += Math.round((result.summary.overall.hitRate ?? 0) * result.summary.overall.n);
        }
        out.push({
          date: day.date,
          n,
          hitRate: n > 0 ? round(hits / n) : null,
          alerts: [...new Set(alerts)],
        });
        deps.onProgress?.({ step: 'validate nightly', done: index + 1, total: nights.length });
      }
      return out;
    },
    (out) => ({
      runs: out.length * symbols.length,
      validated: out.reduce((sum, night) => sum + night.n, 0),
    }),
  );
  const validated = await recorder.run(
    `validate_all (lookback ${STORY_DEFAULTS.lookbackDays} days)`,
    () =>
      deps.invoke('dual-accuracy-tracker', 'validate_all', () =>
        validateAll(trackerDeps(deps, clock.now, `demo-${seed}-${clock.endDate}`), {
          action: 'validate_all',
          lookback_days: STORY_DEFAULTS.lookbackDays,
        }),
      ),
    (result) => ({
      validated: result.summary.overall.n,
      pending: result.summary.overall.pending,
      alerts: result.summary.alerts.length,
    }),
  );
  const { summary } = validated;
  const overall = summary.overall;
  return {
    window: { from: summary.window.from, to: summary.window.to, lookbackDays: summary.window.lookbackDays },
    headline: validated.headline,
    overall: {
      ...compact(overall),
      mape: round(overall.mape),
      mce: round(overall.mce),
      logLoss: round(overall.logLoss),
      spearman: round(overall.spearman),
      pointBiserial: round(overall.pointBiserial),
    },
    bySymbol: Object.fromEntries(
      Object.entries(summary.bySymbol).map(([key, group]) => [key, compact(group)]),
    ),
    byModel: Object.fromEntries(Object.entries(summary.byModel).map(([key, group]) => [key, compact(group)])),
    reliability: overall.reliability
      .filter((bin) => bin.count > 0)
      .map((bin) => ({
        bin: bin.bin,
        lower: bin.lower,
        upper: bin.upper,
        count: bin.count,
        meanConfidence: round(bin.meanConfidence),
        hitRate: round(bin.hitRate),
      })),
    alerts: summary.alerts.map((alert) => ({ scope: alert.scope, key: alert.key, message: alert.message })),
    nightly,
  };
}

/** The ranking times replayed on the last day: every hour from 10:00 ET and the last slot before the close. */
export function rankingTimes(day: MarketDayInfo): string[] {
  if (!day.open || !day.close) return [];
  const open = Date.parse(day.open);
  const close = Date.parse(day.close);
  const times: string[] = [];
  for (let at = open + 30 * 60_000; at < close - 15 * 60_000; at += 60 * 60_000) {
    times.push(new Date(at).toISOString());
  }
  times.push(new Date(close - 15 * 60_000).toISOString());
  return times;
}

function opportunity(entry: RankingEntry): OpportunityReport {
  return {
    rank: entry.rank,
    symbol: entry.symbol,
    score: entry.score,
    isOpportunity: entry.isOpportunity,
    breakdown: (entry.breakdown ?? []).map((factor) => ({
      factor: factor.factor,
      raw: factor.raw,
      weight: factor.weight,
      contribution: factor.contribution,
    })),
    ...(entry.reason ? { reason: entry.reason } : {}),
  };
}

async function runTrading(
  ctx: StoryContext,
  lastDay: MarketDayInfo,
): Promise<{ trading: TradingReport; sessions: SessionsReport }> {
  const { deps, recorder, clock } = ctx;
  const times = rankingTimes(lastDay);
  const runs = await recorder.run(
    'scheduled rankings (analyze)',
    async () => {
      const out = [];
      for (const [index, asOf] of times.entries()) {
        const result = await deps.invoke('trading-intelligence', 'analyze', () =>
          analyze(tradingDeps(deps, clock.now), { asOf, trigger: 'scheduled' }),
        );
        if (!result.ok) throw new Error(`analyze failed at ${asOf}: ${result.error.message}`);
        out.push(result);
        deps.onProgress?.({ step: 'scheduled rankings', done: index + 1, total: times.length });
      }
      return out;
    },
    (out) => ({ runs: out.length, opportunities: out[out.length - 1]?.summary.opportunitiesFound ?? 0 }),
  );
  const last = runs[runs.length - 1];
  if (!last) throw new Error(`no regular session on ${lastDay.date} to rank`);
  const correlation = await recorder.run(
    `session_correlation (lookback ${STORY_DEFAULTS.sessionLookbackDays} days)`,
    () =>
      deps.invoke('trading-intelligence', 'session_correlation', () =>
        sessionCorrelationReport(tradingDeps(deps, clock.now), {
          lookback_days: STORY_DEFAULTS.sessionLookbackDays,
          asOf: clock.now,
        }),
      ),
    (result) => ({ validations: result.validations, bestSession: result.bestSession }),
  );
  const trading: TradingReport = {
    asOf: last.asOf,
    threshold: last.threshold,
    scored: last.summary.scored,
    opportunitiesFound: last.summary.opportunitiesFound,
    top: last.ranking.slice(0, STORY_DEFAULTS.topOpportunities).map(opportunity),
    rankings: runs.map((run) => ({
      asOf: run.asOf,
      topSymbol: run.summary.topSymbol,
      topScore: run.summary.topOpportunityScore,
      opportunities: run.summary.opportunitiesFound,
    })),
  };
  const sessions: SessionsReport = {
    lookbackDays: STORY_DEFAULTS.sessionLookbackDays,
    validations: correlation.validations,
    bestSession: correlation.bestSession,
    bySession: Object.fromEntries(
      Object.entries(correlation.bySession).map(([session, group]) => [
        session,
        {
          n: group.n,
          hitRate: group.hitRate,
          hitRateCi: group.hitRateCi,
          meanPriceErrorPct: group.meanPriceErrorPct,
          signals: group.signals,
          meanSignalReturnPct: group.meanSignalReturnPct,
        },
      ]),
    ),
  };
  return { trading, sessions };
}

async function runSampling(ctx: StoryContext): Promise<SamplingReport> {
  const { deps, recorder } = ctx;
  const windowMinutes = STORY_DEFAULTS.optimizerWindowMinutes;
  // The window must hold the metrics just emitted: end it at the next whole minute (the optimizer floors).
  const end = new Date((deps.volumeWindowEnd ?? deps.clock)().getTime() + 60_000).toISOString();
  // Read before the optimizer runs, so both see the same spans (its own are flushed when it returns).
  const windowEnd = Math.floor(Date.parse(end) / 60_000) * 60_000;
  const observed = deps.observedVolumes
    ? await observedTotals(
        deps.observedVolumes,
        new Date(windowEnd - windowMinutes * 60_000).toISOString(),
        new Date(windowEnd).toISOString(),
      )
    : undefined;
  const result = await recorder.run(
    'sampling optimizer (dry run)',
    () =>
      deps.invoke('sampling-optimizer', 'optimize', () =>
        optimize(
          { store: deps.sampling, settings: deps.optimizer, volumes: deps.volumes, now: deps.clock },
          { action: 'optimize', dry_run: true, asOf: end, window_minutes: windowMinutes },
        ),
      ),
    (value) =>
      value.ok ? { changed: value.changed, reductionPct: value.projection?.volumeReductionPct ?? null } : {},
  );
  if (!result.ok) throw new Error(`optimize failed: ${result.error.message}`);
  const projection = result.projection;

  const categories: Mutable<SamplingReport['categories']> = {};
  for (const category of SAMPLING_CATEGORIES) {
    const change = result.probabilities?.[category];
    categories[category] = {
      spansBefore: Math.round(change?.spansStarted ?? 0),
      spansAfter: Math.round(change?.spansExported ?? 0),
      from: change?.from ?? DEFAULT_SAMPLING_CONFIG.probabilities[category],
      to: change?.to ?? DEFAULT_SAMPLING_CONFIG.probabilities[category],
      action: change?.action ?? 'unchanged',
    };
  }
  return {
    source: result.window.source,
    windowMinutes,
    spansBefore: Math.round(projection?.spansStarted ?? 0),
    spansAfter: Math.round(projection?.spansExported ?? 0),
    reductionPct: projection?.volumeReductionPct ?? null,
    costPerDayUnsampled: projection?.costPerDayUnsampled ?? null,
    costPerDayBefore: projection?.costPerDayBefore ?? null,
    costPerDayAfter: projection?.costPerDayAfter ?? null,
    budgetPerDay: deps.optimizer.policy.budgetPerDay,
    withinBudget: projection?.withinBudget ?? null,
    dryRun: result.dryRun,
    reason: result.reason,
    ...(observed ? { observed } : {}),
    categories,
  };
}

async function observedTotals(reader: VolumeReader, from: string, to: string) {
  const start = new Date(from);
  const reading = await reader.read({ start, end: new Date(to), accuracyStart: start });
  let spansStarted = 0;
  let spansExported = 0;
  for (const category of SAMPLING_CATEGORIES) {
    spansStarted += reading.volumes[category]?.startedSpans ?? 0;
    spansExported += reading.volumes[category]?.exportedSpans ?? 0;
  }
  return {
    spansStarted,
    spansExported,
    reductionPct: spansStarted > 0 ? round((1 - spansExported / spansStarted) * 100, 1) : null,
  };
}

const DASHBOARD_TITLES = Object.keys(DASHBOARD_FILES) as DashboardKey[];

/** The four SigNoz dashboards: counts, and the JSON itself when asked for. */
export function dashboardsReport(withJson: boolean): DashboardsReport {
  const dashboards = buildDashboards();
  const files = DASHBOARD_TITLES.map((key) => {
    const dashboard = dashboards[key] as unknown as { title?: string; widgets?: unknown[] };
    return {
      file: DASHBOARD_FILES[key],
      title: dashboard.title ?? key,
      widgets: dashboard.widgets?.length ?? 0,
    };
  });
  return {
    count: files.length,
    widgets: files.reduce((sum, file) => sum + file.widgets, 0),
    files,
    ...(withJson ? { json: dashboards as unknown as Record<string, unknown> } : {}),
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
  const ctx: StoryContext = { deps, recorder, seed, clock, tradingDays };
  const type = request.demo_type;
  const parts: Mutable<Omit<DemoResult, 'ok' | 'demo_type' | 'namespace' | 'seed' | 'clock' | 'steps'>> = {};
  const needsData = type === DemoType.FULL || type === DemoType.ACCURACY || type === DemoType.TRADING;
  if (needsData) {
    const workload = await recorder.run(
      'replay real prices and model predictions',
      async () => makeWorkload(ctx),
      (w) => ({
        prices: w.prices.length,
        predictions: w.predictions.length,
      }),
    );
    parts.workload = workloadReport(workload);
    await recordWorkload(ctx, workload);
    const accuracy = await runAccuracy(ctx, workload);
    if (type !== DemoType.TRADING) parts.accuracy = accuracy;
    if (type !== DemoType.ACCURACY) {
      const lastDay = workload.days[workload.days.length - 1] as MarketDayInfo;
      const { trading, sessions } = await runTrading(ctx, lastDay);
      parts.trading = trading;
      parts.sessions = sessions;
    }
  }
  if (type === DemoType.FULL || type === DemoType.SAMPLING) parts.sampling = await runSampling(ctx);
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

/** Span attributes of a step run in-process (the Lambda): which function's action it stands for. */
export function stepAttributes(fn: FunctionName, action: string): Record<string, string> {
  return { [Attr.ACTION]: action, 'demo.function': fn };
}

/**
 * Reads the volumes the layer reported, with the exported share replaced by its expectation at the given
 * probabilities (started × p per category). The layer's sampler decides once per trace, so over a short
 * run a few large traces (a validate_all holds thousands of spans) make the realised share jump between
 * runs; the expectation is what a day of the same traffic converges to, and it is the same on every run.
 * Errors and high-value traces, which the layer exports whole, are not in it: a lower bound on exports.
 */
export function expectedExportReader(
  reader: VolumeReader,
  probabilities: Readonly<Record<string, number>> = DEFAULT_SAMPLING_CONFIG.probabilities,
): VolumeReader {
  return {
    source: `${reader.source} (exports expected at the current probabilities)`,
    async read(window) {
      const reading = await reader.read(window);
      const volumes: Record<
        string,
        { startedSpans: number; exportedSpans: number; startedBytes: number; exportedBytes: number }
      > = {};
      for (const category of SAMPLING_CATEGORIES) {
        const volume = reading.volumes[category] ?? {};
        const p = probabilities[category] ?? 1;
        const startedSpans = volume.startedSpans ?? 0;
        const startedBytes = volume.startedBytes ?? 0;
        volumes[category] = {
          startedSpans,
          exportedSpans: startedSpans * p,
          startedBytes,
          exportedBytes: startedBytes * p,
        };
      }
      return { ...reading, volumes, source: this.source };
    },
  };
}
