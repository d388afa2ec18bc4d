export * from './business-aware-sampler';
export * from './categorize';
export * from './config-source';
export * from './consistent-probability';
export * from './select-for-export';
export * from './span-size';
export * from './traces-sampler';
export * from './types';
