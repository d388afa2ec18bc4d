/** The SigNoz ingestion-key API client against the loopback stand-in of SigNoz's routes and payloads. */
import { RotationErrorCode } from '../../../../lambdas/ingestion-key-rotation/errors';
import { signozKeyApi } from '../../../../lambdas/ingestion-key-rotation/signoz-keys';
import { deadPort } from '../../../../scripts/local/otlp-receiver';
import { type SignozStandIn, startSignozStandIn } from '../../../support/signoz-stand-in';

let signoz: SignozStandIn;
beforeAll(async () => {
  signoz = await startSignozStandIn();
});
afterAll(async () => {
  await signoz.close();
});
beforeEach(() => signoz.reset());

const api = (apiKey = signoz.apiKey) => signozKeyApi({ baseUrl: signoz.apiUrl, apiKey: async () => apiKey });

describe('signozKeyApi', () => {
  it('creates a key (201, {id, value}) that the collector then accepts, and finds it by name, value and id', async () => {
    const created = await api().create('trading-observability-abc', ['trading-observability']);
    expect(signoz.liveKey(created.value)).toMatchObject({ id: created.id, tags: ['trading-observability'] });
    expect(signoz.apiLog).toEqual(['POST /api/v2/gateway/ingestion_keys']);
    expect(await api().findByName('trading-observability-abc')).toEqual(created);
    // Search matches substrings; the client keeps only the exact name.
    expect(await api().findByName('trading-observability-ab')).toBeUndefined();
    expect(await api().findByValue(created.value)).toEqual(created);
    expect(await api().findById(created.id)).toEqual(created);
  });

  it('reads every page of the key list', async () => {
    for (let i = 0; i < 120; i++) signoz.seedKey(`key-${i}`);
    const last = signoz.keys[119];
    expect(await api().findByValue(last?.value ?? '')).toMatchObject({ id: last?.id });
    expect(signoz.apiLog.filter((line) => line === 'GET /api/v2/gateway/ingestion_keys')).toHaveLength(3);
  });

  it('revokes a key (204), and counts one already gone (404) as revoked', async () => {
    const key = signoz.seedKey('old');
    expect(await api().revoke(key.id)).toBe('revoked');
    expect(signoz.liveKey(key.value)).toBeUndefined();
    expect(await api().revoke(key.id)).toBe('already-gone');
  });

  it('sends the API key in SIGNOZ-API-KEY: a wrong one is an error naming the status, never the key', async () => {
    const failure = api('wrong-key').create('x', []);
    await expect(failure).rejects.toMatchObject({
      code: RotationErrorCode.SIGNOZ_API,
      message: 'POST /api/v2/gateway/ingestion_keys answered HTTP 401: missing or invalid API key',
    });
    await expect(failure).rejects.not.toThrow(/wrong-key/);
  });

  it('reports an error status and an unreachable API as SIGNOZ_API errors', async () => {
    signoz.inject({ method: 'DELETE', path: /ingestion_keys\//, status: 502 });
    await expect(api().revoke('k')).rejects.toMatchObject({ message: expect.stringContaining('HTTP 502') });
    const dead = signozKeyApi({ baseUrl: `http://127.0.0.1:${await deadPort()}`, apiKey: async () => 'k' });
    await expect(dead.findByName('x')).rejects.toMatchObject({ code: RotationErrorCode.SIGNOZ_API });
  });
});
