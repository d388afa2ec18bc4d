import { TradingObservabilityError } from '../shared/errors';

/** Error codes of the observability-demo's parts (workload replay, story). */
export const DemoErrorCode = {
  DATASET_INVALID: 'DATASET_INVALID',
  WORKLOAD_OPTIONS_INVALID: 'WORKLOAD_OPTIONS_INVALID',
  STEP_FAILED: 'STEP_FAILED',
} as const;
export type DemoErrorCode = (typeof DemoErrorCode)[keyof typeof DemoErrorCode];

/** The observability-demo's errors: the functions' base with the demo's codes. */
export class DemoError extends TradingObservabilityError<DemoErrorCode> {
  override readonly name: string = 'DemoError';
}

/** A step the story cannot do without failed for good (e.g. no regular session to rank, optimize refused). */
export class StepFailedError extends DemoError {
  override readonly name: string = 'StepFailedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(DemoErrorCode.STEP_FAILED, message, options);
  }
}
