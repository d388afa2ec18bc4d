import { Duration, TimeZone } from 'aws-cdk-lib';
import { ContextAttribute } from 'aws-cdk-lib/aws-scheduler';
import { EnvVar } from '../../lambdas/shared/config';
import { DynamoAction, InstrumentedFunction } from '../instrumented-function';
import { addScheduledInvocation } from '../schedules';
import type { FunctionDeps } from './types';

/**
 * The ranking schedule, in America/New_York wall-clock time (Scheduler follows DST), every 15 minutes
 * through the regular session 09:30–15:45 ET on weekdays. Two expressions rather than `0/15 9-15`, so no
 * run lands at 09:00 or 09:15 (before the open) only to be skipped: 26 runs a weekday, all inside the
 * session. Holidays and the afternoon of early-close days (after 13:00) are skipped by the handler's NYSE
 * guard, which answers `{"ok":true,"skipped":true,"reason":…}`; the calendar lives in code, not in cron.
 */
export const RANKINGS_SCHEDULE = {
  timeZone: TimeZone.AMERICA_NEW_YORK,
  expressions: {
    /** 09:30 and 09:45. */
    Opening: 'cron(30/15 9 ? * MON-FRI *)',
    /** 10:00 to 15:45. */
    Session: 'cron(0/15 10-15 ? * MON-FRI *)',
  },
  /** What the Scheduler sends; it fills in the scheduled time. */
  input: { action: 'scheduled_rankings', scheduledTime: ContextAttribute.scheduledTime },
  /**
   * A ranking is worth something until the next one, 15 minutes later: older events are dropped, not
   * delivered late. A retried run writes the same asOf again, so retries never double a ranking.
   */
  maxEventAge: Duration.minutes(15),
  retryAttempts: 2,
} as const;

/** trading-intelligence: opportunity scores and rankings (reads market data, writes rankings only). */
export function addTradingIntelligence({
  scope,
  settings,
  tables,
  telemetry,
}: FunctionDeps): InstrumentedFunction {
  const fn = new InstrumentedFunction(scope, 'TradingIntelligence', {
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

  // Scheduler invokes Lambda asynchronously; undeliverable events and runs that still fail after Lambda's
  // retry land in one dead-letter queue (lib/schedules.ts, shared with sampling-optimizer).
  addScheduledInvocation(scope, fn.function, {
    idPrefix: 'TradingRankings',
    deadLetterQueueId: 'TradingIntelligenceScheduleDlq',
    expressions: RANKINGS_SCHEDULE.expressions,
    timeZone: RANKINGS_SCHEDULE.timeZone,
    input: RANKINGS_SCHEDULE.input,
    maxEventAge: RANKINGS_SCHEDULE.maxEventAge,
    retryAttempts: RANKINGS_SCHEDULE.retryAttempts,
    description: 'trading-intelligence scheduled_rankings, NYSE guard in the handler',
  });
  return fn;
}
