import { Duration, TimeZone } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { EnvVar } from '../../lambdas/shared/config';
import { DynamoAction, InstrumentedFunction } from '../instrumented-function';
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

  // Scheduled runs that could not be delivered (Scheduler) or failed after Lambda's async retries land here.
  const deadLetters = new Queue(scope, 'TradingIntelligenceScheduleDlq', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  // Scheduler invokes Lambda asynchronously: function errors are retried by Lambda, not by Scheduler.
  fn.function.configureAsyncInvoke({
    retryAttempts: 1,
    maxEventAge: RANKINGS_SCHEDULE.maxEventAge,
    onFailure: new SqsDestination(deadLetters),
  });
  const target = new LambdaInvoke(fn.function, {
    input: ScheduleTargetInput.fromObject(RANKINGS_SCHEDULE.input),
    deadLetterQueue: deadLetters,
    retryAttempts: RANKINGS_SCHEDULE.retryAttempts,
    maxEventAge: RANKINGS_SCHEDULE.maxEventAge,
  });
  for (const [id, expression] of Object.entries(RANKINGS_SCHEDULE.expressions)) {
    new Schedule(scope, `TradingRankings${id}Schedule`, {
      schedule: ScheduleExpression.expression(expression, RANKINGS_SCHEDULE.timeZone),
      target,
      description: `trading-intelligence scheduled_rankings, ${expression} America/New_York (NYSE guard in the handler)`,
    });
  }
  return fn;
}
