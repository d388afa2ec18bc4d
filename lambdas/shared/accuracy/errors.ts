import { FailureCode, TradingObservabilityError } from '../errors';

/** A prediction or metric input that the metrics cannot score (non-finite number, confidence outside [0, 1], …). */
export class AccuracyInputError extends TradingObservabilityError {
  override readonly name = 'AccuracyInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(FailureCode.INVALID_ACCURACY_INPUT, message, options);
  }
}

/** Summary options that make no sense (threshold outside (0, 1), non-integer minimum sample, …). */
export class AccuracyOptionsError extends TradingObservabilityError {
  override readonly name = 'AccuracyOptionsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(FailureCode.INVALID_ACCURACY_OPTIONS, message, options);
  }
}
