import { Duration } from 'aws-cdk-lib';
import { EnvVar } from '../../lambdas/shared/config';
import { DynamoAction, InstrumentedFunction } from '../instrumented-function';
import type { FunctionDeps } from './types';

/** trading-intelligence: opportunity scores and rankings (reads market data, writes rankings only). */
export function addTradingIntelligence({
  scope,
  settings,
  tables,
  telemetry,
}: FunctionDeps): InstrumentedFunction {
  return new InstrumentedFunction(scope, 'TradingIntelligence', {
    name: 'trading-intelligence',
    namePrefix: settings.namePrefix,
    description: 'Opportunity scores 0-100, rankings every 15 minutes in NYSE hours, session correlation',
    telemetry,
    timeout: Duration.seconds(60),
    tables: [
      { table: tables.market, actions: [DynamoAction.QUERY] },
      { table: tables.rankings, actions: [DynamoAction.QUERY, DynamoAction.BATCH_WRITE] },
    ],
    environment: {
      [EnvVar.MARKET_TABLE]: tables.market.tableName,
      [EnvVar.RANKINGS_TABLE]: tables.rankings.tableName,
    },
  });
}
