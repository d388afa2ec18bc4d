export * from './clock';
export * from './context';
export * from './dashboards';
export * from './invoke';
export * from './run';
export * from './steps';
export * from './types';
