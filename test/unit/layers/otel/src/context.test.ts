import { EventEmitter } from 'node:events';
import { context, trace } from '@opentelemetry/api';
import { initTelemetry, MemorySink, withSpan } from '../../../../../layers/otel/src';

/** The layer registers OpenTelemetry's AsyncLocalStorageContextManager (what NodeTracerProvider registers). */
describe('the active context across async work', () => {
  beforeAll(() => {
    initTelemetry({ config: { mode: 'off', tracesSampler: 'always_on' }, logSink: new MemorySink() });
  });

  const activeSpanId = () => trace.getActiveSpan()?.spanContext().spanId;

  it('follows awaits and timers, and is gone outside the span', async () => {
    const inside: (string | undefined)[] = [];
    let expected: string | undefined;
    await withSpan('parent', {}, async (span) => {
      expected = span.spanContext().spanId;
      await new Promise((resolve) => setTimeout(resolve, 1));
      inside.push(activeSpanId());
      await Promise.all([1, 2].map(async () => inside.push(activeSpanId())));
    });
    expect(inside).toEqual([expected, expected, expected]);
    expect(activeSpanId()).toBeUndefined();
  });

  it('binds event emitters: listeners run in the context the emitter was bound to', async () => {
    const emitter = new EventEmitter();
    let expected: string | undefined;
    await withSpan('parent', {}, async (span) => {
      expected = span.spanContext().spanId;
      context.bind(context.active(), emitter);
    });
    let seen: string | undefined;
    emitter.on('tick', () => {
      seen = activeSpanId();
    });
    emitter.emit('tick');
    expect(seen).toBe(expected);
  });

  it('binds functions to a context', async () => {
    let bound: (() => string | undefined) | undefined;
    let expected: string | undefined;
    await withSpan('parent', {}, async (span) => {
      expected = span.spanContext().spanId;
      bound = context.bind(context.active(), activeSpanId);
    });
    expect(bound?.()).toBe(expected);
  });
});
