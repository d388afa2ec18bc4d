export * from './dynamo';
export * from './market-store';
export * from './tables';
