/**
 * The rotation's pure steps over the Secrets Manager model (labels as Secrets Manager moves them) and an
 * in-memory key API: idempotency of each step, the guards, and the grace period's boundary.
 */
import { randomUUID } from 'node:crypto';
import { RotationError, RotationErrorCode } from '../../../../lambdas/ingestion-key-rotation/errors';
import { type RotationEvent, RotationStep } from '../../../../lambdas/ingestion-key-rotation/events';
import { Stage } from '../../../../lambdas/ingestion-key-rotation/secret-value';
import type { IngestionKeyApi, SignozKey } from '../../../../lambdas/ingestion-key-rotation/signoz-keys';
import { type RotationDeps, runStep, sweep } from '../../../../lambdas/ingestion-key-rotation/steps';
import {
  createSecretsModel,
  modelSecretStore,
  type SecretsModel,
} from '../../../../scripts/local/secrets-model';

const SECRET = 'trading-observability/signoz-ingestion-key';
const GRACE_MS = 30 * 60_000;
const T0 = Date.parse('2026-03-02T14:00:00Z');

interface FakeKeys extends IngestionKeyApi {
  readonly all: Array<SignozKey & { deleted?: boolean }>;
  created: number;
  failRevoke: Set<string>;
}

function fakeKeys(): FakeKeys {
  const all: Array<SignozKey & { deleted?: boolean }> = [];
  const live = () => all.filter((key) => !key.deleted);
  const api: FakeKeys = {
    all,
    created: 0,
    failRevoke: new Set(),
    async create(name) {
      api.created += 1;
      const key = { id: randomUUID(), name, value: `value-${randomUUID()}` };
      all.push(key);
      return key;
    },
    findByName: async (name) => live().find((key) => key.name === name),
    findByValue: async (value) => live().find((key) => key.value === value),
    findById: async (id) => live().find((key) => key.id === id),
    async revoke(id) {
      if (api.failRevoke.has(id))
        throw new RotationError(RotationErrorCode.SIGNOZ_API, 'DELETE answered HTTP 502');
      const key = live().find((k) => k.id === id);
      if (!key) return 'already-gone';
      key.deleted = true;
      return 'revoked';
    },
  };
  return api;
}

let model: SecretsModel;
let keys: FakeKeys;
let now: number;
let probed: string[];
let probeStatus: number[];
let warnings: string[];
let deps: RotationDeps;
let initial: SignozKey;

/** What RotateSecret does before invoking the function: an empty AWSPENDING version for a new token. */
function startRotation(): string {
  const token = randomUUID();
  model.secrets
    .get(SECRET)
    ?.versions.push({ id: token, value: undefined, stages: [Stage.PENDING], createdAt: now });
  return token;
}

const event = (step: RotationEvent['Step'], token: string): RotationEvent => ({
  Step: step,
  SecretId: model.secrets.get(SECRET)?.arn ?? SECRET,
  ClientRequestToken: token,
});

async function rotate(token = startRotation()) {
  for (const step of Object.values(RotationStep)) await runStep(event(step, token), deps);
  return token;
}

const value = (stage: string) => JSON.parse(model.valueAt(SECRET, stage) ?? 'null');

beforeEach(async () => {
  model = createSecretsModel();
  keys = fakeKeys();
  now = T0;
  probed = [];
  probeStatus = [];
  warnings = [];
  initial = await keys.create('made-in-the-ui', []);
  keys.created = 0;
  model.createSecret(SECRET, initial.value);
  model.enableRotation(SECRET, async () => undefined);
  deps = {
    store: modelSecretStore(model),
    keys,
    probe: async (key) => {
      probed.push(key);
      return probeStatus.shift() ?? 200;
    },
    config: {
      ingestionKeySecretId: SECRET,
      revocationGraceMs: GRACE_MS,
      keyNamePrefix: 'trading-observability-',
      testAttempts: 3,
      testRetryMs: 0,
    },
    now: () => now,
    sleep: async () => undefined,
    log: { info: () => undefined, warn: (message) => warnings.push(message) },
  };
});

describe('createSecret', () => {
  it('creates one key named after the token, however often it runs, and records the key it replaces', async () => {
    const token = startRotation();
    const first = await runStep(event(RotationStep.CREATE, token), deps);
    const again = await runStep(event(RotationStep.CREATE, token), deps);
    expect(first.outcome).toBe('created');
    expect(again.outcome).toBe('already-created');
    expect(keys.created).toBe(1);
    const pending = JSON.parse(
      model.secrets.get(SECRET)?.versions.find((v) => v.id === token)?.value ?? '{}',
    );
    expect(pending).toMatchObject({
      keyName: `trading-observability-${token}`,
      keyId: keys.all[1]?.id,
      ingestionKey: keys.all[1]?.value,
      previousKeyId: initial.id,
    });
    expect(model.valueAt(SECRET, Stage.CURRENT)).toBe(initial.value);
  });

  it('reuses the key a failed attempt created in SigNoz (the pending version was not stored)', async () => {
    const token = startRotation();
    model.inject({ operation: 'PutSecretValue' });
    await expect(runStep(event(RotationStep.CREATE, token), deps)).rejects.toThrow('injected failure');
    const retried = await runStep(event(RotationStep.CREATE, token), deps);
    expect(retried.outcome).toBe('created-with-existing-key');
    expect(keys.created).toBe(1);
  });

  it('warns, and records no key to revoke, when the current key is not in SigNoz’s list', async () => {
    model.secrets.get(SECRET)?.versions.splice(0, 1, {
      id: randomUUID(),
      value: 'a-key-from-another-workspace',
      stages: [Stage.CURRENT],
      createdAt: now,
    });
    const token = await rotate();
    expect(warnings.join()).toMatch(/not in SigNoz’s key list/);
    expect(value(Stage.CURRENT).previousKeyId).toBeUndefined();
    expect(model.valueAt(SECRET, Stage.LEDGER)).toBeUndefined();
    expect(value(Stage.CURRENT).keyName).toBe(`trading-observability-${token}`);
  });
});

describe('the step guards', () => {
  it('refuses another secret, a secret without rotation, an unknown token, a token that is not pending', async () => {
    const token = startRotation();
    const other = model.createSecret('some/other-secret', 'x');
    await expect(
      runStep({ Step: RotationStep.CREATE, SecretId: other.arn, ClientRequestToken: token }, deps),
    ).rejects.toMatchObject({ code: RotationErrorCode.NOT_ROTATION_TARGET });
    await expect(runStep(event(RotationStep.CREATE, randomUUID()), deps)).rejects.toMatchObject({
      code: RotationErrorCode.VERSION_STATE,
    });
    const previous = model.secrets.get(SECRET)?.versions.find((v) => v.id !== token);
    if (previous) previous.stages = [Stage.PREVIOUS];
    await expect(runStep(event(RotationStep.SET, previous?.id ?? ''), deps)).rejects.toMatchObject({
      code: RotationErrorCode.VERSION_STATE,
    });
    const secret = model.secrets.get(SECRET);
    if (secret) secret.rotationEnabled = false;
    await expect(runStep(event(RotationStep.CREATE, token), deps)).rejects.toMatchObject({
      code: RotationErrorCode.NOT_ROTATION_TARGET,
    });
  });

  it('does nothing for a step on a token that is already current', async () => {
    const token = await rotate();
    const created = keys.created;
    for (const step of [RotationStep.CREATE, RotationStep.SET, RotationStep.TEST]) {
      expect((await runStep(event(step, token), deps)).outcome).toBe('already-current');
    }
    expect(keys.created).toBe(created);
  });
});

describe('setSecret and testSecret', () => {
  it('setSecret fails when SigNoz no longer has the pending key', async () => {
    const token = startRotation();
    await runStep(event(RotationStep.CREATE, token), deps);
    const made = keys.all.find((key) => key.name.endsWith(token));
    if (made) made.deleted = true;
    await expect(runStep(event(RotationStep.SET, token), deps)).rejects.toMatchObject({
      code: RotationErrorCode.KEY_MISSING,
    });
  });

  it('testSecret exports with the pending key, retrying while the collector refuses it', async () => {
    const token = startRotation();
    await runStep(event(RotationStep.CREATE, token), deps);
    probeStatus = [401, 200];
    const result = await runStep(event(RotationStep.TEST, token), deps);
    expect(result).toMatchObject({ outcome: 'accepted', attempts: 2 });
    const pendingKey = keys.all.find((key) => key.name.endsWith(token))?.value;
    expect(probed).toEqual([pendingKey, pendingKey]);

    probeStatus = [401, 403, 500];
    await expect(runStep(event(RotationStep.TEST, token), deps)).rejects.toMatchObject({
      code: RotationErrorCode.KEY_REFUSED,
      message: expect.stringContaining('after 3 attempts (last: HTTP 500)'),
    });
  });

  it('testSecret on an empty AWSPENDING version (rotation enabled without rotating) changes and exports nothing', async () => {
    const token = startRotation();
    expect((await runStep(event(RotationStep.TEST, token), deps)).outcome).toBe('no-pending-value');
    expect(probed).toEqual([]);
  });
});

describe('finishSecret', () => {
  it('never promotes an empty version', async () => {
    const token = startRotation();
    await expect(runStep(event(RotationStep.FINISH, token), deps)).rejects.toMatchObject({
      code: RotationErrorCode.SECRET_FORMAT,
    });
    expect(model.valueAt(SECRET, Stage.CURRENT)).toBe(initial.value);
  });

  it('promotes, labels the old version AWSPREVIOUS, and enters the old key once with revokeAfter = now + grace', async () => {
    const token = startRotation();
    for (const step of [RotationStep.CREATE, RotationStep.SET, RotationStep.TEST]) {
      await runStep(event(step, token), deps);
    }
    now = T0 + 7 * 60_000;
    const finished = await runStep(event(RotationStep.FINISH, token), deps);
    expect(finished).toMatchObject({ outcome: 'promoted', retiredKeyId: initial.id });
    expect(finished.revokeAfter).toBe(new Date(T0 + 7 * 60_000 + GRACE_MS).toISOString());
    expect(model.valueAt(SECRET, Stage.PREVIOUS)).toBe(initial.value);
    expect(value(Stage.CURRENT).keyId).toBe(finished.keyId);

    // Secrets Manager retries finishSecret later (its first answer was lost): same entry, same instant.
    now += 60 * 60_000;
    const retried = await runStep(event(RotationStep.FINISH, token), deps);
    expect(retried).toMatchObject({ outcome: 'already-current', revokeAfter: finished.revokeAfter });
    expect(value(Stage.LEDGER).retired).toHaveLength(1);
  });

  it('records the old key when retried after a failure between the move and the ledger write', async () => {
    const token = startRotation();
    for (const step of [RotationStep.CREATE, RotationStep.SET, RotationStep.TEST]) {
      await runStep(event(step, token), deps);
    }
    model.inject({ operation: 'PutSecretValue' });
    await expect(runStep(event(RotationStep.FINISH, token), deps)).rejects.toThrow('injected');
    expect(value(Stage.CURRENT).keyName).toBe(`trading-observability-${token}`);
    expect(model.valueAt(SECRET, Stage.LEDGER)).toBeUndefined();
    await runStep(event(RotationStep.FINISH, token), deps);
    expect(value(Stage.LEDGER).retired.map((entry: { keyId: string }) => entry.keyId)).toEqual([initial.id]);
  });
});

describe('the sweep', () => {
  it('revokes a replaced key at revokeAfter, not a millisecond before', async () => {
    now = T0;
    await rotate();
    const revokeAfter = T0 + GRACE_MS;
    now = revokeAfter - 1;
    expect(await sweep(deps)).toEqual({
      revoked: [],
      waiting: 1,
      nextRevocationAt: new Date(revokeAfter).toISOString(),
    });
    expect(keys.all[0]?.deleted).toBeUndefined();
    now = revokeAfter;
    expect(await sweep(deps)).toEqual({ revoked: [initial.id], waiting: 0 });
    expect(keys.all[0]?.deleted).toBe(true);
    expect(value(Stage.LEDGER).retired).toEqual([]);
  });

  it('with nothing in the ledger, reads nothing else and calls SigNoz for nothing', async () => {
    const calls = model.log.length;
    expect(await sweep(deps)).toEqual({ revoked: [], waiting: 0 });
    expect(model.log.slice(calls)).toEqual(['GetSecretValue']);
  });

  it('never revokes the current or the pending key, even when the ledger names it', async () => {
    await rotate();
    const currentId = value(Stage.CURRENT).keyId as string;
    model.call('PutSecretValue', {
      SecretId: SECRET,
      SecretString: JSON.stringify({
        retired: [
          { keyId: currentId, revokeAfter: new Date(T0).toISOString() },
          ...value(Stage.LEDGER).retired,
        ],
      }),
      VersionStages: [Stage.LEDGER],
    });
    now = T0 + 2 * GRACE_MS;
    const result = await sweep(deps);
    expect(result.revoked).toEqual([initial.id]);
    expect(result.waiting).toBe(1);
    expect(keys.all.find((key) => key.id === currentId)?.deleted).toBeUndefined();
    expect(warnings.join()).toMatch(/current or pending/);
  });

  it('keeps a key SigNoz failed to delete for the next sweep, revokes the others, and fails loudly', async () => {
    await rotate();
    const second = value(Stage.CURRENT).keyId as string;
    now += 60_000;
    await rotate();
    keys.failRevoke.add(initial.id);
    now = T0 + 2 * GRACE_MS;
    await expect(sweep(deps)).rejects.toMatchObject({ code: RotationErrorCode.REVOCATION_FAILED });
    expect(value(Stage.LEDGER).retired.map((entry: { keyId: string }) => entry.keyId)).toEqual([initial.id]);
    expect(keys.all.find((key) => key.id === second)?.deleted).toBe(true);
    keys.failRevoke.clear();
    expect((await sweep(deps)).revoked).toEqual([initial.id]);
  });

  it('counts a key already deleted in SigNoz as revoked', async () => {
    await rotate();
    const entry = keys.all[0];
    if (entry) entry.deleted = true;
    now = T0 + GRACE_MS;
    expect((await sweep(deps)).revoked).toEqual([initial.id]);
  });
});

describe('secrets in errors', () => {
  it('a malformed secret fails with SECRET_FORMAT, quoting none of its text', async () => {
    const secret = model.secrets.get(SECRET);
    const current = secret?.versions[0];
    if (current) current.value = '{"ingestionKey": "sk-live-LEAKED-IF-QUOTED"';
    const failure = runStep(event(RotationStep.CREATE, startRotation()), deps).catch(
      (error: unknown) => error,
    );
    const error = (await failure) as RotationError;
    expect(error).toMatchObject({ code: RotationErrorCode.SECRET_FORMAT });
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toMatch(/LEAKED/);
  });
});
