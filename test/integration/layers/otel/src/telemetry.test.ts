/**
 * The layer's answer to a refused ingestion key (401/403 from the collector): read the key again once and,
 * if the secret holds a new one, export with it in the same flush; otherwise give up for this flush.
 * Real HTTP: the collector of the SigNoz stand-in accepts only live keys.
 */
import type { Context } from 'aws-lambda';
import { initTelemetry, instrument, MemorySink } from '../../../../../layers/otel/src';
import { lambdaContext } from '../../../../../scripts/local/runtime';
import { type SignozStandIn, startSignozStandIn } from '../../../../support/signoz-stand-in';

const handler = instrument(async () => ({ ok: true as const }));

describe('the layer re-reads a refused ingestion key once', () => {
  let signoz: SignozStandIn;
  const context: Context = lambdaContext('trading-intelligence');
  let secretValue: string;
  let reads: number;

  /** The layer's telemetry; by default its key reader returns `secretValue`, counting reads. */
  function telemetry(
    secretReader = async () => {
      reads += 1;
      return secretValue;
    },
  ) {
    return initTelemetry({
      config: {
        mode: 'otlp',
        tracesEndpoint: `${signoz.collectorUrl}/v1/traces`,
        ingestionKeySecretId: 'trading-observability/signoz-ingestion-key',
        exportTimeoutMs: 1_000,
        tracesSampler: 'always_on',
        breakerFailureThreshold: 100,
      },
      secretReader,
      logSink: new MemorySink(),
      metricsSink: new MemorySink(),
    });
  }

  beforeEach(async () => {
    signoz = await startSignozStandIn();
    reads = 0;
  });
  afterEach(async () => {
    await signoz.close();
  });

  it.each([401, 403])(
    'picks up a rotated key at once when the cached one is refused with %i',
    async (status) => {
      signoz.refusalStatus = status;
      const old = signoz.seedKey('old');
      secretValue = old.value;
      const t = telemetry();
      await handler({}, context);
      expect(t.lastFlush?.outcome).toBe('exported');
      expect(reads).toBe(1);

      // Rotated and the old key revoked while this environment still caches it (15-minute cache).
      const fresh = signoz.seedKey('new');
      secretValue = fresh.value;
      old.deletedAt = Date.now();

      await handler({}, context);
      expect(t.lastFlush?.outcome).toBe('exported');
      expect(reads).toBe(2);
      expect(signoz.collector.refusedKeys).toEqual([old.value]);
      expect(signoz.collector.acceptedByKey.get(fresh.value)).toBe(1);

      // The re-read key is cached: the next flush neither reads nor is refused.
      await handler({}, context);
      expect(reads).toBe(2);
      expect(signoz.collector.refused).toBe(1);
      expect(signoz.collector.acceptedByKey.get(fresh.value)).toBe(2);
    },
  );

  it('gives up for the flush, after one re-read and one refused POST, when the secret still holds the refused key', async () => {
    const old = signoz.seedKey('old');
    secretValue = old.value;
    const t = telemetry();
    old.deletedAt = Date.now();

    await handler({}, context);
    expect(t.lastFlush?.outcome).toBe('failed');
    expect(t.lastFlush?.error).toMatch(/HTTP 401/);
    expect(reads).toBe(2);
    expect(signoz.collector.refused).toBe(1);
  });

  it('gives up when the re-read fails, without retrying with the refused key', async () => {
    const old = signoz.seedKey('old');
    // The first read works; then Secrets Manager is unreachable.
    const t = telemetry(async () => {
      reads += 1;
      if (reads > 1) throw new Error('Secrets Manager unreachable');
      return old.value;
    });
    await handler({}, context);
    expect(t.lastFlush?.outcome).toBe('exported');
    old.deletedAt = Date.now();

    await handler({}, context);
    expect(t.lastFlush?.outcome).toBe('failed');
    expect(reads).toBe(2);
    expect(signoz.collector.refused).toBe(1);
  });

  it('does not re-read the key on other failures (a 500 is not about the key)', async () => {
    const key = signoz.seedKey('current');
    secretValue = key.value;
    const t = telemetry();
    await handler({}, context);
    signoz.refusalStatus = 500;
    key.deletedAt = Date.now();
    await handler({}, context);
    expect(t.lastFlush?.outcome).toBe('failed');
    expect(t.lastFlush?.error).toMatch(/HTTP 500/);
    expect(reads).toBe(1);
  });
});

describe('warmUp at cold init', () => {
  it('opens the collector connection before the first export, which then uses it', async () => {
    const { createServer } = await import('node:net');
    let connections = 0;
    let requests = 0;
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('data', (chunk) => {
        if (chunk.includes('\r\n\r\n')) {
          requests += 1;
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const active = initTelemetry({
        config: {
          mode: 'otlp',
          tracesEndpoint: `http://127.0.0.1:${port}/v1/traces`,
          tracesSampler: 'always_on',
        },
        logSink: new MemorySink(),
        metricsSink: new MemorySink(),
      });
      active.warmUp();
      for (let i = 0; i < 200 && connections === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 5));
      expect(connections).toBe(1);
      expect(requests).toBe(0);
      await handler({}, lambdaContext('trading-intelligence'));
      expect(active.lastFlush?.outcome).toBe('exported');
      expect(requests).toBe(1);
      expect(connections).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
