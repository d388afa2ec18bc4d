/**
 * The `optimize` action (also the 15-minute schedule): reads the window's volumes, decides, commits a new
 * version when it changed (unless dry_run), records the run, and reports.
 */
import {
  Attr,
  logger,
  MetricUnit,
  metrics,
  SAMPLING_CATEGORIES,
  type SamplingConfig,
  type Span,
  withSpan,
} from '@trading-observability/otel';
import { ProductMetric } from '../shared/names/metrics';
import { SpanName } from '../shared/names/spans';
import { inPartitionOf, isLivePartition } from '../shared/partition';
import type { Failure } from '../shared/response';
import {
  commitSamplingConfig,
  putLastSamplingRun,
  type SamplingRunRecord,
  SamplingVersionConflictError,
} from '../shared/store';
import { roundMoney } from './cost';
import { OptimizerAttr } from './names';
import {
  type AccuracySignal,
  type CategoryAction,
  type OptimizerResult,
  optimizeSampling,
  type Projection,
} from './optimizer';
import type { OptimizeRequest } from './schemas';
import type { OptimizerDeps } from './service';
import { type CurrentState, describeProbabilities, readCurrent, storeFailure } from './state';
import type { VolumeReader } from './volumes';

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
  return withSpan(SpanName.SAMPLING_OPTIMIZE, attributes, async (span) => {
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
    /** The answer of a run that keeps the current version without deciding anything. */
    const kept = (reason: string, details: { metricsError?: string } = {}) => {
      span.setAttribute(OptimizerAttr.CONFIG_VERSION, current.version);
      return {
        ...base,
        changed: false,
        version: current.version,
        reason,
        probabilities: null,
        projection: null,
        accuracy: null,
        ...details,
        warnings: [],
      };
    };
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
      return kept(
        `Already optimized for the scheduled time ${request.scheduledTime} (a retried invocation): version ${current.version} kept.`,
      );
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
      await recordRun({
        at: deps.now().toISOString(),
        version: current.version,
        changed: false,
        reason,
        ...(request.scheduledTime ? { scheduledTime: request.scheduledTime } : {}),
        details: { window: windowReport, metricsError: message },
      });
      return kept(reason, { metricsError: message });
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
    const outcome = await commitDecision(deps, request, current, result, { at, details });
    if ('ok' in outcome) return outcome;
    const { version, changed, reason, conflict } = outcome;

    await recordRun({
      at,
      version,
      changed,
      reason,
      ...(request.scheduledTime ? { scheduledTime: request.scheduledTime } : {}),
      details,
    });

    reportRun(span, deps, result, { version, changed, dryRun });

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

interface Committed {
  readonly version: number;
  readonly changed: boolean;
  readonly reason: string;
  readonly conflict: boolean;
}

/**
 * Writes the decided configuration as the next version (optimistic: a concurrent run that committed first
 * wins, and this one reports the conflict), or says why nothing was written (no change, or a dry run).
 */
async function commitDecision(
  deps: OptimizerDeps,
  request: OptimizeRequest,
  current: SamplingConfig,
  result: OptimizerResult,
  run: { readonly at: string; readonly details: Record<string, unknown> },
): Promise<Committed | Failure> {
  const dryRun = request.dry_run;
  if (!result.changed)
    return { version: current.version, changed: false, reason: result.reason, conflict: false };
  if (dryRun) {
    return {
      version: current.version,
      changed: true,
      reason: `Dry run, nothing written. ${result.reason}`,
      conflict: false,
    };
  }
  const next: SamplingConfig = {
    version: current.version + 1,
    probabilities: result.probabilities,
    highValueScore: current.highValueScore,
    highValueNotional: current.highValueNotional,
    updatedAt: run.at,
    reason: result.reason,
  };
  try {
    await commitSamplingConfig(deps.store, {
      version: next.version,
      previousVersion: current.version,
      config: next,
      reason: result.reason,
      createdAt: run.at,
      ...(request.scheduledTime ? { scheduledTime: request.scheduledTime } : {}),
      details: run.details,
    });
    return { version: next.version, changed: true, reason: result.reason, conflict: false };
  } catch (error) {
    if (!(error instanceof SamplingVersionConflictError)) return storeFailure(error, 'written');
    return {
      version: current.version,
      changed: false,
      reason: `Another optimizer run committed a new version while this one ran; its configuration stands (this run's proposal, not written: ${result.reason})`,
      conflict: true,
    };
  }
}

/** The run on its span (the cost dashboards read it), the cost metrics the alarm reads, and one log line. */
function reportRun(
  span: Span,
  deps: OptimizerDeps,
  result: OptimizerResult,
  run: { readonly version: number; readonly changed: boolean; readonly dryRun: boolean },
): void {
  const { version, changed, dryRun } = run;
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
}

/** The data partition an optimizer entry point works in: its sampling table's namespace. */
export const samplingPartition = (deps: OptimizerDeps): string => deps.store.namespace;

// Each entry point runs in its data partition's telemetry scope, whoever calls it (handler, demo story).
export const optimize = inPartitionOf(samplingPartition, optimizeInPartition);
