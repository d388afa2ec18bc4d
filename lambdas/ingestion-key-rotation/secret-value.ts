/**
 * What the rotation keeps in Secrets Manager.
 * - The ingestion-key secret's versions: `{"ingestionKey","keyId","keyName","previousKeyId","createdAt"}` (the
 *   layer reads `ingestionKey`; a secret that still holds a bare key, as an operator first put it, is read too).
 * - The revocation ledger: a version of the same secret under its own staging label (`LEDGER_STAGE`), never
 *   AWSCURRENT, listing replaced keys and the instant after which each may be revoked.
 */
import { extractKey } from '@trading-observability/otel';
import * as z from '../shared/zod';
import { RotationError, RotationErrorCode } from './errors';

export const Stage = {
  CURRENT: 'AWSCURRENT',
  PENDING: 'AWSPENDING',
  PREVIOUS: 'AWSPREVIOUS',
  /** The revocation ledger's label. Secrets Manager keeps labelled versions; the layer only reads AWSCURRENT. */
  LEDGER: 'SIGNOZ_RETIRED_KEYS',
} as const;

const keyRecord = z.object({
  keyId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  keyName: z.optional(z.string().check(z.maxLength(256))),
  previousKeyId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  createdAt: z.optional(z.string()),
});

export interface IngestionKeyValue {
  readonly ingestionKey: string;
  /** SigNoz's id of the key; absent in a secret that an operator filled by hand. */
  readonly keyId?: string | undefined;
  readonly keyName?: string | undefined;
  /** The key this one replaced, revoked after the grace period. */
  readonly previousKeyId?: string | undefined;
  readonly createdAt?: string | undefined;
}

export function parseKeyValue(secretString: string | undefined): IngestionKeyValue {
  let ingestionKey: string;
  try {
    ingestionKey = extractKey(secretString);
  } catch {
    // No cause: JSON.parse's message quotes the text, i.e. the key.
    throw new RotationError(
      RotationErrorCode.SECRET_FORMAT,
      'the secret holds no ingestion key (neither a bare key nor JSON with "ingestionKey")',
    );
  }
  const text = (secretString ?? '').trim();
  if (!text.startsWith('{')) return { ingestionKey };
  const record = keyRecord.safeParse(JSON.parse(text));
  if (!record.success) {
    throw new RotationError(
      RotationErrorCode.SECRET_FORMAT,
      `the secret's JSON has malformed fields: ${record.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  return { ingestionKey, ...record.data };
}

export function formatKeyValue(value: IngestionKeyValue): string {
  return JSON.stringify(value);
}

const ledgerSchema = z.object({
  retired: z
    .array(
      z.object({
        keyId: z.string().check(z.minLength(1), z.maxLength(256)),
        keyName: z.optional(z.string().check(z.maxLength(256))),
        revokeAfter: z.string().check(z.iso.datetime()),
      }),
    )
    .check(z.maxLength(100)),
});
export type Ledger = z.infer<typeof ledgerSchema>;
export type RetiredKey = Ledger['retired'][number];

export function parseLedger(secretString: string | undefined): Ledger {
  if (secretString === undefined) return { retired: [] };
  try {
    return ledgerSchema.parse(JSON.parse(secretString));
  } catch (error) {
    throw new RotationError(RotationErrorCode.SECRET_FORMAT, 'the revocation ledger is malformed', {
      cause: error,
    });
  }
}
