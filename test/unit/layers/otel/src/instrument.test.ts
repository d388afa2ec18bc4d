/**
 * The invocation span's `app.action`: the layer knows no product action; each function passes its own, and
 * a caller's free text (an unknown action, PII in it) is recorded as `unknown`, never as sent.
 */
import {
  Attr,
  initTelemetry,
  instrument,
  MemorySink,
  type OtlpTraceRequest,
  UNKNOWN_ACTION,
} from '../../../../../layers/otel/src';
import { lambdaContext } from '../../../../../scripts/local/runtime';

function rootAttributes(spans: MemorySink): Record<string, unknown> {
  const request = spans.json<OtlpTraceRequest>().at(-1);
  const span = request?.resourceSpans[0]?.scopeSpans[0]?.spans.at(-1);
  return Object.fromEntries((span?.attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
}

async function invoke(
  options: Parameters<typeof instrument>[1],
  event: unknown,
): Promise<Record<string, unknown>> {
  const spans = new MemorySink();
  initTelemetry({
    config: { mode: 'off', samplingEnabled: false, samplingConfigTable: undefined },
    spanSink: spans,
    logSink: new MemorySink(),
    metricsSink: new MemorySink(),
  });
  const handler = instrument(async () => ({ ok: true }), options);
  await handler(event, lambdaContext('dual-accuracy-tracker'));
  return rootAttributes(spans);
}

const ACTIONS = ['record_predictions', 'validate_all'] as const;

describe('instrument: app.action', () => {
  it('records a known action as sent', async () => {
    expect((await invoke({ actions: ACTIONS }, { action: 'validate_all' }))[Attr.ACTION]).toBe(
      'validate_all',
    );
  });

  it.each([
    ['an unknown action', { action: 'drop_tables' }],
    ['a phone number as the action', { action: '+1 (555) 867-5309' }],
    ['a card number as the action', { action: '4111 1111 1111 1111' }],
    ['an action of another type', { action: 42 }],
    ['no action', {}],
    ['no object at all', 'validate_all'],
  ])('records %s as unknown', async (_label, event) => {
    expect((await invoke({ actions: ACTIONS }, event))[Attr.ACTION]).toBe(UNKNOWN_ACTION);
  });

  it('reads the field the function names (the demo says demo_type)', async () => {
    const options = { actions: ['full_demo'], actionField: 'demo_type' };
    expect((await invoke(options, { demo_type: 'full_demo' }))[Attr.ACTION]).toBe('full_demo');
    expect((await invoke(options, { action: 'full_demo' }))[Attr.ACTION]).toBe(UNKNOWN_ACTION);
  });

  it('records no action when the function names none (the layer knows no product actions)', async () => {
    expect(await invoke({}, { action: 'validate_all' })).not.toHaveProperty(Attr.ACTION);
  });
});
