/** The scripts' one error base: a `code` and the `cause`; a script reports it and exits non-zero. */
export const ScriptErrorCode = {
  UNKNOWN_FUNCTION: 'UNKNOWN_FUNCTION',
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  INVALID_SPANS_FILE: 'INVALID_SPANS_FILE',
  UNRESOLVED_VARIABLE: 'UNRESOLVED_VARIABLE',
  STORE_IN_USE: 'STORE_IN_USE',
  RUNBOOK_OUT_OF_SHAPE: 'RUNBOOK_OUT_OF_SHAPE',
  BACKTEST_USAGE: 'BACKTEST_USAGE',
  BACKTEST_SCENARIO_INVALID: 'BACKTEST_SCENARIO_INVALID',
  BACKTEST_METRIC_QUERY_INVALID: 'BACKTEST_METRIC_QUERY_INVALID',
  STAND_IN_SERVICE_ERROR: 'STAND_IN_SERVICE_ERROR',
  BENCH_CHILD_FAILED: 'BENCH_CHILD_FAILED',
  BACKTEST_WIRING_INCOMPLETE: 'BACKTEST_WIRING_INCOMPLETE',
} as const;
export type ScriptErrorCode = (typeof ScriptErrorCode)[keyof typeof ScriptErrorCode];

export class ScriptError extends Error {
  override readonly name: string = 'ScriptError';
  constructor(
    readonly code: ScriptErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
