/**
 * SigNoz's ingestion-key API, as SigNoz serves it (SigNoz/signoz, commit 9997c3da):
 * routes in pkg/apiserver/signozapiserver/gateway.go (`/api/v2/gateway/ingestion_keys`, role Editor or Admin),
 * handlers in pkg/gateway/handler.go, payloads in pkg/types/gatewaytypes/ingestionkey.go, the
 * `{"status":"success","data":…}` envelope in pkg/http/render/render.go, and the API-key header
 * `SIGNOZ-API-KEY` in pkg/identn/config.go. A key created without `expires_at` never expires (SigNoz's own
 * cloud integrations create theirs that way: ee/modules/cloudintegration/implcloudintegration/module.go).
 */
import * as z from '../shared/zod';
import { RotationError, RotationErrorCode } from './errors';

export const SIGNOZ_API_KEY_HEADER = 'SIGNOZ-API-KEY' as const;
const KEYS_PATH = '/api/v2/gateway/ingestion_keys';
const PER_PAGE = 50;
/** A workspace with more keys than this is not one this function should be scanning. */
const MAX_PAGES = 20;

export interface SignozKey {
  readonly id: string;
  readonly name: string;
  readonly value: string;
}

/** What the rotation needs from SigNoz's key API. */
export interface IngestionKeyApi {
  create(name: string, tags: readonly string[]): Promise<SignozKey>;
  /** The live key with exactly this name (the rotation names its keys after the rotation token). */
  findByName(name: string): Promise<SignozKey | undefined>;
  /** The live key with this value (a key an operator put in the secret by hand has no recorded id). */
  findByValue(value: string): Promise<SignozKey | undefined>;
  findById(id: string): Promise<SignozKey | undefined>;
  /** Deletes the key; one already gone counts as revoked. */
  revoke(id: string): Promise<'revoked' | 'already-gone'>;
}

const keySchema = z.object({ id: z.string().check(z.minLength(1)), name: z.string(), value: z.string() });
const listSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    keys: z.nullable(z.array(keySchema)),
    _pagination: z.object({ page: z.number(), pages: z.number() }),
  }),
});
const createdSchema = z.object({
  status: z.literal('success'),
  data: z.object({ id: z.string().check(z.minLength(1)), value: z.string().check(z.minLength(1)) }),
});

export interface SignozKeyApiOptions {
  /** e.g. https://<tenant>.<region>.signoz.cloud */
  readonly baseUrl: string;
  /** Read lazily: a sweep with nothing to revoke never reads the API key. */
  readonly apiKey: () => Promise<string>;
  /** @default 10 000 ms per request */
  readonly timeoutMs?: number;
}

export function signozKeyApi(options: SignozKeyApiOptions): IngestionKeyApi {
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { [SIGNOZ_API_KEY_HEADER]: await options.apiKey() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${options.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new RotationError(
        RotationErrorCode.SIGNOZ_API,
        `${method} ${path.split('?')[0]}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  }

  function failure(method: string, path: string, status: number, json: unknown): RotationError {
    const detail = (json as { error?: { message?: unknown } } | undefined)?.error?.message;
    const message = typeof detail === 'string' ? `: ${detail.slice(0, 200)}` : '';
    return new RotationError(
      RotationErrorCode.SIGNOZ_API,
      `${method} ${path.split('?')[0]} answered HTTP ${status}${message}`,
    );
  }

  async function list(path: string, query: Record<string, string>): Promise<SignozKey[]> {
    const keys: SignozKey[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const search = new URLSearchParams({ ...query, page: String(page), per_page: String(PER_PAGE) });
      const target = `${path}?${search}`;
      const { status, json } = await call('GET', target);
      if (status !== 200) throw failure('GET', target, status, json);
      const parsed = listSchema.safeParse(json);
      if (!parsed.success) throw failure('GET', target, status, { error: { message: 'unexpected body' } });
      keys.push(...(parsed.data.data.keys ?? []));
      if (page >= parsed.data.data._pagination.pages) return keys;
    }
    throw new RotationError(RotationErrorCode.SIGNOZ_API, `more than ${MAX_PAGES * PER_PAGE} ingestion keys`);
  }

  return {
    async create(name, tags) {
      const { status, json } = await call('POST', KEYS_PATH, { name, tags });
      if (status !== 201 && status !== 200) throw failure('POST', KEYS_PATH, status, json);
      const parsed = createdSchema.safeParse(json);
      if (!parsed.success)
        throw failure('POST', KEYS_PATH, status, { error: { message: 'unexpected body' } });
      return { id: parsed.data.data.id, name, value: parsed.data.data.value };
    },
    async findByName(name) {
      const keys = await list(`${KEYS_PATH}/search`, { name });
      return keys.find((key) => key.name === name);
    },
    async findByValue(value) {
      return (await list(KEYS_PATH, {})).find((key) => key.value === value);
    },
    async findById(id) {
      return (await list(KEYS_PATH, {})).find((key) => key.id === id);
    },
    async revoke(id) {
      const path = `${KEYS_PATH}/${encodeURIComponent(id)}`;
      const { status, json } = await call('DELETE', path);
      if (status === 204 || status === 200) return 'revoked';
      if (status === 404) return 'already-gone';
      throw failure('DELETE', path, status, json);
    },
  };
}
