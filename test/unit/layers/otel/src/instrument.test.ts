/**
 * The invocation span's `app.action`: the layer knows no product action; each function passes its own, and
 * a caller's free text (an unknown action, PII in it) is recorded as `unknown`, never as sent.
 */
import type { Context } from 'aws-lambda';
import {
  Attr,
  initTelemetry,
  instrument,
  MemorySink,
  type OtlpTraceRequest,
  SamplingCategory,
  UNKNOWN_ACTION,
} from '../../../../../layers/otel/src';
import { attributesOf } from '../../../../../scripts/local/otlp-receiver';
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
    config: { mode: 'off', tracesSampler: 'always_on', samplingConfigTable: undefined },
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

/** The invocation span's attributes, as exported. */
async function rootAttributesOf(run: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const spanSink = new MemorySink();
  initTelemetry({ config: { mode: 'off', tracesSampler: 'always_on' }, spanSink, logSink: new MemorySink() });
  await run();
  const request = JSON.parse(spanSink.lines.join('')) as {
    resourceSpans: { scopeSpans: { spans: { parentSpanId?: string; attributes: never[] }[] }[] }[];
  };
  const spans = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const root = spans.find((span) => !span.parentSpanId);
  return attributesOf(root?.attributes ?? []);
}

describe('instrument takes the product vocabulary as options', () => {
  const context: Context = lambdaContext('some-function');
  const failing = async () => ({ ok: false, error: { code: 'INVALID_PAYLOAD' } });

  it('annotates no outcome unless the function says how its result reads', async () => {
    const attributes = await rootAttributesOf(() => instrument(failing)({ action: 'x' }, context));
    expect(attributes).not.toHaveProperty('app.result.ok');
    expect(attributes).not.toHaveProperty('app.error.code');
  });

  it('annotates the outcome the function reads from its result', async () => {
    const handler = instrument(failing, {
      resultOutcome: (result) => ({
        ok: false,
        errorCode: (result as { error: { code: string } }).error.code,
      }),
    });
    const attributes = await rootAttributesOf(() => handler({ action: 'x' }, context));
    expect(attributes).toMatchObject({ 'app.result.ok': false, 'app.error.code': 'INVALID_PAYLOAD' });
  });

  it("gives a known action's invocation the function's category, and an unknown one none", async () => {
    const options = { actions: ACTIONS, categoryByAction: { validate_all: SamplingCategory.ML_VALIDATION } };
    const known = await rootAttributesOf(() =>
      instrument(failing, options)({ action: 'validate_all' }, context),
    );
    expect(known[Attr.SAMPLING_CATEGORY]).toBe(SamplingCategory.ML_VALIDATION);
    const unknown = await rootAttributesOf(() =>
      instrument(failing, options)({ action: 'drop_tables' }, context),
    );
    expect(unknown[Attr.ACTION]).toBe(UNKNOWN_ACTION);
    expect(unknown).not.toHaveProperty(Attr.SAMPLING_CATEGORY);
  });
});
