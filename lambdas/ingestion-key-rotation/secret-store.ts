/** The Secrets Manager calls the rotation makes, behind a small interface (the steps never see the SDK). */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

export interface SecretDescription {
  readonly arn: string;
  readonly name: string;
  readonly rotationEnabled: boolean;
  /** Version id → its staging labels. */
  readonly versions: Readonly<Record<string, readonly string[]>>;
}

export interface SecretSelector {
  readonly versionId?: string;
  readonly stage?: string;
}

export interface SecretStore {
  describe(secretId: string): Promise<SecretDescription>;
  /** The version's SecretString, or undefined when no such version (or no value yet) exists. */
  read(secretId: string, selector: SecretSelector): Promise<string | undefined>;
  /** A new version with these labels (labels move from the versions that held them). */
  put(secretId: string, version: { token?: string; value: string; stages: readonly string[] }): Promise<void>;
  /** Moves `stage` to version `to` (from `from`), or removes it from `from` when `to` is absent. */
  moveStage(secretId: string, move: { stage: string; to?: string; from?: string }): Promise<void>;
}

export function sdkSecretStore(client = new SecretsManagerClient({})): SecretStore {
  return {
    async describe(secretId) {
      const out = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
      return {
        arn: out.ARN ?? secretId,
        name: out.Name ?? secretId,
        rotationEnabled: out.RotationEnabled === true,
        versions: out.VersionIdsToStages ?? {},
      };
    },
    async read(secretId, selector) {
      try {
        const out = await client.send(
          new GetSecretValueCommand({
            SecretId: secretId,
            ...(selector.versionId ? { VersionId: selector.versionId } : {}),
            ...(selector.stage ? { VersionStage: selector.stage } : {}),
          }),
        );
        return out.SecretString;
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      }
    },
    async put(secretId, version) {
      await client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          SecretString: version.value,
          VersionStages: [...version.stages],
          ...(version.token ? { ClientRequestToken: version.token } : {}),
        }),
      );
    },
    async moveStage(secretId, move) {
      await client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: move.stage,
          ...(move.to ? { MoveToVersionId: move.to } : {}),
          ...(move.from ? { RemoveFromVersionId: move.from } : {}),
        }),
      );
    },
  };
}
