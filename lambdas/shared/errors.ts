/**
 * One error base for the functions: every error they throw has a `code` (stable, for logs and tests)
 * and keeps its `cause`. Dependency failures (DynamoDB, CloudWatch, Secrets Manager) share a subclass,
 * so a caller can ask `isDependencyFailure` and answer DEPENDENCY_UNAVAILABLE instead of blaming input.
 * (The `ok:false` answer codes are `ErrorCode` in response.ts.) Each class names itself explicitly:
 * bundles are minified, and a mangled class name would reach the logs.
 */
export const FailureCode = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  STORE_FAILED: 'STORE_FAILED',
  METRICS_UNAVAILABLE: 'METRICS_UNAVAILABLE',
  SAMPLING_VERSION_CONFLICT: 'SAMPLING_VERSION_CONFLICT',
  CALENDAR_OUT_OF_RANGE: 'CALENDAR_OUT_OF_RANGE',
  INVALID_INSTANT: 'INVALID_INSTANT',
  INVALID_SCORE_CONFIG: 'INVALID_SCORE_CONFIG',
  INVALID_SCORE_INPUT: 'INVALID_SCORE_INPUT',
  INVALID_ACCURACY_INPUT: 'INVALID_ACCURACY_INPUT',
  INVALID_ACCURACY_OPTIONS: 'INVALID_ACCURACY_OPTIONS',
  PROBE_CONFIG_INVALID: 'PROBE_CONFIG_INVALID',
} as const;
export type FailureCode = (typeof FailureCode)[keyof typeof FailureCode];

/**
 * The base. A function with a vocabulary of its own (the key rotation, the demo) passes its code type;
 * the shared modules use `FailureCode`.
 */
export class TradingObservabilityError<Code extends string = FailureCode> extends Error {
  override readonly name: string = 'TradingObservabilityError';
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A service the function depends on failed or is unavailable: not the caller's fault, may be retried. */
export class DependencyError extends TradingObservabilityError {
  override readonly name: string = 'DependencyError';
}

export function isDependencyFailure(error: unknown): error is DependencyError {
  return error instanceof DependencyError;
}
