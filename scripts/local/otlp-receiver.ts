import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OtlpTraceRequest } from '../../layers/otel/src/otlp-json';

export interface ReceivedExport {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: OtlpTraceRequest;
}

export interface OtlpReceiver {
  readonly url: string;
  readonly received: ReceivedExport[];
  /** Status to answer with (200 by default; 500/429 to simulate a failing collector). */
  status: number;
  /** Delay before answering, to simulate a slow collector. */
  delayMs: number;
  close(): Promise<void>;
}

/** An in-process OTLP/HTTP JSON collector on loopback, for tests and benchmarks. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedExport[] = [];
  const state = { status: 200, delayMs: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        received.push({
          path: request.url ?? '',
          headers: request.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraceRequest,
        });
      } catch {
        // A malformed body is recorded as nothing; the test will see no export.
      }
      const answer = () => {
        response.writeHead(state.status, { 'content-type': 'application/json' });
        response.end('{}');
      };
      if (state.delayMs > 0) setTimeout(answer, state.delayMs).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening (bound, then released). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Flattens OTLP attributes into a plain object. */
export function attributesOf(
  attributes: ReadonlyArray<{ key: string; value: object }>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of attributes) {
    const [kind, inner] = Object.entries(value)[0] ?? [];
    out[key] = kind === 'intValue' ? Number(inner) : inner;
  }
  return out;
}
