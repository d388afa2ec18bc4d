import {
  measureExport,
  parseExportLines,
  reductionPct,
} from '../../../../../lambdas/observability-demo/measure/exported-spans';

type Attr = { key: string; value: Record<string, unknown> };
const str = (key: string, value: string): Attr => ({ key, value: { stringValue: value } });
const dbl = (key: string, value: number): Attr => ({ key, value: { doubleValue: value } });

/** A span starting at `iso`, with probability p (omitted when undefined) and a category. */
function span(
  traceId: string,
  iso: string,
  p: number | undefined,
  category: string,
  extra: { parent?: string; kept?: string; error?: boolean; step?: string; partition?: string } = {},
) {
  const ns = `${BigInt(Date.parse(iso)) * 1_000_000n}`;
  return {
    traceId,
    spanId: `${traceId.slice(0, 8)}${Math.random().toString(16).slice(2, 10)}`.padEnd(16, '0'),
    ...(extra.parent ? { parentSpanId: extra.parent } : {}),
    name: 'x',
    kind: 1,
    startTimeUnixNano: ns,
    endTimeUnixNano: ns,
    attributes: [
      str('sampling.category', category),
      ...(p === undefined ? [] : [dbl('sampling.probability', p)]),
      ...(extra.kept ? [str('sampling.kept_reason', extra.kept)] : []),
      ...(extra.step ? [str('demo.step', extra.step)] : []),
      ...(extra.partition ? [str('data.partition', extra.partition)] : []),
    ],
    events: extra.error ? [{ timeUnixNano: ns, name: 'exception', attributes: [] }] : [],
    status: { code: extra.error ? 2 : 0 },
  };
}

const request = (spans: unknown[]) => ({
  resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans }] }],
});

describe('measureExport', () => {
  // 20:30 ET on Nov 24 is 01:30 UTC on Nov 25: dates are ET dates.
  const lines = [
    request([
      span('a'.repeat(32), '2026-11-24T15:00:00Z', 0.25, 'ml_validation', {
        step: 'validate_all@1',
        partition: 'demo',
      }),
      span('a'.repeat(32), '2026-11-24T15:00:01Z', 0.25, 'ml_validation', { parent: 'p', partition: 'demo' }),
    ]),
    request([
      span('b'.repeat(32), '2026-11-25T01:30:00Z', 1, 'trading', {
        step: 'analyze@2',
        kept: 'high_value',
        partition: 'demo',
      }),
      span('b'.repeat(32), '2026-11-25T01:30:01Z', 1, 'trading', { parent: 'q', kept: 'high_value' }),
    ]),
    request([
      span('c'.repeat(32), '2026-11-26T15:00:00Z', 1, 'market_data', {
        step: 'record@3',
        kept: 'error',
        error: true,
      }),
      span('d'.repeat(32), '2026-11-26T15:00:00Z', undefined, 'invocation'),
    ]),
  ];
  const text = lines.map((line) => JSON.stringify(line)).join('\n');
  const m = measureExport(parseExportLines(`${text}\n\n`), {
    source: 'test',
    markAttributes: ['demo.step'],
    countBy: 'data.partition',
  });

  it('counts exported spans and estimates the started ones as Σ 1/p (no probability counts once)', () => {
    expect(m.total.spans).toBe(6);
    expect(m.total.estimatedSpans).toBe(4 + 4 + 1 + 1 + 1 + 1);
    expect(m.byCategory.ml_validation).toMatchObject({ spans: 2, estimatedSpans: 8 });
    expect(m.byCategory.invocation).toMatchObject({ spans: 1, estimatedSpans: 1 });
    expect(reductionPct(m.total.spans, m.total.estimatedSpans)).toBeCloseTo(50, 10);
  });

  it('weighs bytes like spans and counts the request bytes as written', () => {
    const ml = m.byCategory.ml_validation;
    expect(ml?.estimatedBytes).toBeCloseTo((ml?.bytes ?? 0) * 4, 6);
    expect(m.requests).toBe(3);
    expect(m.requestBytes).toBe(Buffer.byteLength(text.replaceAll('\n', '')));
  });

  it("indexes traces by their root span's marks, kept reason, errors and probabilities", () => {
    expect(m.traces.get('a'.repeat(32))).toMatchObject({
      spans: 2,
      keptReason: null,
      hasError: false,
      allAtProbabilityOne: false,
      marks: { 'demo.step': 'validate_all@1' },
    });
    expect(m.traces.get('b'.repeat(32))).toMatchObject({
      keptReason: 'high_value',
      allAtProbabilityOne: true,
    });
    expect(m.traces.get('c'.repeat(32))).toMatchObject({ keptReason: 'error', hasError: true });
  });

  it('lists the ET dates of span starts and counts spans per partition value', () => {
    expect(m.etDates).toEqual(['2026-11-24', '2026-11-26']);
    expect(m.byAttribute).toEqual({ demo: 3, '': 3 });
  });

  it('has no reduction to speak of without spans', () => {
    expect(reductionPct(0, 0)).toBeNull();
  });
});
