/**
 * sampling-optimizer actions: `optimize` (also the 15-minute schedule), `status` and `history`.
 *
 * Exported so that observability-demo can run them in-process: pass `deps` with a store context on its
 * own namespace (`demo#SAMPLING_CONFIG`, never the live `SAMPLING_CONFIG` the layer reads) and, if it
 * has no CloudWatch, its own `VolumeReader`. Telemetry goes through the layer.
 */
import {
  Attr,
  DEFAULT_SAMPLING_CONFIG,
  logger,
  MetricUnit,
  metrics,
  normalizeSamplingConfig,
  SAMPLING_CATEGORIES,
  type SamplingConfig,
  withSpan,
} from '@trading-observability/otel';
import { ProductMetric } from '../shared/names/metrics';
import { inPartitionOf, isLivePartition } from '../shared/partition';
import { ErrorCode, type Failure, fail, ok } from '../shared/response';
import {
  commitSamplingConfig,
  getCurrentSamplingConfig,
  getLastSamplingRun,
  listSamplingConfigVersions,
  putLastSamplingRun,
  type SamplingConfigRecord,
  type SamplingRunRecord,
  SamplingVersionConflictError,
  type StoreContext,
} from '../shared/store';
import { formatCostPerDay, roundMoney } from './cost';
import {
  type AccuracySignal,
  type CategoryAction,
  type OptimizerPolicy,
  type OptimizerResult,
  optimizeSampling,
  type Projection,
} from './optimizer';
import type { HistoryRequest, OptimizeRequest, OptimizerRequest } from './schemas';
import type { VolumeReader } from './volumes';

export interface OptimizerSettings {
  /** Default volume window (minutes) when the payload has no `window_minutes`. */
  readonly windowMinutes: number;
  /** The accuracy signal is read over this many minutes (rounded up to whole windows). */
  readonly accuracyLookbackMinutes: number;
  readonly policy: OptimizerPolicy;
}

export interface OptimizerDeps {
  /** The sampling table, in the caller's namespace. */
  readonly store: StoreContext;
  readonly settings: OptimizerSettings;
  readonly volumes: VolumeReader;
  readonly now: () => Date;
}

/** Span and metric names of this function. */
export const OptimizerTelemetry = {
  SPAN_OPTIMIZE: 'sampling.optimize',
} as const;

export const OptimizerAttr = {
  ESTIMATED_COST_PER_DAY: 'sampling.estimated_cost_per_day',
  COST_PER_DAY_BEFORE: 'sampling.cost_per_day_before',
  BUDGET_PER_DAY: 'sampling.budget_per_day',
  CONFIG_VERSION: 'sampling.config_version',
  CHANGED: 'sampling.changed',
  DRY_RUN: 'sampling.dry_run',
  VOLUME_REDUCTION_PCT: 'sampling.volume_reduction_pct',
  ACCURACY_DEGRADED: 'sampling.accuracy_degraded',
  MODE: 'sampling.optimizer_mode',
} as const;

const MINUTE = 60_000;
const round1 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10) / 10);

/** The readable projection of a result (money to the cent, percentages to 0.1). */
export interface ProjectionReport {
  readonly windowMinutes: number;
  readonly pricePerGb: number;
  readonly budgetPerDay: number;
  readonly targetPerDay: number;
  readonly headroomPct: number;
  readonly costPerDayUnsampled: number | null;
  readonly costPerDayBefore: number | null;
  readonly costPerDayAfter: number | null;
  readonly withinBudget: boolean | null;
  readonly spansStarted: number;
  readonly spansExported: number;
  readonly volumeReductionPct: number | null;
  readonly projectedByteReductionPct: number | null;
}

export function projectionReport(projection: Projection): ProjectionReport {
  return {
    windowMinutes: Math.round(projection.windowSeconds / 60),
    pricePerGb: projection.pricePerGb,
    budgetPerDay: projection.budgetPerDay,
    targetPerDay: roundMoney(projection.targetPerDay) ?? projection.targetPerDay,
    headroomPct: projection.headroomPct,
    costPerDayUnsampled: roundMoney(projection.costPerDayUnsampled),
    costPerDayBefore: roundMoney(projection.costPerDayBefore),
    costPerDayAfter: roundMoney(projection.costPerDayAfter),
    withinBudget: projection.withinBudget,
    spansStarted: projection.startedSpans,
    spansExported: projection.exportedSpans,
    volumeReductionPct: round1(projection.volumeReductionPct),
    projectedByteReductionPct: round1(projection.projectedByteReductionPct),
  };
}

export interface CategoryChange {
  readonly from: number;
  readonly to: number;
  readonly action: CategoryAction;
  readonly floor: number;
  readonly spansStarted: number;
  readonly spansExported: number;
}

export interface OptimizeResult {
  readonly ok: true;
  readonly changed: boolean;
  readonly dryRun: boolean;
  /** The version in force after this run (unchanged when nothing was committed). */
  readonly version: number;
  readonly previousVersion: number;
  readonly reason: string;
  readonly probabilities: Record<string, CategoryChange> | null;
  readonly projection: ProjectionReport | null;
  readonly accuracy: AccuracySignal | null;
  readonly window: {
    readonly from: string;
    readonly to: string;
    readonly minutes: number;
    readonly source: string;
  };
  /** Why the metrics could not be read (the configuration was kept), if they could not. */
  readonly metricsError?: string;
  readonly conflict?: boolean;
  readonly warnings: readonly string[];
}

interface CurrentState {
  readonly config: SamplingConfig;
  readonly record: SamplingConfigRecord | undefined;
  readonly lastRun: SamplingRunRecord | undefined;
}

async function readCurrent(store: StoreContext): Promise<CurrentState> {
  const [record, lastRun] = await Promise.all([getCurrentSamplingConfig(store), getLastSamplingRun(store)]);
  if (!record) return { config: DEFAULT_SAMPLING_CONFIG, record, lastRun };
  // Read it as the layer does, so the optimizer steers from what the functions actually apply.
  const { config, warnings } = normalizeSamplingConfig(record.config);
  for (const warning of warnings) logger.warn('stored sampling configuration normalised', { warning });
  return { config, record, lastRun };
}

function storeFailure(error: unknown, what: string): Failure {
  logger.error(`sampling store ${what} failed`, { error: (error as Error).message });
  return fail(
    ErrorCode.DEPENDENCY_UNAVAILABLE,
    `the sampling configuration table could not be ${what}: ${(error as Error).message}`,
  );
}

function windowOf(deps: OptimizerDeps, request: OptimizeRequest) {
  const minutes = request.window_minutes ?? deps.settings.windowMinutes;
  const endSource = request.asOf ?? request.scheduledTime ?? deps.now().toISOString();
  // Whole minutes, so GetMetricData periods line up and a retried run reads the same window.
  const end = new Date(Math.floor(Date.parse(endSource) / MINUTE) * MINUTE);
  const start = new Date(end.getTime() - minutes * MINUTE);
  const windows = Math.max(1, Math.ceil(deps.settings.accuracyLookbackMinutes / minutes));
  const accuracyStart = new Date(end.getTime() - windows * minutes * MINUTE);
  return { minutes, start, end, accuracyStart };
}

function categoryChanges(result: OptimizerResult): Record<string, CategoryChange> {
  const out: Record<string, CategoryChange> = {};
  for (const category of SAMPLING_CATEGORIES) {
    const c = result.categories[category];
    out[category] = {
      from: c.from,
      to: c.to,
      action: c.action,
      floor: c.floor,
      spansStarted: c.startedSpans,
      spansExported: c.exportedSpans,
    };
  }
  return out;
}

/** Reads the window's volumes, decides, commits a new version when it changed (unless dry_run), reports. */
async function optimizeInPartition(
  deps: OptimizerDeps,
  request: OptimizeRequest,
): Promise<OptimizeResult | Failure> {
  // 96 runs a day, and the only record of the cost projection the dashboards chart: always kept.
  const attributes = { [Attr.ACTION]: 'optimize', [Attr.SAMPLING_PRIORITY]: 1 };
  return withSpan(OptimizerTelemetry.SPAN_OPTIMIZE, attributes, async (span) => {
    const window = windowOf(deps, request);
    const windowReport = {
      from: window.start.toISOString(),
      to: window.end.toISOString(),
      minutes: window.minutes,
      source: deps.volumes.source,
    };
    const dryRun = request.dry_run;
    let state: CurrentState;
    try {
      state = await readCurrent(deps.store);
    } catch (error) {
      return storeFailure(error, 'read');
    }
    const current = state.config;
    span.setAttribute(OptimizerAttr.BUDGET_PER_DAY, deps.settings.policy.budgetPerDay);
    span.setAttribute(OptimizerAttr.DRY_RUN, dryRun);

    const base = { ok: true as const, dryRun, previousVersion: current.version, window: windowReport };
    const recordRun = async (run: SamplingRunRecord) => {
      if (dryRun) return;
      try {
        await putLastSamplingRun(deps.store, run);
      } catch (error) {
        logger.warn('could not record the optimizer run (the configuration itself is unaffected)', {
          error: (error as Error).message,
        });
      }
    };

    if (request.scheduledTime && state.lastRun?.scheduledTime === request.scheduledTime) {
      const reason = `Already optimized for the scheduled time ${request.scheduledTime} (a retried invocation): version ${current.version} kept.`;
      span.setAttribute(OptimizerAttr.CONFIG_VERSION, current.version);
      return {
        ...base,
        changed: false,
        version: current.version,
        reason,
        probabilities: null,
        projection: null,
        accuracy: null,
        warnings: [],
      };
    }

    let reading: Awaited<ReturnType<VolumeReader['read']>>;
    try {
      reading = await deps.volumes.read(window);
    } catch (error) {
      const message = (error as Error).message;
      const reason =
        `The span volumes could not be read (${message}): kept version ${current.version} ` +
        `(${describeProbabilities(current)}); the next run tries again.`;
      logger.warn('sampling optimizer kept the configuration: metrics unavailable', { error: message });
      span.setAttribute(OptimizerAttr.CONFIG_VERSION, current.version);
      await recordRun({
        at: deps.now().toISOString(),
        version: current.version,
        changed: false,
        reason,
        ...(request.scheduledTime ? { scheduledTime: request.scheduledTime } : {}),
        details: { window: windowReport, metricsError: message },
      });
      return {
        ...base,
        changed: false,
        version: current.version,
        reason,
        probabilities: null,
        projection: null,
        accuracy: null,
        metricsError: message,
        warnings: [],
      };
    }

    const result = optimizeSampling({
      volumes: reading.volumes,
      windowSeconds: window.minutes * 60,
      current,
      accuracy: reading.accuracy,
      policy: deps.settings.policy,
    });
    for (const warning of result.warnings) logger.warn('optimizer input normalised', { warning });
    const projection = projectionReport(result.projection);
    const details = {
      window: windowReport,
      mode: result.mode,
      projection,
      accuracy: result.accuracy,
      categories: result.categories,
    };
    const at = deps.now().toISOString();
    let version = current.version;
    let changed = result.changed;
    let reason = result.reason;
    let conflict = false;

    if (result.changed && !dryRun) {
      const next: SamplingConfig = {
        version: current.version + 1,
        probabilities: result.probabilities,
        highValueScore: current.highValueScore,
        highValueNotional: current.highValueNotional,
        updatedAt: at,
        reason: result.reason,
      };
      try {
        await commitSamplingConfig(deps.store, {
          version: next.version,
          previousVersion: current.version,
          config: next,
          reason: result.reason,
          createdAt: at,
          ...(request.scheduledTime ? { scheduledTime: request.scheduledTime } : {}),
          details,
        });
        version = next.version;
      } catch (error) {
        if (!(error instanceof SamplingVersionConflictError)) return storeFailure(error, 'written');
        conflict = true;
        changed = false;
        reason = `Another optimizer run committed a new version while this one ran; its configuration stands (this run's proposal, not written: ${result.reason})`;
      }
    } else if (result.changed && dryRun) {
      reason = `Dry run, nothing written. ${result.reason}`;
    }

    await recordRun({
      at,
      version,
      changed,
      reason,
      ...(request.scheduledTime ? { scheduledTime: request.scheduledTime } : {}),
      details,
    });

    const costAfter = result.projection.costPerDayAfter;
    span.setAttribute(OptimizerAttr.CONFIG_VERSION, version);
    span.setAttribute(OptimizerAttr.CHANGED, changed);
    span.setAttribute(OptimizerAttr.MODE, result.mode);
    span.setAttribute(OptimizerAttr.ACCURACY_DEGRADED, result.accuracy.degraded);
    if (costAfter !== null) span.setAttribute(OptimizerAttr.ESTIMATED_COST_PER_DAY, costAfter);
    if (result.projection.costPerDayBefore !== null) {
      span.setAttribute(OptimizerAttr.COST_PER_DAY_BEFORE, result.projection.costPerDayBefore);
    }
    if (result.projection.volumeReductionPct !== null) {
      span.setAttribute(OptimizerAttr.VOLUME_REDUCTION_PCT, result.projection.volumeReductionPct);
    }
    // Over budget even after optimizing: the span is an alert, so the sampler always keeps it.
    if (costAfter !== null && costAfter > deps.settings.policy.budgetPerDay)
      span.setAttribute(Attr.ALERT, true);

    // The cost alarm reads these: only real (not dry) runs of the live configuration emit them.
    if (!dryRun && isLivePartition(deps.store.namespace) && result.mode !== 'no_data') {
      if (costAfter !== null) {
        metrics.add(ProductMetric.ESTIMATED_TRACING_COST_PER_DAY, MetricUnit.NONE, costAfter);
      }
      if (result.projection.volumeReductionPct !== null) {
        metrics.add(
          ProductMetric.SAMPLED_VOLUME_REDUCTION_PCT,
          MetricUnit.PERCENT,
          result.projection.volumeReductionPct,
        );
      }
    }
    logger.info('sampling optimizer run', {
      version,
      changed,
      mode: result.mode,
      costPerDayAfter: costAfter,
      dryRun,
    });

    return {
      ...base,
      changed,
      version,
      reason,
      probabilities: categoryChanges(result),
      projection,
      accuracy: result.accuracy,
      ...(conflict ? { conflict } : {}),
      warnings: result.warnings,
    };
  });
}

function describeProbabilities(config: SamplingConfig): string {
  return SAMPLING_CATEGORIES.map((c) => `${c}=${config.probabilities[c]}`).join(', ');
}

export interface StatusResult {
  readonly ok: true;
  readonly namespace: string;
  /** `stored`: a committed version; `defaults`: the layer's built-in defaults (nothing committed yet). */
  readonly source: 'stored' | 'defaults';
  readonly version: number;
  readonly updatedAt: string;
  readonly reason: string;
  readonly probabilities: Readonly<Record<string, number>>;
  readonly highValueScore: number;
  readonly highValueNotional: number;
  readonly lastRun: {
    readonly at: string;
    readonly changed: boolean;
    readonly reason: string;
    readonly mode: string | null;
  } | null;
  /** The last run's projection (cost/day before and after sampling, budget, headroom), or null before any run. */
  readonly projection: ProjectionReport | null;
  readonly volumeReductionPct: number | null;
  /** One line a person can read. */
  readonly summary: string;
}

export async function status(deps: OptimizerDeps): Promise<StatusResult | Failure> {
  let state: CurrentState;
  try {
    state = await readCurrent(deps.store);
  } catch (error) {
    return storeFailure(error, 'read');
  }
  const { config, record, lastRun } = state;
  const details = (lastRun?.details ?? {}) as { projection?: ProjectionReport; mode?: string };
  const projection = details.projection ?? null;
  const budget = deps.settings.policy.budgetPerDay;
  const summary = projection
    ? `Version ${config.version}: projected ${formatCostPerDay(projection.costPerDayAfter)} after sampling ` +
      `(${formatCostPerDay(projection.costPerDayUnsampled)} unsampled) against a ${formatCostPerDay(projection.budgetPerDay)} budget; ` +
      `${projection.volumeReductionPct ?? '?'} % fewer spans exported in the last ${projection.windowMinutes}-minute window ` +
      `(last run ${lastRun?.at ?? '?'}).`
    : lastRun
      ? `Version ${config.version}; the last run could not project a cost: ${lastRun.reason}`
      : `Version ${config.version} (${record ? 'stored' : 'built-in defaults'}); the optimizer has not run yet ` +
        `(budget ${formatCostPerDay(budget)}): invoke {"action":"optimize"}.`;
  return ok({
    namespace: deps.store.namespace,
    source: record ? ('stored' as const) : ('defaults' as const),
    version: config.version,
    updatedAt: config.updatedAt,
    reason: config.reason,
    probabilities: { ...config.probabilities },
    highValueScore: config.highValueScore,
    highValueNotional: config.highValueNotional,
    lastRun: lastRun
      ? { at: lastRun.at, changed: lastRun.changed, reason: lastRun.reason, mode: details.mode ?? null }
      : null,
    projection,
    volumeReductionPct: projection?.volumeReductionPct ?? null,
    summary,
  });
}

export interface HistoryResult {
  readonly ok: true;
  readonly namespace: string;
  readonly versions: ReadonlyArray<{
    readonly version: number;
    readonly createdAt: string;
    readonly reason: string;
    readonly probabilities: Readonly<Record<string, number>>;
    readonly costPerDayAfter: number | null;
  }>;
}

export async function history(
  deps: OptimizerDeps,
  request: HistoryRequest,
): Promise<HistoryResult | Failure> {
  let records: SamplingConfigRecord[];
  try {
    records = await listSamplingConfigVersions(deps.store, request.limit);
  } catch (error) {
    return storeFailure(error, 'read');
  }
  return ok({
    namespace: deps.store.namespace,
    versions: records.map((record) => {
      const projection = (record.details as { projection?: ProjectionReport } | undefined)?.projection;
      return {
        version: record.version,
        createdAt: record.createdAt,
        reason: record.reason,
        probabilities: { ...record.config.probabilities },
        costPerDayAfter: projection?.costPerDayAfter ?? null,
      };
    }),
  });
}

async function runActionInPartition(deps: OptimizerDeps, request: OptimizerRequest) {
  switch (request.action) {
    case 'optimize':
      return optimize(deps, request);
    case 'status':
      return status(deps);
    case 'history':
      return history(deps, request);
  }
}

// Each entry point runs in its data partition's telemetry scope, whoever calls it (handler, demo story).
const samplingPartition = (deps: OptimizerDeps) => deps.store.namespace;
export const optimize = inPartitionOf(samplingPartition, optimizeInPartition);
export const runAction = inPartitionOf(samplingPartition, runActionInPartition);
