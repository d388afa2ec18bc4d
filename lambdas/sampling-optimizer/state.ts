/** The optimizer's current state in the sampling table, read as the layer reads it; store failures as answers. */
import {
  DEFAULT_SAMPLING_CONFIG,
  logger,
  normalizeSamplingConfig,
  SAMPLING_CATEGORIES,
  type SamplingConfig,
} from '@trading-observability/otel';
import { ErrorCode, type Failure, fail } from '../shared/response';
import {
  getCurrentSamplingConfig,
  getLastSamplingRun,
  type SamplingConfigRecord,
  type SamplingRunRecord,
  type StoreContext,
} from '../shared/store';

export interface CurrentState {
  readonly config: SamplingConfig;
  readonly record: SamplingConfigRecord | undefined;
  readonly lastRun: SamplingRunRecord | undefined;
}

export async function readCurrent(store: StoreContext): Promise<CurrentState> {
  const [record, lastRun] = await Promise.all([getCurrentSamplingConfig(store), getLastSamplingRun(store)]);
  if (!record) return { config: DEFAULT_SAMPLING_CONFIG, record, lastRun };
  // Read it as the layer does, so the optimizer steers from what the functions actually apply.
  const { config, warnings } = normalizeSamplingConfig(record.config);
  for (const warning of warnings) logger.warn('stored sampling configuration normalised', { warning });
  return { config, record, lastRun };
}

export function storeFailure(error: unknown, what: string): Failure {
  logger.error(`sampling store ${what} failed`, { error: (error as Error).message });
  return fail(
    ErrorCode.DEPENDENCY_UNAVAILABLE,
    `the sampling configuration table could not be ${what}: ${(error as Error).message}`,
  );
}

export function describeProbabilities(config: SamplingConfig): string {
  return SAMPLING_CATEGORIES.map((c) => `${c}=${config.probabilities[c]}`).join(', ');
}
