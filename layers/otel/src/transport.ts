import type { Agent as HttpAgent, IncomingMessage, RequestOptions } from 'node:http';

export class ExportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExportError';
  }
}

type RequestFn = (
  url: URL,
  options: RequestOptions,
  callback: (response: IncomingMessage) => void,
) => import('node:http').ClientRequest;

interface Transport {
  request: RequestFn;
  agent: HttpAgent;
}

const transports: Partial<Record<'http:' | 'https:', Transport>> = {};

/** `node:http(s)` loaded on first export (not at init); one keep-alive agent reused across invocations. */
function transportFor(protocol: string): Transport {
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new ExportError(`unsupported protocol ${protocol}`);
  let transport = transports[protocol];
  if (!transport) {
    const module = protocol === 'https:' ? require('node:https') : require('node:http');
    transport = {
      request: module.request as RequestFn,
      agent: new module.Agent({ keepAlive: true, maxSockets: 2 }) as HttpAgent,
    };
    transports[protocol] = transport;
  }
  return transport;
}

/**
 * POSTs an OTLP/JSON body once, with a hard deadline (the abort signal) and no retries: a slow or dead
 * collector costs an invocation at most the bound, never the exporter's back-off.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    if (signal.aborted) {
      reject(new ExportError('export aborted before it started'));
      return;
    }
    let target: URL;
    try {
      target = new URL(url);
    } catch (error) {
      reject(new ExportError(`invalid endpoint ${url}`, { cause: error }));
      return;
    }
    const { request, agent } = transportFor(target.protocol);
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        signal,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new ExportError(`collector answered HTTP ${status}`));
        });
        response.on('error', (error) => reject(new ExportError('response failed', { cause: error })));
      },
    );
    req.on('error', (error) => reject(new ExportError(`export failed: ${error.message}`, { cause: error })));
    req.end(body);
  });
}
