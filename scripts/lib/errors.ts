/** A dataset file is missing, unreadable, or holds a row that is not a valid price record. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Workload options that cannot be honoured (unknown symbol, more days than the data holds, bad interval). */
export class WorkloadOptionsError extends Error {
  override readonly name = 'WorkloadOptionsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
