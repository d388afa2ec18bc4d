/**
 * The layer's one error base: a `code` and the `cause`. The layer never throws into business code;
 * these errors are caught at its edge (export, secret read) and reported in the flush and the log.
 */
export const TelemetryErrorCode = {
  EXPORT_FAILED: 'EXPORT_FAILED',
  INGESTION_KEY_UNAVAILABLE: 'INGESTION_KEY_UNAVAILABLE',
  SAMPLING_CONFIG_UNREADABLE: 'SAMPLING_CONFIG_UNREADABLE',
  /** DynamoDB or Secrets Manager answered the layer's signed request with an error. */
  AWS_REQUEST_FAILED: 'AWS_REQUEST_FAILED',
} as const;
export type TelemetryErrorCode = (typeof TelemetryErrorCode)[keyof typeof TelemetryErrorCode];

export class TelemetryError extends Error {
  override readonly name: string = 'TelemetryError';
  constructor(
    readonly code: TelemetryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
