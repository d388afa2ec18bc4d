import { BreakerState, CircuitBreaker } from '../../../../../layers/otel/src/circuit-breaker';

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

describe('telemetry circuit breaker: one trial export in half-open', () => {
  const opened = () => {
    const clock = { now: 0 };
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: () => clock.now });
    breaker.recordFailure();
    breaker.recordFailure();
    clock.now = 1000;
    return { breaker, clock };
  };

  it('lets exactly one of many concurrent callers try after the cool-down', () => {
    const { breaker } = opened();
    const allowed = Array.from({ length: 20 }, () => breaker.allows());
    expect(allowed.filter(Boolean)).toHaveLength(1);
    expect(allowed[0]).toBe(true);
    expect(breaker.state).toBe(BreakerState.HALF_OPEN);
  });

  it('closes for everyone when the trial succeeds', () => {
    const { breaker } = opened();
    expect(breaker.allows()).toBe(true);
    expect(breaker.allows()).toBe(false);
    breaker.recordSuccess();
    expect([breaker.allows(), breaker.allows(), breaker.allows()]).toEqual([true, true, true]);
  });

  it('re-opens for another cool-down when the trial fails, then offers one new trial', () => {
    const { breaker, clock } = opened();
    expect(breaker.allows()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe(BreakerState.OPEN);
    clock.now = 1999;
    expect(breaker.allows()).toBe(false);
    clock.now = 2000;
    expect([breaker.allows(), breaker.allows()]).toEqual([true, false]);
  });

  it('hands out a new trial if the first is never reported within a cool-down', () => {
    const { breaker, clock } = opened();
    expect(breaker.allows()).toBe(true);
    clock.now = 1999;
    expect(breaker.allows()).toBe(false);
    clock.now = 2000;
    expect([breaker.allows(), breaker.allows()]).toEqual([true, false]);
  });
});
