import { DemoError, DemoErrorCode } from '../errors';

/** A dataset file is missing, unreadable, or holds a row that is not a valid price record. */
export class DatasetError extends DemoError {
  override readonly name: string = 'DatasetError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(DemoErrorCode.DATASET_INVALID, message, options);
  }
}

/** Workload options that cannot be honoured (unknown symbol, more days than the data holds, bad interval). */
export class WorkloadOptionsError extends DemoError {
  override readonly name: string = 'WorkloadOptionsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(DemoErrorCode.WORKLOAD_OPTIONS_INVALID, message, options);
  }
}
