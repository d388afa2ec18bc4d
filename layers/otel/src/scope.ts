import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, HrTime } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * What a caller can stamp on all telemetry recorded inside a call tree: attributes (spans and log lines),
 * metric dimensions, and a time shift (replays stamp telemetry with the replayed time). Generic: the
 * functions decide what to put here (e.g. which data partition the work belongs to).
 */
export interface TelemetryScope {
  /** Set on every span started inside, and as fields on every log line written inside. */
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
  /** Added to every metric recorded inside (EMF dimensions); they win over the metric's own. */
  readonly metricDimensions?: Readonly<Record<string, string>>;
  /** Milliseconds added to every timestamp recorded inside: span start/end and events, log time, EMF Timestamp. */
  readonly timeShiftMs?: number;
}

const storage = new AsyncLocalStorage<TelemetryScope>();
const NO_SCOPE: TelemetryScope = Object.freeze({});

/** The scope in force here (an empty one outside any). */
export function currentScope(): TelemetryScope {
  return storage.getStore() ?? NO_SCOPE;
}

/** An inner scope adds to the outer one: attributes and dimensions merge (inner wins), the inner shift replaces. */
export function mergeScopes(outer: TelemetryScope, inner: TelemetryScope): TelemetryScope {
  const timeShiftMs = inner.timeShiftMs ?? outer.timeShiftMs;
  return {
    ...(outer.attributes || inner.attributes
      ? { attributes: { ...outer.attributes, ...inner.attributes } }
      : {}),
    ...(outer.metricDimensions || inner.metricDimensions
      ? { metricDimensions: { ...outer.metricDimensions, ...inner.metricDimensions } }
      : {}),
    ...(timeShiftMs === undefined ? {} : { timeShiftMs }),
  };
}

/** Runs `fn` with `scope` added to the one in force; everything it records, synchronously or later in its async tree, carries it. */
export function withTelemetryScope<T>(scope: TelemetryScope, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer ? mergeScopes(outer, scope) : scope, fn);
}

/** Epoch milliseconds as the scope in force sees them (shifted inside a replay). */
export function scopedNow(): number {
  return Date.now() + (storage.getStore()?.timeShiftMs ?? 0);
}

const shifts = new WeakMap<ReadableSpan, number>();

/** The shift in force when `span` started (0 when none): the encoder moves its times by it. */
export function timeShiftOf(span: ReadableSpan): number {
  return shifts.get(span) ?? 0;
}

/** Adds `ms` (rounded to whole milliseconds, either sign) to an HrTime, keeping nanoseconds in [0, 1e9). */
export function shiftHrTime(time: HrTime, ms: number): HrTime {
  const whole = Math.round(ms);
  if (whole === 0) return time;
  const seconds = Math.floor(whole / 1000);
  const nanos = time[1] + (whole - seconds * 1000) * 1_000_000;
  const carry = nanos >= 1_000_000_000 ? 1 : 0;
  return [time[0] + seconds + carry, nanos - carry * 1_000_000_000];
}

/**
 * Applies the scope at span start: its attributes on the span (a span started in a scope says so even when
 * it ends elsewhere), its shift remembered for export. Runs before the span is buffered.
 */
export class ScopeSpanProcessor implements SpanProcessor {
  onStart(span: Span, _parentContext: Context): void {
    const scope = storage.getStore();
    if (!scope) return;
    if (scope.attributes) span.setAttributes(scope.attributes);
    if (scope.timeShiftMs) shifts.set(span, scope.timeShiftMs);
  }
  onEnd(): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
