/**
 * The rotation's pure logic: Secrets Manager's four steps and the revocation sweep, over interfaces
 * (a secret store, SigNoz's key API, an export probe, a clock). Every step is idempotent: Secrets Manager
 * retries a failed step with the same token, and a retry must finish the work, never repeat it.
 *
 * - createSecret: a new SigNoz key named after the token (a retry finds it by name instead of creating a
 *   second one), stored as the AWSPENDING version with the id of the key it replaces.
 * - setSecret: SigNoz generated the key in createSecret; this step checks that it is still live there.
 * - testSecret: a real OTLP export with the pending key must be accepted by the collector.
 * - finishSecret: AWSCURRENT moves to the new version (the old one becomes AWSPREVIOUS), then the replaced key
 *   is entered in the revocation ledger with `revokeAfter` = now + grace period. A failure before the move
 *   leaves the current key current; nothing is revoked in any step.
 * - sweep (scheduled): revokes the ledger's keys whose grace period has passed, never a current or pending one.
 */
import type { RotationConfig } from './config';
import { RotationError, RotationErrorCode } from './errors';
import { type RotationEvent, RotationStep } from './events';
import type { ExportProbe } from './export-probe';
import type { SecretDescription, SecretStore } from './secret-store';
import {
  formatKeyValue,
  type IngestionKeyValue,
  type Ledger,
  parseKeyValue,
  parseLedger,
  type RetiredKey,
  Stage,
} from './secret-value';
import type { IngestionKeyApi } from './signoz-keys';

/** Tags on the keys the rotation creates, so they are recognisable in SigNoz's key list. */
export const ROTATED_KEY_TAGS = ['trading-observability', 'rotated'] as const;
/** The ledger refuses to grow past this: a sweep that never succeeds must surface, not accumulate. */
export const MAX_LEDGER_ENTRIES = 100;

export interface RotationLog {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
}

export interface RotationDeps {
  readonly store: SecretStore;
  readonly keys: IngestionKeyApi;
  readonly probe: ExportProbe;
  readonly config: Pick<
    RotationConfig,
    'ingestionKeySecretId' | 'revocationGraceMs' | 'keyNamePrefix' | 'testAttempts' | 'testRetryMs'
  >;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: RotationLog;
}

export interface StepResult {
  readonly step: RotationStep;
  readonly outcome: string;
  readonly keyId?: string;
  readonly retiredKeyId?: string;
  readonly revokeAfter?: string;
  readonly attempts?: number;
}

export interface SweepResult {
  readonly revoked: readonly string[];
  readonly waiting: number;
  readonly nextRevocationAt?: string;
}

function versionWith(description: SecretDescription, stage: string): string | undefined {
  return Object.entries(description.versions).find(([, stages]) => stages.includes(stage))?.[0];
}

function assertTarget(description: SecretDescription, configured: string): void {
  const matches =
    configured === description.name ||
    configured === description.arn ||
    description.arn.startsWith(`${configured}-`);
  if (!matches) {
    throw new RotationError(
      RotationErrorCode.NOT_ROTATION_TARGET,
      `this function rotates ${configured}, not ${description.name}`,
    );
  }
  if (!description.rotationEnabled) {
    throw new RotationError(
      RotationErrorCode.NOT_ROTATION_TARGET,
      `rotation is not enabled on ${description.name}`,
    );
  }
}

async function readPending(deps: RotationDeps, secretId: string, token: string): Promise<IngestionKeyValue> {
  const text = await deps.store.read(secretId, { versionId: token, stage: Stage.PENDING });
  if (text === undefined) {
    throw new RotationError(
      RotationErrorCode.VERSION_STATE,
      `version ${token} holds no pending key yet (createSecret)`,
    );
  }
  return parseKeyValue(text);
}

export async function runStep(event: RotationEvent, deps: RotationDeps): Promise<StepResult> {
  const { Step: step, SecretId: secretId, ClientRequestToken: token } = event;
  const description = await deps.store.describe(secretId);
  assertTarget(description, deps.config.ingestionKeySecretId);
  const stages = description.versions[token];
  if (!stages) throw new RotationError(RotationErrorCode.VERSION_STATE, `the secret has no version ${token}`);
  const isCurrent = stages.includes(Stage.CURRENT);
  // finishSecret goes on when already current: a retry after the move must still record the replaced key.
  if (isCurrent && step !== RotationStep.FINISH) return { step, outcome: 'already-current' };
  if (!isCurrent && !stages.includes(Stage.PENDING)) {
    throw new RotationError(RotationErrorCode.VERSION_STATE, `version ${token} is not AWSPENDING`);
  }
  switch (step) {
    case RotationStep.CREATE:
      return createSecret(deps, secretId, token);
    case RotationStep.SET:
      return setSecret(deps, secretId, token);
    case RotationStep.TEST:
      return testSecret(deps, secretId, token);
    case RotationStep.FINISH:
      return finishSecret(deps, secretId, token, description);
  }
}

async function createSecret(deps: RotationDeps, secretId: string, token: string): Promise<StepResult> {
  const step = RotationStep.CREATE;
  const currentText = await deps.store.read(secretId, { stage: Stage.CURRENT });
  if (currentText === undefined) {
    throw new RotationError(RotationErrorCode.SECRET_FORMAT, 'the secret has no AWSCURRENT value to rotate');
  }
  const current = parseKeyValue(currentText);
  const already = await deps.store.read(secretId, { versionId: token, stage: Stage.PENDING });
  if (already !== undefined) {
    return { step, outcome: 'already-created', keyId: parseKeyValue(already).keyId ?? '' };
  }
  const keyName = `${deps.config.keyNamePrefix}${token}`;
  const found = await deps.keys.findByName(keyName);
  const key = found ?? (await deps.keys.create(keyName, ROTATED_KEY_TAGS));
  const previousKeyId = current.keyId ?? (await deps.keys.findByValue(current.ingestionKey))?.id;
  if (!previousKeyId) {
    deps.log.warn(
      'the key being replaced is not in SigNoz’s key list: it will not be revoked automatically; revoke it in ' +
        'SigNoz (Settings → Ingestion) once the grace period has passed',
    );
  }
  const pending: IngestionKeyValue = {
    ingestionKey: key.value,
    keyId: key.id,
    keyName,
    ...(previousKeyId ? { previousKeyId } : {}),
    createdAt: new Date(deps.now()).toISOString(),
  };
  await deps.store.put(secretId, { token, value: formatKeyValue(pending), stages: [Stage.PENDING] });
  deps.log.info('pending ingestion key stored', { keyId: key.id, reusedKey: Boolean(found), previousKeyId });
  return { step, outcome: found ? 'created-with-existing-key' : 'created', keyId: key.id };
}

async function setSecret(deps: RotationDeps, secretId: string, token: string): Promise<StepResult> {
  const pending = await readPending(deps, secretId, token);
  if (!pending.keyId) {
    throw new RotationError(RotationErrorCode.SECRET_FORMAT, `version ${token} has no keyId`);
  }
  const live = pending.keyName
    ? await deps.keys.findByName(pending.keyName)
    : await deps.keys.findById(pending.keyId);
  if (!live || live.id !== pending.keyId || live.value !== pending.ingestionKey) {
    throw new RotationError(
      RotationErrorCode.KEY_MISSING,
      `SigNoz no longer has the pending key ${pending.keyId}; cancel this rotation (runbook) and rotate again`,
    );
  }
  return { step: RotationStep.SET, outcome: 'key-live', keyId: pending.keyId };
}

async function testSecret(deps: RotationDeps, secretId: string, token: string): Promise<StepResult> {
  const text = await deps.store.read(secretId, { versionId: token, stage: Stage.PENDING });
  if (text === undefined) {
    // Enabling rotation without rotating at once (the stack's RotationSchedule) makes Secrets Manager run
    // testSecret alone on an empty AWSPENDING version: nothing to test yet, and nothing changes.
    return { step: RotationStep.TEST, outcome: 'no-pending-value' };
  }
  const pending = parseKeyValue(text);
  const attempts = deps.config.testAttempts;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const status = await deps.probe(pending.ingestionKey);
      if (status >= 200 && status < 300) {
        return {
          step: RotationStep.TEST,
          outcome: 'accepted',
          attempts: attempt,
          keyId: pending.keyId ?? '',
        };
      }
      last = `HTTP ${status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    // A new key can take a few seconds to reach the ingestion gateways.
    if (attempt < attempts) await deps.sleep(deps.config.testRetryMs);
  }
  throw new RotationError(
    RotationErrorCode.KEY_REFUSED,
    `the collector did not accept an export with the pending key after ${attempts} attempts (last: ${last})`,
  );
}

async function finishSecret(
  deps: RotationDeps,
  secretId: string,
  token: string,
  description: SecretDescription,
): Promise<StepResult> {
  const step = RotationStep.FINISH;
  // Read before the move: an empty or malformed version must never become AWSCURRENT.
  const value = parseKeyValue(await deps.store.read(secretId, { versionId: token }));
  const current = versionWith(description, Stage.CURRENT);
  const promoted = current !== token;
  if (promoted) {
    // One call: the label leaves the old version (which Secrets Manager labels AWSPREVIOUS) for the new one.
    await deps.store.moveStage(secretId, {
      stage: Stage.CURRENT,
      to: token,
      ...(current ? { from: current } : {}),
    });
  }
  if (!value.previousKeyId) return { step, outcome: promoted ? 'promoted' : 'already-current' };
  const entry = await retire(deps, secretId, { keyId: value.previousKeyId });
  deps.log.info('ingestion key promoted; the replaced key is revoked after the grace period', {
    keyId: value.keyId,
    retiredKeyId: entry.keyId,
    revokeAfter: entry.revokeAfter,
  });
  return {
    step,
    outcome: promoted ? 'promoted' : 'already-current',
    keyId: value.keyId ?? '',
    retiredKeyId: entry.keyId,
    revokeAfter: entry.revokeAfter,
  };
}

/** Enters a replaced key in the ledger once; a repeated entry keeps its first (earlier) revokeAfter. */
async function retire(deps: RotationDeps, secretId: string, key: { keyId: string }): Promise<RetiredKey> {
  const ledger = parseLedger(await deps.store.read(secretId, { stage: Stage.LEDGER }));
  const known = ledger.retired.find((entry) => entry.keyId === key.keyId);
  if (known) return known;
  if (ledger.retired.length >= MAX_LEDGER_ENTRIES) {
    throw new RotationError(
      RotationErrorCode.REVOCATION_FAILED,
      `the revocation ledger holds ${ledger.retired.length} keys: the sweep is not revoking them`,
    );
  }
  const entry: RetiredKey = {
    keyId: key.keyId,
    revokeAfter: new Date(deps.now() + deps.config.revocationGraceMs).toISOString(),
  };
  await writeLedger(deps, secretId, { retired: [...ledger.retired, entry] });
  return entry;
}

/**
 * Read-modify-write without a lock. finishSecret and the sweep interleave only when a rotation finishes in the
 * same instant as a sweep revokes an earlier rotation's key (two rotations 30 minutes apart); the worst outcome
 * is one replaced key left live in SigNoz (the alarm-free, safe direction), or a revoked key retried and found
 * already gone — never a current key revoked (the sweep re-checks AWSCURRENT/AWSPENDING).
 */
async function writeLedger(deps: RotationDeps, secretId: string, ledger: Ledger): Promise<void> {
  await deps.store.put(secretId, { value: JSON.stringify(ledger), stages: [Stage.LEDGER] });
}

/** Key ids that must never be revoked: those of the AWSCURRENT and AWSPENDING versions. */
async function keysInUse(deps: RotationDeps, secretId: string): Promise<Set<string>> {
  const inUse = new Set<string>();
  for (const stage of [Stage.CURRENT, Stage.PENDING]) {
    const text = await deps.store.read(secretId, { stage });
    if (text === undefined) continue;
    const { keyId } = parseKeyValue(text);
    if (keyId) inUse.add(keyId);
  }
  return inUse;
}

export async function sweep(deps: RotationDeps): Promise<SweepResult> {
  const secretId = deps.config.ingestionKeySecretId;
  const ledger = parseLedger(await deps.store.read(secretId, { stage: Stage.LEDGER }));
  if (ledger.retired.length === 0) return { revoked: [], waiting: 0 };
  const inUse = await keysInUse(deps, secretId);
  const now = deps.now();
  const kept: RetiredKey[] = [];
  const revoked: string[] = [];
  const failures: string[] = [];
  for (const entry of ledger.retired) {
    if (inUse.has(entry.keyId)) {
      deps.log.warn('a retired ingestion key is current or pending again; it is not revoked', {
        keyId: entry.keyId,
      });
      kept.push(entry);
      continue;
    }
    if (now < Date.parse(entry.revokeAfter)) {
      kept.push(entry);
      continue;
    }
    try {
      const outcome = await deps.keys.revoke(entry.keyId);
      deps.log.info('replaced ingestion key revoked', { keyId: entry.keyId, outcome });
      revoked.push(entry.keyId);
    } catch (error) {
      failures.push(`${entry.keyId}: ${(error as Error).message}`);
      kept.push(entry);
    }
  }
  if (kept.length !== ledger.retired.length) await writeLedger(deps, secretId, { retired: kept });
  if (failures.length > 0) {
    throw new RotationError(
      RotationErrorCode.REVOCATION_FAILED,
      `could not revoke ${failures.length} key(s), kept for the next sweep: ${failures.join('; ')}`,
    );
  }
  const next = kept
    .filter((entry) => !inUse.has(entry.keyId))
    .map((entry) => entry.revokeAfter)
    .sort()[0];
  return { revoked, waiting: kept.length, ...(next ? { nextRevocationAt: next } : {}) };
}
