/** A prediction or metric input that the metrics cannot score (non-finite number, confidence outside [0, 1], …). */
export class AccuracyInputError extends Error {
  override readonly name = 'AccuracyInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Summary options that make no sense (threshold outside (0, 1), non-integer minimum sample, …). */
export class AccuracyOptionsError extends Error {
  override readonly name = 'AccuracyOptionsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
