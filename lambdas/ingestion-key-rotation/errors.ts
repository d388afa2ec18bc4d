import { TradingObservabilityError } from '../shared/errors';

/** The rotation function's one error base: a `code` the logs, the failure metric and tests can rely on. */
export const RotationErrorCode = {
  /** The event is neither a Secrets Manager rotation step nor the revocation sweep. */
  INVALID_EVENT: 'INVALID_EVENT',
  /** An environment variable is missing or malformed (its name is in the message). */
  CONFIG: 'CONFIG',
  /** The event names a secret this function does not rotate, or one without rotation enabled. */
  NOT_ROTATION_TARGET: 'NOT_ROTATION_TARGET',
  /** The step's version is unknown, or not in the stage the step expects. */
  VERSION_STATE: 'VERSION_STATE',
  /** A secret value is not in the expected format. */
  SECRET_FORMAT: 'SECRET_FORMAT',
  /** SigNoz's ingestion-key API answered an error, or could not be reached. */
  SIGNOZ_API: 'SIGNOZ_API',
  /** The pending key's ingestion key does not exist in SigNoz (deleted between steps). */
  KEY_MISSING: 'KEY_MISSING',
  /** The collector did not accept an export made with the pending key. */
  KEY_REFUSED: 'KEY_REFUSED',
  /** Some replaced keys could not be revoked in this sweep (kept for the next one). */
  REVOCATION_FAILED: 'REVOCATION_FAILED',
} as const;
export type RotationErrorCode = (typeof RotationErrorCode)[keyof typeof RotationErrorCode];

/** The rotation's errors: the functions' base with the rotation's codes. */
export class RotationError extends TradingObservabilityError<RotationErrorCode> {
  override readonly name: string = 'RotationError';
}
