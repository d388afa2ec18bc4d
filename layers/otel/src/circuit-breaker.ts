export const BreakerState = { CLOSED: 'closed', OPEN: 'open', HALF_OPEN: 'half_open' } as const;
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState];

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  readonly failureThreshold: number;
  /** How long telemetry export is skipped once open, before one trial call. */
  readonly cooldownMs: number;
  readonly now?: () => number;
}

/**
 * Telemetry's circuit breaker: after repeated export failures (collector down, secret unreadable),
 * exports are skipped for a cool-down so business calls are not slowed by a dead backend; then one
 * trial export decides whether to close again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: BreakerState = BreakerState.CLOSED;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): BreakerState {
    if (this.current === BreakerState.OPEN && this.now() - this.openedAt >= this.options.cooldownMs) {
      this.current = BreakerState.HALF_OPEN;
    }
    return this.current;
  }

  /** Whether an export may be attempted now. */
  allows(): boolean {
    return this.state !== BreakerState.OPEN;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.current = BreakerState.CLOSED;
  }

  recordFailure(): void {
    this.failures += 1;
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
