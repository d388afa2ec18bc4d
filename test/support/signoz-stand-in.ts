/**
 * A loopback stand-in of SigNoz for the ingestion-key rotation: the ingestion-key API as SigNoz serves it
 * (pkg/apiserver/signozapiserver/gateway.go, pkg/gateway/handler.go, pkg/types/gatewaytypes/ingestionkey.go:
 * `/api/v2/gateway/ingestion_keys`, the `{"status":"success","data":…}` envelope, the `SIGNOZ-API-KEY`
 * header of pkg/identn/config.go) and an OTLP/HTTP collector that accepts a trace export only with a live key
 * in `signoz-ingestion-key` (401 otherwise, as an ingestion gateway answers an unknown key). Two real HTTP
 * servers on 127.0.0.1 over one key store.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredKey {
  readonly id: string;
  readonly name: string;
  readonly value: string;
  readonly tags: readonly string[];
  readonly createdAt: string;
  deletedAt?: number;
}

export interface CollectorTally {
  accepted: number;
  /** Exports refused because their key was not live (injected refusals are counted apart). */
  refused: number;
  /** Exports refused by an injected fault (`refuseNext`). */
  injectedRefusals: number;
  /** Refused exports by the key they carried ('' when none). */
  readonly refusedKeys: string[];
  /** Accepted exports by key value. */
  readonly acceptedByKey: Map<string, number>;
}

/** A fault the next matching API request answers with instead of being served. */
export interface InjectedFault {
  readonly method: string;
  /** Matched against the request path (without the query). */
  readonly path: RegExp;
  readonly status: number;
  /** How many requests it applies to. @default 1 */
  times?: number;
}

export interface SignozStandIn {
  readonly apiUrl: string;
  readonly collectorUrl: string;
  readonly apiKey: string;
  readonly keys: StoredKey[];
  readonly collector: CollectorTally;
  /** Every API request, in order: `METHOD path`. */
  readonly apiLog: string[];
  /** Adds a live key as if created in SigNoz's UI (the key the stack started with). */
  seedKey(name: string, value?: string): StoredKey;
  liveKey(value: string): StoredKey | undefined;
  inject(fault: InjectedFault): void;
  /** The collector refuses the next `times` exports that carry `key` (a key not yet propagated, say). */
  refuseNext(key: string, times: number): void;
  /** The status the collector answers for a refused key: 401 by default (403 also tested). */
  refusalStatus: number;
  /** Forgets every key, fault and count (one stand-in serves a whole test file). */
  reset(): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function failure(response: ServerResponse, status: number, code: string, message: string): void {
  send(response, status, { status: 'error', error: { code, message } });
}

function view(key: StoredKey) {
  return {
    id: key.id,
    name: key.name,
    value: key.value,
    expires_at: '0001-01-01T00:00:00Z',
    tags: key.tags,
    created_at: key.createdAt,
    updated_at: key.createdAt,
    workspace_id: 'ws-stand-in',
    limits: [],
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startSignozStandIn(): Promise<SignozStandIn> {
  const keys: StoredKey[] = [];
  const faults: InjectedFault[] = [];
  const apiLog: string[] = [];
  const apiKey = `signoz-api-${randomBytes(8).toString('hex')}`;
  const collector: CollectorTally = {
    accepted: 0,
    refused: 0,
    injectedRefusals: 0,
    refusedKeys: [],
    acceptedByKey: new Map(),
  };
  const refusals = new Map<string, number>();
  const state = { refusalStatus: 401 };
  const live = () => keys.filter((key) => key.deletedAt === undefined);

  const api = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      const method = request.method ?? 'GET';
      apiLog.push(`${method} ${url.pathname}`);
      const body = await readBody(request);
      const fault = faults.find((f) => f.method === method && f.path.test(url.pathname));
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
        failure(response, fault.status, 'injected', `injected ${fault.status}`);
        return;
      }
      if (request.headers['signoz-api-key'] !== apiKey) {
        failure(response, 401, 'unauthenticated', 'missing or invalid API key');
        return;
      }
      const base = '/api/v2/gateway/ingestion_keys';
      const page = (selected: StoredKey[]) => {
        const perPage = Number(url.searchParams.get('per_page') ?? 10);
        const pageNo = Number(url.searchParams.get('page') ?? 1);
        const slice = selected.slice((pageNo - 1) * perPage, pageNo * perPage);
        send(response, 200, {
          status: 'success',
          data: {
            keys: slice.map(view),
            _pagination: {
              page: pageNo,
              per_page: perPage,
              pages: Math.max(1, Math.ceil(selected.length / perPage)),
              total: selected.length,
            },
          },
        });
      };
      if (method === 'GET' && url.pathname === base) return page(live());
      if (method === 'GET' && url.pathname === `${base}/search`) {
        const name = url.searchParams.get('name') ?? '';
        return page(live().filter((key) => key.name.includes(name)));
      }
      if (method === 'POST' && url.pathname === base) {
        const parsed = JSON.parse(body || '{}') as { name?: string; tags?: string[] };
        if (!parsed.name) return failure(response, 400, 'invalid_input', 'name is required');
        const created: StoredKey = {
          id: randomUUID(),
          name: parsed.name,
          value: randomBytes(24).toString('base64url'),
          tags: parsed.tags ?? [],
          createdAt: new Date().toISOString(),
        };
        keys.push(created);
        return send(response, 201, { status: 'success', data: { id: created.id, value: created.value } });
      }
      const match = new RegExp(`^${base}/([^/]+)$`).exec(url.pathname);
      if (method === 'DELETE' && match) {
        const key = live().find((k) => k.id === decodeURIComponent(match[1] ?? ''));
        if (!key) return failure(response, 404, 'not_found', 'ingestion key not found');
        key.deletedAt = Date.now();
        return send(response, 204);
      }
      failure(response, 404, 'not_found', `no route ${method} ${url.pathname}`);
    })().catch((error: unknown) => failure(response, 500, 'internal', String(error)));
  });

  const otlp = createServer((request, response) => {
    void (async () => {
      await readBody(request);
      const header = request.headers['signoz-ingestion-key'];
      const value = typeof header === 'string' ? header : '';
      if (request.method !== 'POST' || request.url !== '/v1/traces') return send(response, 404, {});
      const injected = refusals.get(value) ?? 0;
      if (injected > 0) {
        refusals.set(value, injected - 1);
        collector.injectedRefusals += 1;
        return send(response, 401, {});
      }
      if (!live().some((key) => key.value === value)) {
        collector.refused += 1;
        collector.refusedKeys.push(value);
        return send(response, state.refusalStatus, {});
      }
      collector.accepted += 1;
      collector.acceptedByKey.set(value, (collector.acceptedByKey.get(value) ?? 0) + 1);
      send(response, 200, {});
    })();
  });

  const [apiUrl, collectorUrl] = await Promise.all([listen(api), listen(otlp)]);
  return {
    apiUrl,
    collectorUrl,
    apiKey,
    keys,
    collector,
    apiLog,
    seedKey(name, value = randomBytes(24).toString('base64url')) {
      const key: StoredKey = { id: randomUUID(), name, value, tags: [], createdAt: new Date().toISOString() };
      keys.push(key);
      return key;
    },
    liveKey: (value) => live().find((key) => key.value === value),
    inject: (fault) => {
      faults.push(fault);
    },
    refuseNext: (key, times) => {
      refusals.set(key, times);
    },
    reset() {
      keys.length = 0;
      faults.length = 0;
      apiLog.length = 0;
      refusals.clear();
      Object.assign(collector, { accepted: 0, refused: 0, injectedRefusals: 0 });
      collector.refusedKeys.length = 0;
      collector.acceptedByKey.clear();
      state.refusalStatus = 401;
    },
    get refusalStatus() {
      return state.refusalStatus;
    },
    set refusalStatus(status: number) {
      state.refusalStatus = status;
    },
    close: async () => {
      for (const server of [api, otlp]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
