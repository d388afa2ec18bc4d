/**
 * sampling-optimizer actions: `optimize` (also the 15-minute schedule), `status` and `history`.
 *
 * Exported so that observability-demo can run them in-process: pass `deps` with a store context on its
 * own namespace (`demo#SAMPLING_CONFIG`, never the live `SAMPLING_CONFIG` the layer reads) and, if it
 * has no CloudWatch, its own `VolumeReader`. Telemetry goes through the layer.
 */
import { inPartitionOf } from '../shared/partition';
import { type Failure, ok } from '../shared/response';
import { listSamplingConfigVersions, type SamplingConfigRecord, type StoreContext } from '../shared/store';
import { formatCostPerDay } from './cost';
import { optimize, type ProjectionReport, samplingPartition } from './optimize';
import type { OptimizerPolicy } from './optimizer';
import type { HistoryRequest, OptimizerRequest } from './schemas';
import { type CurrentState, readCurrent, storeFailure } from './state';
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

export { OptimizerAttr } from './names';
export {
  type CategoryChange,
  type OptimizeResult,
  optimize,
  type ProjectionReport,
  projectionReport,
} from './optimize';

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
export const runAction = inPartitionOf(samplingPartition, runActionInPartition);
