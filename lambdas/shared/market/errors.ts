import { FailureCode, TradingObservabilityError } from '../errors';

/**
 * Thrown when asked about a year the calendar does not hold: we refuse to guess holidays. The message goes to
 * callers, so it says what is covered, not where the source keeps it (lambdas/shared/market/holidays.ts).
 */
export class CalendarRangeError extends TradingObservabilityError {
  override readonly name = 'CalendarRangeError';
  constructor(
    readonly year: number,
    readonly coveredYears: readonly number[],
    options?: { cause?: unknown },
  ) {
    super(
      FailureCode.CALENDAR_OUT_OF_RANGE,
      `NYSE calendar has no data for ${year}; it covers ${coveredYears.join(', ')}.`,
      options,
    );
  }
}

/** Thrown for an instant that is not a valid Date or an ISO-8601 string with an explicit offset or `Z`. */
export class InvalidInstantError extends TradingObservabilityError {
  override readonly name = 'InvalidInstantError';
  constructor(
    readonly input: unknown,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      FailureCode.INVALID_INSTANT,
      `Invalid instant ${JSON.stringify(String(input))}: ${detail}`,
      options,
    );
  }
}
