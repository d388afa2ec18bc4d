/**
 * testSecret's proof: one real OTLP/HTTP JSON trace export to the collector with the candidate key, in the
 * header the layer uses. The span (`ingestion_key.rotation_test`) is the record, in SigNoz, that the key was
 * tested; one span per rotation costs nothing.
 */
import { randomBytes } from 'node:crypto';
import { Attr, INGESTION_KEY_HEADER } from '@trading-observability/otel';

export const PROBE_SPAN_NAME = 'ingestion_key.rotation_test' as const;

/** Posts one span with `key`; resolves with the collector's HTTP status (a network failure rejects). */
export type ExportProbe = (key: string) => Promise<number>;

export function otlpExportProbe(options: {
  readonly endpoint: string;
  readonly serviceName: string;
  /** @default 5 000 ms */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}): ExportProbe {
  const now = options.now ?? Date.now;
  return async (key) => {
    const end = BigInt(now()) * 1_000_000n;
    const body = {
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: options.serviceName } }],
          },
          scopeSpans: [
            {
              scope: { name: 'ingestion-key-rotation' },
              spans: [
                {
                  traceId: randomBytes(16).toString('hex'),
                  spanId: randomBytes(8).toString('hex'),
                  name: PROBE_SPAN_NAME,
                  kind: 1,
                  startTimeUnixNano: String(end - 1_000_000n),
                  endTimeUnixNano: String(end),
                  attributes: [{ key: Attr.SAMPLING_PROBABILITY, value: { doubleValue: 1 } }],
                  status: { code: 1 },
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await fetch(`${options.endpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INGESTION_KEY_HEADER]: key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    await response.arrayBuffer();
    return response.status;
  };
}
