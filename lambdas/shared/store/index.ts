export * from './dynamo';
export * from './market-store';
export * from './rankings-store';
export * from './tables';
export * from './sampling-store';
