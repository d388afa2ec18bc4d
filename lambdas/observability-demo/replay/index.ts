/**
 * The workload the demo replays (and the alert backtest, benchmarks and tests reuse): real historical
 * prices replayed onto recent NYSE trading days, and deterministic model predictions with controlled
 * skill and calibration.
 */
export { DatasetError, WorkloadOptionsError } from './errors';
export * from './market-data';
export * from './model';
export * from './replay';
export * from './rng';
export * from './workload';
