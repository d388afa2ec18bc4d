/**
 * The layer's minimal HTTP/1.1 client (layers/otel/src/transport.ts) against hand-written collector
 * answers on loopback: framing (Content-Length, chunked, until close, 1xx), keep-alive reuse, a
 * connection the collector closed while idle, status errors, the abort bound and header injection.
 */

import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { ExportError, postJson, postRequest, preconnect } from '../../../layers/otel/src/transport';

interface Collector {
  readonly url: string;
  readonly requests: string[];
  connections: number;
  close(): Promise<void>;
}

/**
 * A TCP server that answers every complete request with `answer(requestIndex, socket)`; `refuse(n)` closes
 * the n-th connection (1-based) as soon as it is accepted.
 */
async function collector(
  answer: (index: number, socket: Socket) => void,
  refuse: (connection: number) => boolean = () => false,
): Promise<Collector> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server: Server = createServer((socket) => {
    state.connections += 1;
    if (refuse(state.connections)) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buffer.slice(0, headEnd))?.[1] ?? 0);
        if (buffer.length < headEnd + 4 + length) return;
        requests.push(buffer.slice(0, headEnd + 4 + length));
        buffer = buffer.slice(headEnd + 4 + length);
        answer(requests.length - 1, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    requests,
    get connections() {
      return state.connections;
    },
    set connections(value: number) {
      state.connections = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}';
const bound = () => AbortSignal.timeout(2_000);

describe('postJson', () => {
  let server: Collector | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends one POST with the body, length and headers, and reuses the connection', async () => {
    server = await collector((_, socket) => socket.write(OK));
    const body = JSON.stringify({ resourceSpans: [{ note: 'é' }] });
    await expect(postJson(server.url, body, { 'signoz-ingestion-key': 'k-1' }, bound())).resolves.toBe(200);
    await expect(postJson(server.url, body, {}, bound())).resolves.toBe(200);

    expect(server.connections).toBe(1);
    const [first] = server.requests;
    expect(first?.startsWith('POST /v1/traces HTTP/1.1\r\n')).toBe(true);
    expect(first).toContain(`\r\nHost: ${new URL(server.url).host}\r\n`);
    expect(first).toContain(`\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`);
    expect(first).toContain('\r\nsignoz-ingestion-key: k-1\r\n');
    // The collector reads bytes (latin1): the UTF-8 body arrives byte for byte, as many as announced.
    expect(first?.endsWith(`\r\n\r\n${Buffer.from(body).toString('latin1')}`)).toBe(true);
  });

  it('reads a chunked answer to its end and keeps the connection', async () => {
    server = await collector((_, socket) =>
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n3\r\nabc\r\n0\r\n\r\n'),
    );
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(200);
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(200);
    expect(server.connections).toBe(1);
  });

  it('reads an answer split across packets', async () => {
    server = await collector((_, socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-');
      setTimeout(() => socket.write('Length: 4\r\n\r\n{'), 10);
      setTimeout(() => socket.write('"a"'), 20);
    });
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(200);
  });

  it('takes an answer without a length as ending with the connection', async () => {
    server = await collector((_, socket) => socket.end('HTTP/1.0 200 OK\r\n\r\n{"partialSuccess":{}}'));
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(200);
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(200);
    expect(server.connections).toBe(2);
  });

  it('skips an interim 100 Continue and takes a 204 without a body', async () => {
    server = await collector((_, socket) =>
      socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'),
    );
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(204);
  });

  it('rejects a non-2xx answer with the status', async () => {
    server = await collector((_, socket) =>
      socket.write('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n'),
    );
    const failure = postJson(server.url, '{}', {}, bound());
    await expect(failure).rejects.toThrow(ExportError);
    await expect(failure).rejects.toThrow('collector answered HTTP 503');
  });

  it('replaces a keep-alive connection the collector closed while idle, without failing the export', async () => {
    server = await collector((_, socket) =>
      socket.end(`${OK.replace('Content-Type', 'Connection: keep-alive\r\nX')}`),
    );
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(200);
    expect(server.connections).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up when the signal aborts (the collector never answers)', async () => {
    server = await collector(() => undefined);
    const started = performance.now();
    await expect(postJson(server.url, '{}', {}, AbortSignal.timeout(150))).rejects.toThrow(/abort/i);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('fails fast when nothing listens', async () => {
    const probe = await collector(() => undefined);
    const url = probe.url;
    await probe.close();
    await expect(postJson(url, '{}', {}, bound())).rejects.toThrow(/export failed: .*ECONNREFUSED/);
  });

  it('refuses header values that would inject lines, and unsupported protocols', async () => {
    server = await collector((_, socket) => socket.write(OK));
    await expect(postJson(server.url, '{}', { key: 'a\r\nX-Evil: 1' }, bound())).rejects.toThrow(
      'invalid header',
    );
    await expect(postJson('ftp://127.0.0.1/v1/traces', '{}', {}, bound())).rejects.toThrow(
      'unsupported protocol',
    );
    await expect(postJson('not a url', '{}', {}, bound())).rejects.toThrow('invalid endpoint');
    expect(server.requests).toHaveLength(0);
  });

  it('rejects an answer that is not HTTP', async () => {
    server = await collector((_, socket) => socket.write('SSH-2.0-OpenSSH\r\n\r\n'));
    await expect(postJson(server.url, '{}', {}, bound())).rejects.toThrow('not an HTTP response');
  });
});

describe("postRequest: any status, the body kept when asked (the layer's AWS JSON reads)", () => {
  let server: Collector | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('returns the body framed by Content-Length, by chunks and by the connection, and the content type sent', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{"Item":"é"}',
      'HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"__t\r\n9\r\nype":"x"}\r\n0\r\n\r\n',
    ];
    server = await collector((index, socket) => socket.write(answers[index] ?? ''));
    const options = { contentType: 'application/x-amz-json-1.0', keepBody: true };
    await expect(postRequest(server.url, '{}', {}, bound(), options)).resolves.toEqual({
      status: 200,
      body: '{"Item":"é"}',
    });
    await expect(postRequest(server.url, '{}', {}, bound(), options)).resolves.toEqual({
      status: 400,
      body: '{"__type":"x"}',
    });
    expect(server.connections).toBe(1);
    expect(server.requests[0]).toContain('\r\nContent-Type: application/x-amz-json-1.0\r\n');
    await server.close();
    server = await collector((_, socket) => socket.end('HTTP/1.0 503 Unavailable\r\n\r\n{"m":1}'));
    await expect(postRequest(server.url, '{}', {}, bound(), options)).resolves.toEqual({
      status: 503,
      body: '{"m":1}',
    });
    // Without keepBody only the status comes back.
    await expect(postRequest(server.url, '{}', {}, bound())).resolves.toEqual({ status: 503 });
  });
});

describe('preconnect', () => {
  let server: Collector | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it('opens the connection before the first request, which then uses it', async () => {
    server = await collector((_, socket) => socket.write(OK));
    preconnect(server.url);
    const collectorSide = server;
    await until(() => collectorSide.connections === 1);
    expect(server.connections).toBe(1);
    expect(server.requests).toHaveLength(0);
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(200);
    expect(server.connections).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('opens one connection per origin however often it is asked', async () => {
    server = await collector((_, socket) => socket.write(OK));
    preconnect(server.url);
    preconnect(server.url);
    await postJson(server.url, '{}', {}, bound());
    expect(server.connections).toBe(1);
  });

  it('falls back to a fresh connection when the collector closed the early one', async () => {
    server = await collector(
      (_, socket) => socket.write(OK),
      (connection) => connection === 1,
    );
    preconnect(server.url);
    const collectorSide = server;
    await until(() => collectorSide.connections === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(postJson(server.url, '{}', {}, bound())).resolves.toBe(200);
    expect(server.connections).toBe(2);
    expect(server.requests).toHaveLength(1);
  });

  it('never throws, and a post where nothing listens still fails fast with an ExportError', async () => {
    const nothing = await collector(() => undefined);
    const url = nothing.url;
    await nothing.close();
    expect(() => preconnect(url)).not.toThrow();
    expect(() => preconnect('not a url')).not.toThrow();
    expect(() => preconnect('ftp://127.0.0.1:1/x')).not.toThrow();
    await expect(postJson(url, '{}', {}, bound())).rejects.toBeInstanceOf(ExportError);
  });
});
