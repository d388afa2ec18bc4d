import type { Socket } from 'node:net';
import { TelemetryError, TelemetryErrorCode } from './errors';

/** The collector could not be reached, or answered with an error. */
export class ExportError extends TelemetryError {
  override readonly name = 'ExportError';
  /** The collector's HTTP status when it answered with a non-2xx one. */
  readonly status: number | undefined;

  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(TelemetryErrorCode.EXPORT_FAILED, message, options);
    this.status = options?.status;
  }
}

/** The collector refused the credentials (401/403): a rotated ingestion key, for instance. */
export function isAuthRefusal(error: unknown): boolean {
  return error instanceof ExportError && (error.status === 401 || error.status === 403);
}

/**
 * A minimal HTTP/1.1 POST over `node:net` / `node:tls`. Why not `node:http`: on a cold start, loading
 * `node:http` and making its first request cost ~30 ms on the benchmark machine against ~8 ms for a raw
 * socket (docs/benchmarks.md); the export only needs one POST and the status code back, and the layer's
 * two AWS reads (aws-json-request.ts) one POST and a small JSON answer.
 * The modules are required on first export (not at init); one keep-alive connection per origin is
 * reused across invocations.
 */
interface Origin {
  readonly key: string;
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
}

/** Idle keep-alive connections, one per origin (exports are sequential: one per invocation). */
const idle = new Map<string, Socket>();

type Connect = (origin: Origin) => Socket;
const connectors: Partial<Record<'net' | 'tls', Connect>> = {};

function connect(origin: Origin): Socket {
  const kind = origin.secure ? 'tls' : 'net';
  let connector = connectors[kind];
  if (!connector) {
    if (origin.secure) {
      const tls = require('node:tls') as typeof import('node:tls');
      connector = ({ host, port }) =>
        tls.connect({
          host,
          port,
          // SNI must not be an IP address.
          ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
          ALPNProtocols: ['http/1.1'],
        });
    } else {
      const net = require('node:net') as typeof import('node:net');
      connector = ({ host, port }) => net.connect({ host, port });
    }
    connectors[kind] = connector;
  }
  const socket = connector(origin);
  socket.setNoDelay(true);
  return socket;
}

function originOf(target: URL): Origin {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new ExportError(`unsupported protocol ${target.protocol}`);
  }
  const secure = target.protocol === 'https:';
  // URL keeps IPv6 hosts in brackets; sockets want them bare.
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.port ? Number(target.port) : secure ? 443 : 80;
  return { key: `${target.protocol}//${host}:${port}`, secure, host, port };
}

function requestHead(
  target: URL,
  body: string,
  headers: Record<string, string>,
  contentType: string,
): string {
  if (/[\r\n]/.test(contentType)) throw new ExportError('invalid content type');
  let head =
    `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
    `Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new ExportError(`invalid header ${name}`);
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}

const HEAD_END = Buffer.from('\r\n\r\n');
/** An answer larger than this is not an OTLP (or small AWS JSON) response; the connection is dropped. */
const MAX_RESPONSE_BYTES = 1 << 20;

interface ParsedResponse {
  readonly status: number;
  readonly reusable: boolean;
  /** The body, when the reader keeps it. */
  readonly body?: Buffer;
}

/**
 * Incremental response reader: the status line, then the body framed by Content-Length or chunked
 * encoding (kept only if asked), or until close. `feed` returns the response once complete.
 */
class ResponseReader {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly chunks: Buffer[] = [];
  private status = 0;
  private headerDone = false;
  private remaining = -1;
  private chunked = false;
  private keepAlive = true;
  received = 0;

  constructor(private readonly keepBody: boolean) {}

  private done(reusable: boolean, body: Buffer | undefined): ParsedResponse {
    return this.keepBody
      ? { status: this.status, reusable, body: body ?? Buffer.alloc(0) }
      : { status: this.status, reusable };
  }

  feed(chunk: Buffer): ParsedResponse | undefined {
    this.received += chunk.length;
    if (this.received > MAX_RESPONSE_BYTES) throw new ExportError('collector response too large');
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (!this.headerDone && !this.readHead()) return undefined;
    return this.readBody();
  }

  /** At the connection's end: a response without a length is complete now. */
  end(): ParsedResponse | undefined {
    if (this.headerDone && this.remaining < 0 && !this.chunked) return this.done(false, this.buffer);
    return undefined;
  }

  private readHead(): boolean {
    for (;;) {
      const end = this.buffer.indexOf(HEAD_END);
      if (end < 0) return false;
      const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      this.buffer = this.buffer.subarray(end + HEAD_END.length);
      const match = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
      if (!match) throw new ExportError(`not an HTTP response: ${(lines[0] ?? '').slice(0, 40)}`);
      const status = Number(match[2]);
      // 1xx interim responses (e.g. 100 Continue) precede the real one.
      if (status < 200) continue;
      this.status = status;
      this.keepAlive = match[1] === '1';
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line
          .slice(colon + 1)
          .trim()
          .toLowerCase();
        if (name === 'content-length') this.remaining = Number(value);
        else if (name === 'transfer-encoding') this.chunked = value.includes('chunked');
        else if (name === 'connection') this.keepAlive = !value.includes('close');
      }
      if (this.chunked) this.remaining = -1;
      else if (!Number.isSafeInteger(this.remaining)) this.remaining = -1;
      // No body for these, whatever the headers say.
      if (status === 204 || status === 304) this.remaining = 0;
      this.headerDone = true;
      return true;
    }
  }

  private readBody(): ParsedResponse | undefined {
    if (this.chunked) return this.readChunks();
    if (this.remaining < 0) return undefined; // until close
    if (this.buffer.length < this.remaining) return undefined;
    return this.done(
      this.keepAlive && this.buffer.length === this.remaining,
      this.buffer.subarray(0, this.remaining),
    );
  }

  private readChunks(): ParsedResponse | undefined {
    for (;;) {
      const lineEnd = this.buffer.indexOf('\r\n');
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(this.buffer.subarray(0, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size) || size < 0) throw new ExportError('malformed chunked response');
      if (size === 0) {
        // The last chunk, optional trailers, then an empty line.
        const rest = this.buffer.subarray(lineEnd + 2);
        if (rest.length >= 2 && rest[0] === 13 && rest[1] === 10) {
          return this.done(this.keepAlive && rest.length === 2, Buffer.concat(this.chunks));
        }
        if (rest.indexOf(HEAD_END) < 0) return undefined;
        return this.done(false, Buffer.concat(this.chunks));
      }
      if (this.buffer.length < lineEnd + 2 + size + 2) return undefined;
      if (this.keepBody) this.chunks.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      this.buffer = this.buffer.subarray(lineEnd + 2 + size + 2);
    }
  }
}

/** Sends the request on `socket` and reads the response; `reused`: an idle keep-alive connection. */
function exchange(
  socket: Socket,
  origin: Origin,
  payload: string,
  signal: AbortSignal,
  reused: boolean,
  keepBody: boolean,
): Promise<{ response: ParsedResponse } | { staleSocket: true }> {
  return new Promise((resolve, reject) => {
    const reader = new ResponseReader(keepBody);
    let settled = false;
    const cleanup = () => {
      settled = true;
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('close', onClose);
      socket.removeListener('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const finish = (response: ParsedResponse) => {
      cleanup();
      if (response.reusable && !socket.destroyed) {
        socket.on('error', dropIdle);
        socket.once('close', dropIdle);
        // An idle connection must not keep the process (or a test runner) alive.
        socket.unref();
        idle.set(origin.key, socket);
      } else {
        socket.destroy();
      }
      resolve({ response });
    };
    const fail = (error: Error) => {
      if (settled) return;
      cleanup();
      socket.destroy();
      reject(error);
    };
    const dropIdle = () => {
      if (idle.get(origin.key) === socket) idle.delete(origin.key);
      socket.destroy();
    };
    const onData = (chunk: Buffer) => {
      try {
        const response = reader.feed(chunk);
        if (response) finish(response);
      } catch (error) {
        fail(error as Error);
      }
    };
    const closedEarly = (error?: Error) => {
      if (settled) return;
      const response = reader.end();
      if (response) {
        finish(response);
        return;
      }
      if (reused && reader.received === 0) {
        // The collector closed the idle connection (e.g. while the environment was frozen): not a failure.
        cleanup();
        socket.destroy();
        resolve({ staleSocket: true });
        return;
      }
      fail(
        new ExportError(`export failed: ${error?.message ?? 'connection closed before the response'}`, {
          cause: error,
        }),
      );
    };
    const onEnd = () => closedEarly();
    const onClose = () => closedEarly();
    const onError = (error: Error) => closedEarly(error);
    const onAbort = () => fail(new ExportError('export aborted: the operation was aborted'));
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onClose);
    socket.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.ref();
    socket.write(payload);
  });
}

export interface PostOptions {
  /** @default 'application/json' */
  readonly contentType?: string;
  /** Keep the response body (at most 1 MiB); otherwise it is read and discarded. @default false */
  readonly keepBody?: boolean;
}

export interface PostResponse {
  readonly status: number;
  /** The body as UTF-8, when `keepBody` was asked. */
  readonly body?: string;
}

/**
 * POSTs a body once, with a hard deadline (the abort signal) and no retries: a slow or dead server costs
 * an invocation at most the bound, never a client's back-off. (A keep-alive connection the server closed
 * while idle is replaced by a fresh one: that is not a retry of a failed request.) Any status is returned.
 */
export async function postRequest(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  options: PostOptions = {},
): Promise<PostResponse> {
  if (signal.aborted) throw new ExportError('export aborted before it started');
  let target: URL;
  try {
    target = new URL(url);
  } catch (error) {
    throw new ExportError(`invalid endpoint ${url}`, { cause: error });
  }
  const origin = originOf(target);
  const payload = requestHead(target, body, headers, options.contentType ?? 'application/json') + body;
  const keepBody = options.keepBody === true;
  const pooled = idle.get(origin.key);
  idle.delete(origin.key);
  if (pooled && !pooled.destroyed) {
    pooled.removeAllListeners('error');
    pooled.removeAllListeners('close');
    const outcome = await exchange(pooled, origin, payload, signal, true, keepBody);
    if ('response' in outcome) return toResponse(outcome.response);
  }
  const outcome = await exchange(connect(origin), origin, payload, signal, false, keepBody);
  if ('response' in outcome) return toResponse(outcome.response);
  throw new ExportError('export failed: connection closed before the response');
}

/**
 * Opens a connection to `url`'s origin ahead of the first request and parks it as idle, so the first export
 * finds the TCP (and, to an https collector, TLS) handshake done: opened at cold init, it completes while the
 * invocation waits for its sampling configuration and runs the handler, instead of delaying the export.
 * Never throws. A connection that fails or closes before use is dropped, and the request opens a fresh one,
 * as for any idle connection the collector closed.
 */
export function preconnect(url: string): void {
  try {
    const origin = originOf(new URL(url));
    if (idle.has(origin.key)) return;
    const socket = connect(origin);
    const drop = () => {
      if (idle.get(origin.key) === socket) idle.delete(origin.key);
      socket.destroy();
    };
    socket.on('error', drop);
    socket.once('close', drop);
    socket.unref();
    idle.set(origin.key, socket);
  } catch {
    // An invalid endpoint fails the export itself, which says why.
  }
}

function toResponse(response: ParsedResponse): PostResponse {
  return response.body === undefined
    ? { status: response.status }
    : { status: response.status, body: response.body.toString('utf8') };
}

/** POSTs an OTLP/JSON body once (see `postRequest`); a status other than 2xx is an ExportError. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<number> {
  const { status } = await postRequest(url, body, headers, signal);
  if (status >= 200 && status < 300) return status;
  throw new ExportError(`collector answered HTTP ${status}`, { status });
}
