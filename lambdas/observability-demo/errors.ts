/** Error codes of the observability-demo's parts (workload replay, story). */
export const DemoErrorCode = {
  DATASET_INVALID: 'DATASET_INVALID',
  WORKLOAD_OPTIONS_INVALID: 'WORKLOAD_OPTIONS_INVALID',
  STEP_FAILED: 'STEP_FAILED',
} as const;
export type DemoErrorCode = (typeof DemoErrorCode)[keyof typeof DemoErrorCode];

/** The one error base of the observability-demo: a code to branch on, and the cause when there is one. */
export class DemoError extends Error {
  constructor(
    readonly code: DemoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A step the story cannot do without failed for good (e.g. no regular session to rank, optimize refused). */
export class StepFailedError extends DemoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(DemoErrorCode.STEP_FAILED, message, options);
  }
}
