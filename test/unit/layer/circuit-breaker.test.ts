import { BreakerState, CircuitBreaker } from '../../../layers/otel/src/circuit-breaker';

describe('telemetry circuit breaker', () => {
  it('opens after the threshold of consecutive failures, half-opens after the cool-down, closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now });
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe(BreakerState.CLOSED);
    breaker.recordFailure();
    expect(breaker.state).toBe(BreakerState.OPEN);
    expect(breaker.allows()).toBe(false);
    now = 999;
    expect(breaker.allows()).toBe(false);
    now = 1000;
    expect(breaker.state).toBe(BreakerState.HALF_OPEN);
    expect(breaker.allows()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe(BreakerState.CLOSED);
  });

  it('re-opens at once when the trial call after the cool-down fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 500, now: () => now });
    breaker.recordFailure();
    breaker.recordFailure();
    now = 600;
    expect(breaker.state).toBe(BreakerState.HALF_OPEN);
    breaker.recordFailure();
    expect(breaker.state).toBe(BreakerState.OPEN);
    now = 1099;
    expect(breaker.allows()).toBe(false);
    expect(breaker.toString()).toContain('state=open');
  });

  it('a success resets the failure count', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 500, now: () => 0 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe(BreakerState.CLOSED);
  });
});
