export const BreakerState = { CLOSED: 'closed', OPEN: 'open', HALF_OPEN: 'half_open' } as const;
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState];

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  readonly failureThreshold: number;
  /** How long telemetry export is skipped once open, before one trial call (and how long a trial may stay unreported). */
  readonly cooldownMs: number;
  readonly now?: () => number;
}

/**
 * Telemetry's circuit breaker: after repeated export failures (collector down, secret unreadable),
 * exports are skipped for a cool-down so business calls are not slowed by a dead backend; then one
 * trial export decides whether to close again. Concurrent invocations in one process (the local
 * endpoint, or a future multi-concurrency runtime) do not all try: only the first caller after the
 * cool-down gets the trial; the others skip until it reports (or, if it never does, for another cool-down).
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: BreakerState = BreakerState.CLOSED;
  /** When the half-open trial was handed out; undefined while none is in flight. */
  private trialStartedAt: number | undefined;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): BreakerState {
    if (this.current === BreakerState.OPEN && this.now() - this.openedAt >= this.options.cooldownMs) {
      this.current = BreakerState.HALF_OPEN;
    }
    return this.current;
  }

  /**
   * Whether an export may be attempted now. Closed: always. Half-open: once, for the trial; a caller that
   * gets `true` must report with `recordSuccess` or `recordFailure`.
   */
  allows(): boolean {
    const state = this.state;
    if (state === BreakerState.CLOSED) return true;
    if (state === BreakerState.OPEN) return false;
    const now = this.now();
    if (this.trialStartedAt !== undefined && now - this.trialStartedAt < this.options.cooldownMs)
      return false;
    this.trialStartedAt = now;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.trialStartedAt = undefined;
    this.current = BreakerState.CLOSED;
  }

  recordFailure(): void {
    this.failures += 1;
    this.trialStartedAt = undefined;
    if (this.current === BreakerState.HALF_OPEN || this.failures >= this.options.failureThreshold) {
      this.current = BreakerState.OPEN;
      this.openedAt = this.now();
    }
  }

  toString(): string {
    return `CircuitBreaker{state=${this.state}, failures=${this.failures}, threshold=${this.options.failureThreshold}, cooldownMs=${this.options.cooldownMs}}`;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
