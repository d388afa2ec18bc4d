/**
 * AWS Secrets Manager's behaviour in process, for the loopback stand-in (secrets-manager-stand-in.ts) and for
 * unit tests that call it directly: versions and staging labels as Secrets Manager keeps them (AWSCURRENT /
 * AWSPENDING / AWSPREVIOUS, custom labels, labels moving between versions), a rotation driven as Secrets
 * Manager drives it (RotateSecret adds an empty AWSPENDING version for a new token, then invokes the rotation
 * function with createSecret, setSecret, testSecret and finishSecret, retrying a failed step with the same
 * token), and faults injected per operation.
 */
import { randomUUID } from 'node:crypto';
import type { SecretStore } from '../../lambdas/ingestion-key-rotation/secret-store';
import { ScriptError, ScriptErrorCode } from '../errors';

export interface StoredVersion {
  readonly id: string;
  value: string | undefined;
  stages: string[];
  readonly createdAt: number;
}

export interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly versions: StoredVersion[];
  readonly createdAt: number;
  rotationEnabled: boolean;
  lastRotatedAt?: number;
}

export type RotationStepName = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
export const ROTATION_STEPS: readonly RotationStepName[] = [
  'createSecret',
  'setSecret',
  'testSecret',
  'finishSecret',
];

export interface StepAttempt {
  readonly step: RotationStepName;
  readonly token: string;
  readonly ok: boolean;
  readonly error?: string;
}

export interface RotationRun {
  readonly token: string;
  readonly attempts: StepAttempt[];
  /** Settles when the rotation completed (true) or gave up after the step retries (false). */
  readonly done: Promise<boolean>;
}

export interface SecretsFault {
  readonly operation: string;
  /** Only requests whose input matches. @default every request of the operation */
  readonly when?: (input: Record<string, unknown>) => boolean;
  times?: number;
}

export interface SecretsModel {
  readonly secrets: Map<string, StoredSecret>;
  readonly rotations: RotationRun[];
  /** Every request, in order: the operation name. */
  readonly log: string[];
  createSecret(name: string, value: string, createdDate?: Date): StoredSecret;
  /** Configures the rotation function (what Lambda would invoke). */
  enableRotation(name: string, invoke: (event: Record<string, string>) => Promise<unknown>): void;
  valueAt(name: string, stage: string): string | undefined;
  inject(fault: SecretsFault): void;
  /** Called after a failed step, before its retry (tests check that the current key still works). */
  onStepFailure: ((attempt: StepAttempt) => Promise<void>) | undefined;
  /** How many times a step is tried before the rotation is abandoned. @default 3 */
  maxStepAttempts: number;
  /** Forgets every secret, rotation and fault (one stand-in serves a whole test file). */
  reset(): void;
  /** One API call, as the HTTP front end makes it; a failure throws a `ServiceError`. */
  call(operation: string, input: Record<string, unknown>): unknown;
}
/** An error the stand-in answers as Secrets Manager would; `type` is the error's `__type`. */
export class ServiceError extends ScriptError {
  override readonly name: string = 'ServiceError';
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(ScriptErrorCode.STAND_IN_SERVICE_ERROR, message);
  }
}

const ACCOUNT = '000000000000';

/** The service's state and operations, in process (the HTTP stand-in serves it; unit tests call it directly). */
export function createSecretsModel(region = 'us-east-1'): SecretsModel {
  const secrets = new Map<string, StoredSecret>();
  const rotations: RotationRun[] = [];
  const log: string[] = [];
  const faults: SecretsFault[] = [];
  const invokers = new Map<string, (event: Record<string, string>) => Promise<unknown>>();

  const find = (id: unknown): StoredSecret => {
    const text = String(id ?? '');
    for (const secret of secrets.values()) {
      // A name, the full ARN, or the ARN without Secrets Manager's random suffix.
      if (
        text === secret.name ||
        text === secret.arn ||
        (text.startsWith('arn:') && secret.arn.startsWith(`${text}-`))
      ) {
        return secret;
      }
    }
    throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  };
  const holder = (secret: StoredSecret, stage: string) =>
    secret.versions.find((v) => v.stages.includes(stage));
  const removeStage = (version: StoredVersion | undefined, stage: string) => {
    if (version) version.stages = version.stages.filter((s) => s !== stage);
  };
  /** Attaches `stage` to `version`; AWSCURRENT leaving a version labels that one AWSPREVIOUS. */
  const attach = (secret: StoredSecret, version: StoredVersion, stage: string) => {
    const previous = holder(secret, stage);
    if (previous === version) return;
    removeStage(previous, stage);
    if (stage === 'AWSCURRENT' && previous) {
      removeStage(holder(secret, 'AWSPREVIOUS'), 'AWSPREVIOUS');
      previous.stages.push('AWSPREVIOUS');
    }
    version.stages.push(stage);
  };
  const rotationInProgress = (secret: StoredSecret) => {
    const pending = holder(secret, 'AWSPENDING');
    return pending !== undefined && !pending.stages.includes('AWSCURRENT');
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeSecret(input) {
      const secret = find(input.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        RotationEnabled: secret.rotationEnabled,
        CreatedDate: secret.createdAt / 1000,
        ...(secret.lastRotatedAt ? { LastRotatedDate: secret.lastRotatedAt / 1000 } : {}),
        VersionIdsToStages: Object.fromEntries(secret.versions.map((v) => [v.id, [...v.stages]])),
      };
    },
    GetSecretValue(input) {
      const secret = find(input.SecretId);
      const stage = input.VersionStage as string | undefined;
      const versionId = input.VersionId as string | undefined;
      const version = versionId
        ? secret.versions.find((v) => v.id === versionId && (!stage || v.stages.includes(stage)))
        : holder(secret, stage ?? 'AWSCURRENT');
      if (!version || version.value === undefined) {
        throw new ServiceError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for staging label or version.",
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        SecretString: version.value,
        VersionStages: [...version.stages],
        CreatedDate: version.createdAt / 1000,
      };
    },
    PutSecretValue(input) {
      const secret = find(input.SecretId);
      const token = (input.ClientRequestToken as string | undefined) ?? randomUUID();
      const value = input.SecretString as string;
      const stages = (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'];
      let version = secret.versions.find((v) => v.id === token);
      if (version?.value !== undefined) {
        // Idempotent: the same token and value is a no-op; a different value is refused.
        if (version.value !== value) {
          throw new ServiceError(
            'ResourceExistsException',
            'A version with this ClientRequestToken already exists.',
          );
        }
      } else if (version) {
        version.value = value;
      } else {
        version = { id: token, value, stages: [], createdAt: Date.now() };
        secret.versions.push(version);
      }
      for (const stage of stages) attach(secret, version, stage);
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        VersionStages: [...version.stages],
      };
    },
    UpdateSecretVersionStage(input) {
      const secret = find(input.SecretId);
      const stage = String(input.VersionStage);
      const to = input.MoveToVersionId as string | undefined;
      const from = input.RemoveFromVersionId as string | undefined;
      const current = holder(secret, stage);
      if (to) {
        const target = secret.versions.find((v) => v.id === to);
        if (!target) throw new ServiceError('ResourceNotFoundException', `no version ${to}`);
        if (current && current !== target && current.id !== from) {
          throw new ServiceError(
            'InvalidParameterException',
            `The staging label ${stage} is currently attached to version ${current.id}; specify it in RemoveFromVersionId.`,
          );
        }
        attach(secret, target, stage);
      } else if (from) {
        if (current?.id !== from)
          throw new ServiceError('InvalidParameterException', `${stage} is not on ${from}`);
        removeStage(current, stage);
      }
      return { ARN: secret.arn, Name: secret.name };
    },
    ListSecretVersionIds(input) {
      const secret = find(input.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        Versions: secret.versions
          .filter((v) => v.stages.length > 0)
          .map((v) => ({ VersionId: v.id, VersionStages: [...v.stages], CreatedDate: v.createdAt / 1000 })),
      };
    },
    RotateSecret(input) {
      const secret = find(input.SecretId);
      const invoke = invokers.get(secret.name);
      if (!invoke || !secret.rotationEnabled) {
        throw new ServiceError('InvalidRequestException', 'Rotation is not configured for this secret.');
      }
      if (rotationInProgress(secret)) {
        throw new ServiceError(
          'InvalidRequestException',
          'A previous rotation isn’t complete. That rotation will be reattempted.',
        );
      }
      const token = (input.ClientRequestToken as string | undefined) ?? randomUUID();
      removeStage(holder(secret, 'AWSPENDING'), 'AWSPENDING');
      secret.versions.push({ id: token, value: undefined, stages: ['AWSPENDING'], createdAt: Date.now() });
      const attempts: StepAttempt[] = [];
      // Asynchronous, as in Secrets Manager: RotateSecret answers before the steps run.
      const done = (async () => {
        await new Promise((resolve) => setImmediate(resolve));
        for (const step of ROTATION_STEPS) {
          for (let attempt = 1; ; attempt++) {
            try {
              await invoke({ Step: step, SecretId: secret.arn, ClientRequestToken: token });
              attempts.push({ step, token, ok: true });
              break;
            } catch (error) {
              const failed: StepAttempt = { step, token, ok: false, error: (error as Error).message };
              attempts.push(failed);
              if (attempt >= standIn.maxStepAttempts) return false;
              await standIn.onStepFailure?.(failed);
            }
          }
        }
        const promoted = holder(secret, 'AWSCURRENT')?.id === token;
        if (promoted) secret.lastRotatedAt = Date.now();
        return promoted;
      })();
      rotations.push({ token, attempts, done });
      return { ARN: secret.arn, Name: secret.name, VersionId: token };
    },
  };

  const standIn: SecretsModel = {
    secrets,
    rotations,
    log,
    onStepFailure: undefined,
    maxStepAttempts: 3,
    createSecret(name, value, createdDate) {
      const suffix = randomUUID().replace(/-/g, '').slice(0, 6);
      const createdAt = createdDate?.getTime() ?? Date.now();
      const secret: StoredSecret = {
        name,
        arn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-${suffix}`,
        versions: [{ id: randomUUID(), value, stages: ['AWSCURRENT'], createdAt }],
        createdAt,
        rotationEnabled: false,
      };
      secrets.set(name, secret);
      return secret;
    },
    enableRotation(name, invoke) {
      const secret = find(name);
      secret.rotationEnabled = true;
      invokers.set(secret.name, invoke);
    },
    valueAt(name, stage) {
      return holder(find(name), stage)?.value;
    },
    inject(fault) {
      faults.push(fault);
    },
    reset() {
      secrets.clear();
      rotations.length = 0;
      log.length = 0;
      faults.length = 0;
      invokers.clear();
      standIn.onStepFailure = undefined;
      standIn.maxStepAttempts = 3;
    },
    call(operation, input) {
      log.push(operation);
      const fault = faults.find((f) => f.operation === operation && (!f.when || f.when(input)));
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
        throw new ServiceError('InternalServiceError', `injected failure of ${operation}`);
      }
      const handler = operations[operation];
      if (!handler)
        throw new ServiceError('InvalidRequestException', `operation ${operation} not in the stand-in`);
      return handler(input);
    },
  };
  return standIn;
}
/** The rotation's SecretStore over the model, without HTTP or the SDK (unit tests of the pure steps). */
export function modelSecretStore(model: SecretsModel): SecretStore {
  return {
    async describe(secretId) {
      const out = model.call('DescribeSecret', { SecretId: secretId }) as {
        ARN: string;
        Name: string;
        RotationEnabled: boolean;
        VersionIdsToStages: Record<string, string[]>;
      };
      return {
        arn: out.ARN,
        name: out.Name,
        rotationEnabled: out.RotationEnabled,
        versions: out.VersionIdsToStages,
      };
    },
    async read(secretId, selector) {
      try {
        const out = model.call('GetSecretValue', {
          SecretId: secretId,
          ...(selector.versionId ? { VersionId: selector.versionId } : {}),
          ...(selector.stage ? { VersionStage: selector.stage } : {}),
        }) as { SecretString?: string };
        return out.SecretString;
      } catch (error) {
        if (error instanceof ServiceError && error.type === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },
    async put(secretId, version) {
      model.call('PutSecretValue', {
        SecretId: secretId,
        SecretString: version.value,
        VersionStages: [...version.stages],
        ...(version.token ? { ClientRequestToken: version.token } : {}),
      });
    },
    async moveStage(secretId, move) {
      model.call('UpdateSecretVersionStage', {
        SecretId: secretId,
        VersionStage: move.stage,
        ...(move.to ? { MoveToVersionId: move.to } : {}),
        ...(move.from ? { RemoveFromVersionId: move.from } : {}),
      });
    },
  };
}
