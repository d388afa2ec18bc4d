import type { Context } from 'aws-lambda';
import {
  initTelemetry,
  instrument,
  MemorySink,
  MetricUnit,
  metrics,
  scopedNow,
  withSpan,
  withTelemetryScope,
} from '../../../../../layers/otel/src/index';
import { mergeScopes, shiftHrTime } from '../../../../../layers/otel/src/scope';
import { attributesOf } from '../../../../../scripts/local/otlp-receiver';
import { assertValidEmf } from '../../../../support/emf';

interface ExportedSpan {
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  events: Array<{ timeUnixNano: string }>;
}

function exportedSpans(sink: MemorySink): ExportedSpan[] {
  return sink
    .json<{ resourceSpans: Array<{ scopeSpans: Array<{ spans: ExportedSpan[] }> }> }>()
    .flatMap((request) => request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
}

function setup() {
  const spans = new MemorySink();
  const logs = new MemorySink();
  const emf = new MemorySink();
  const telemetry = initTelemetry({
    config: { mode: 'off', tracesSampler: 'always_on', logLevel: 'INFO' },
    spanSink: spans,
    logSink: logs,
    metricsSink: emf,
  });
  return { telemetry, spans, logs, emf };
}

const DAY_MS = 86_400_000;
const NS_PER_MS = 1_000_000n;

describe('withTelemetryScope', () => {
  it('stamps spans, log lines and metrics recorded inside it, and nothing outside', async () => {
    const { telemetry, spans, logs, emf } = setup();
    await withTelemetryScope(
      { attributes: { 'data.partition': 'demo' }, metricDimensions: { DataPartition: 'demo' } },
      () =>
        withSpan('inside', {}, async () => {
          telemetry.logger.info('in scope');
          metrics.add('Things', MetricUnit.COUNT, 1);
          // The scope follows the async call tree.
          await new Promise((resolve) => setTimeout(resolve, 1));
          await withSpan('inside.child', {}, () => undefined);
        }),
    );
    await withSpan('outside', {}, () => telemetry.logger.info('out of scope'));
    metrics.add('Things', MetricUnit.COUNT, 1);
    await telemetry.flush();

    const byName = new Map(exportedSpans(spans).map((span) => [span.name, attributesOf(span.attributes)]));
    expect(byName.get('inside')?.['data.partition']).toBe('demo');
    expect(byName.get('inside.child')?.['data.partition']).toBe('demo');
    expect(byName.get('outside')).not.toHaveProperty('data.partition');

    const [inLine, outLine] = logs.json();
    expect(inLine).toMatchObject({ message: 'in scope', 'data.partition': 'demo' });
    expect(outLine).toMatchObject({ message: 'out of scope' });
    expect(outLine).not.toHaveProperty('data.partition');

    const documents = emf.json();
    for (const document of documents) assertValidEmf(document);
    const things = documents.filter((document) => 'Things' in document);
    expect(things.map((document) => document.DataPartition ?? null).sort()).toEqual(['demo', null]);
    const scoped = things.find((document) => document.DataPartition === 'demo') as {
      _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][] }> };
    };
    expect(scoped._aws.CloudWatchMetrics[0]?.Dimensions[0]?.sort()).toEqual(['DataPartition', 'Service']);
  });

  it("gives the scope's dimensions precedence over a metric's own, so scoped data cannot pass for another's", () => {
    const { telemetry, emf } = setup();
    withTelemetryScope({ metricDimensions: { DataPartition: 'demo' } }, () =>
      metrics.add('Things', MetricUnit.COUNT, 1, { DataPartition: 'live', Model: 'm' }),
    );
    telemetry.metrics.flush();
    expect(emf.json()[0]).toMatchObject({ DataPartition: 'demo', Model: 'm', Things: 1 });
  });

  it('nests: attributes and dimensions merge with the inner winning, the inner shift replaces the outer', () => {
    expect(
      mergeScopes(
        { attributes: { a: 1, b: 'outer' }, metricDimensions: { D: 'x' }, timeShiftMs: -5 },
        { attributes: { b: 'inner' }, timeShiftMs: 7 },
      ),
    ).toEqual({ attributes: { a: 1, b: 'inner' }, metricDimensions: { D: 'x' }, timeShiftMs: 7 });
    expect(mergeScopes({ timeShiftMs: -5 }, {})).toEqual({ timeShiftMs: -5 });
    expect(mergeScopes({}, {})).toEqual({});
    // Bracketed by the clock before and after (no tolerance: a loaded machine may pause between two reads).
    const seen: { before: number; scoped: number; after: number }[] = [];
    withTelemetryScope({ timeShiftMs: -DAY_MS }, () =>
      withTelemetryScope({ attributes: { step: 2 } }, () => {
        const before = Date.now();
        const scoped = scopedNow();
        seen.push({ before, scoped, after: Date.now() });
      }),
    );
    const [{ before, scoped, after }] = seen as [(typeof seen)[number]];
    expect(scoped + DAY_MS).toBeGreaterThanOrEqual(before);
    expect(scoped + DAY_MS).toBeLessThanOrEqual(after);
  });

  it('moves span, event, log and EMF times by the shift (a replay shows the replayed days)', async () => {
    const { telemetry, spans, logs, emf } = setup();
    const shift = -3 * DAY_MS - 1234.4;
    const before = BigInt(Date.now()) * NS_PER_MS;
    await withTelemetryScope({ timeShiftMs: shift }, () =>
      withSpan('replayed', {}, (span) => {
        span.addEvent('tick');
        telemetry.logger.info('replayed line');
        metrics.add('Replayed', MetricUnit.COUNT, 1);
      }),
    );
    await withSpan('now', {}, () => undefined);
    const after = BigInt(Date.now()) * NS_PER_MS;
    await telemetry.flush();

    const exported = new Map(exportedSpans(spans).map((span) => [span.name, span]));
    const replayed = exported.get('replayed') as ExportedSpan;
    const shiftNs = BigInt(Math.round(shift)) * NS_PER_MS;
    const start = BigInt(replayed.startTimeUnixNano);
    const end = BigInt(replayed.endTimeUnixNano);
    expect(start).toBeGreaterThanOrEqual(before + shiftNs - NS_PER_MS);
    expect(end).toBeLessThanOrEqual(after + shiftNs + NS_PER_MS);
    expect(end).toBeGreaterThanOrEqual(start);
    const event = BigInt(replayed.events[0]?.timeUnixNano ?? '0');
    expect(event).toBeGreaterThanOrEqual(start);
    expect(event).toBeLessThanOrEqual(end);
    const unshifted = BigInt((exported.get('now') as ExportedSpan).startTimeUnixNano);
    expect(unshifted).toBeGreaterThanOrEqual(before);

    const line = logs.json()[0] as { timestamp: string };
    const logTime = Date.parse(line.timestamp);
    expect(logTime).toBeGreaterThanOrEqual(Number(before / NS_PER_MS) + shift - 2);
    expect(logTime).toBeLessThanOrEqual(Number(after / NS_PER_MS) + shift + 2);

    const document = emf.json().find((d) => 'Replayed' in d) as { _aws: { Timestamp: number } };
    // The replayed minute, as CloudWatch keeps it.
    expect(document._aws.Timestamp % 60_000).toBe(0);
    expect(document._aws.Timestamp).toBeGreaterThan(Number(before / NS_PER_MS) + shift - 60_000);
    expect(document._aws.Timestamp).toBeLessThanOrEqual(Number(after / NS_PER_MS) + shift);
  });

  it('puts values recorded in different replayed minutes into different EMF documents', () => {
    const { telemetry, emf } = setup();
    for (const minutes of [0, 0, 1, 60]) {
      withTelemetryScope({ timeShiftMs: -DAY_MS + minutes * 60_000 }, () =>
        metrics.add('Replayed', MetricUnit.COUNT, 1),
      );
    }
    telemetry.metrics.flush();
    const documents = emf.json() as Array<{ _aws: { Timestamp: number }; Replayed: number | number[] }>;
    expect(documents).toHaveLength(3);
    const stamps = documents.map((d) => d._aws.Timestamp).sort((a, b) => a - b);
    const first = stamps[0] ?? 0;
    expect(stamps.map((stamp) => stamp - first)).toEqual([0, 60_000, 60 * 60_000]);
    expect(documents.find((d) => d._aws.Timestamp === first)?.Replayed).toEqual([1, 1]);
  });
});

describe('shiftHrTime', () => {
  const toNs = ([s, n]: [number, number]) => BigInt(s) * 1_000_000_000n + BigInt(n);
  it.each([
    [[100, 999_999_999], 1],
    [[100, 0], -1],
    [[100, 500_000_000], -1500],
    [[100, 500_000_000], 2_500.4],
    [[1_700_000_000, 123_456_789], -10 * DAY_MS - 0.6],
  ] as Array<[[number, number], number]>)('%j shifted by %d ms', (time, ms) => {
    const shifted = shiftHrTime(time, ms) as [number, number];
    expect(toNs(shifted)).toBe(toNs(time) + BigInt(Math.round(ms)) * NS_PER_MS);
    expect(shifted[1]).toBeGreaterThanOrEqual(0);
    expect(shifted[1]).toBeLessThan(1_000_000_000);
  });
});

describe('instrument with a scope', () => {
  const context = { functionName: 'f', awsRequestId: 'r-1' } as Context;

  it("covers the root span; the layer's own volume metrics at flush stay outside it", async () => {
    const { spans, emf } = setup();
    const handler = instrument(
      async () => {
        metrics.add('Business', MetricUnit.COUNT, 1);
        return { ok: true };
      },
      {
        scope: () => ({
          attributes: { 'data.partition': 'demo' },
          metricDimensions: { DataPartition: 'demo' },
        }),
      },
    );
    await handler({}, context);
    const [root] = exportedSpans(spans);
    expect(attributesOf(root?.attributes ?? [])['data.partition']).toBe('demo');
    const documents = emf.json();
    expect(documents.find((d) => 'Business' in d)).toMatchObject({ DataPartition: 'demo' });
    const volume = documents.filter((d) => 'SpansStarted' in d);
    expect(volume.length).toBeGreaterThan(0);
    for (const document of volume) expect(document).not.toHaveProperty('DataPartition');
  });

  it('a throwing scope extractor only loses the scope', async () => {
    const { spans } = setup();
    const handler = instrument(async () => 'answer', {
      scope: () => {
        throw new Error('bad event');
      },
    });
    await expect(handler({}, context)).resolves.toBe('answer');
    expect(exportedSpans(spans)).toHaveLength(1);
  });
});
