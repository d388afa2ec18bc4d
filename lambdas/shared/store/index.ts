export * from './dynamo';
export * from './market-store';
export * from './rankings-store';
export * from './sampling-store';
export * from './tables';
