/** The CDK app's one error base: a `code` and the `cause` (synth fails with it, naming what to fix). */
export const StackErrorCode = {
  INVALID_SETTING: 'INVALID_SETTING',
  LAYER_BUILD_FAILED: 'LAYER_BUILD_FAILED',
  ALERT_RULE_INVALID: 'ALERT_RULE_INVALID',
  METRIC_MATH_INVALID: 'METRIC_MATH_INVALID',
  SLO_OBJECTIVE_INVALID: 'SLO_OBJECTIVE_INVALID',
  ALARM_WIRING_INVALID: 'ALARM_WIRING_INVALID',
} as const;
export type StackErrorCode = (typeof StackErrorCode)[keyof typeof StackErrorCode];

export class StackError extends Error {
  override readonly name: string = 'StackError';
  constructor(
    readonly code: StackErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
