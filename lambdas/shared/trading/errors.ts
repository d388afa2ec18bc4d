import { FailureCode, TradingObservabilityError } from '../errors';

/** Score configuration that cannot be used as given (bad weight, threshold or minimum). */
export class InvalidScoreConfigError extends TradingObservabilityError {
  override readonly name = 'InvalidScoreConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(FailureCode.INVALID_SCORE_CONFIG, `Invalid opportunity-score configuration: ${message}`, options);
  }
}

/** Score inputs that contradict themselves (e.g. more correct directions than validated predictions): a caller bug. */
export class InvalidScoreInputError extends TradingObservabilityError {
  override readonly name = 'InvalidScoreInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(FailureCode.INVALID_SCORE_INPUT, `Invalid opportunity-score input: ${message}`, options);
  }
}
