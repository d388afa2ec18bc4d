/** The Lambda's way to run a step: its own root span, in the demo partition, at the replayed instant. */
import { initTelemetry, instrument, MemorySink, withSpan } from '@trading-observability/otel';
import { stepAsTrace } from '../../../../../lambdas/observability-demo/story/invoke';
import { lambdaContext } from '../../../../../scripts/local/runtime';

interface Span {
  traceId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  attributes: Array<{ key: string; value: { stringValue?: string } }>;
  status: { code: number };
}

const spans = new MemorySink();
const exported = (): Span[] =>
  spans
    .json<{ resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> }>()
    .flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)));
const attr = (span: Span | undefined, key: string) =>
  span?.attributes.find((a) => a.key === key)?.value.stringValue;

beforeEach(() => {
  spans.clear();
  initTelemetry({ config: { mode: 'off', tracesSampler: 'always_on' }, spanSink: spans });
});
afterAll(() => initTelemetry({ config: { mode: 'off' } }));

describe('stepAsTrace', () => {
  const at = '2026-11-24T15:00:00.000Z';
  const call = { fn: 'dual-accuracy-tracker', action: 'validate_all', id: `validate_all@${at}`, at } as const;

  it('roots the step in its own trace, stamped with the replayed instant and the demo partition', async () => {
    const invoke = stepAsTrace('demo');
    const value = await instrument(async () => invoke(call, () => withSpan('ml.child', {}, async () => 42)))(
      {},
      lambdaContext('observability-demo'),
    );
    expect(value).toBe(42);
    const all = exported();
    const root = all.find((s) => s.name === 'demo.validate_all');
    const child = all.find((s) => s.name === 'ml.child');
    expect(root?.parentSpanId).toBeFalsy();
    expect(child?.traceId).toBe(root?.traceId);
    expect(attr(root, 'demo.step')).toBe(call.id);
    expect(attr(root, 'demo.function')).toBe('dual-accuracy-tracker');
    expect(attr(child, 'data.partition')).toBe('demo');
    const startMs = Number(BigInt(root?.startTimeUnixNano ?? '0') / 1_000_000n);
    expect(Math.abs(startMs - Date.parse(at))).toBeLessThan(1_000);
  });

  it("records a step's failure on its span and rethrows it", async () => {
    const invoke = stepAsTrace('demo');
    await expect(
      instrument(async () =>
        invoke(call, async () => {
          throw new Error('boom');
        }),
      )({}, lambdaContext('observability-demo')),
    ).rejects.toThrow('boom');
    expect(exported().find((s) => s.name === 'demo.validate_all')?.status.code).toBe(2);
  });
});
