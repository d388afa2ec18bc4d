import { Duration, TimeZone } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** A function invoked by EventBridge Scheduler on one or more cron/rate expressions. */
export interface ScheduledInvocationProps {
  /** Construct id prefix of the schedules: `<prefix><name>Schedule` per expression. */
  readonly idPrefix: string;
  /** Construct id of the dead-letter queue. */
  readonly deadLetterQueueId: string;
  /** Named expressions, e.g. `{ Quarterly: 'cron(0/15 * * * ? *)' }`. */
  readonly expressions: Readonly<Record<string, string>>;
  /** @default TimeZone.ETC_UTC */
  readonly timeZone?: TimeZone;
  /** The event; `ContextAttribute.scheduledTime` in it is filled in by Scheduler. */
  readonly input: Record<string, unknown>;
  /** Older events are dropped, not delivered late (Scheduler and Lambda's async queue). */
  readonly maxEventAge: Duration;
  /** Scheduler's delivery retries. */
  readonly retryAttempts: number;
  /** Lambda's retries of a failed asynchronous invocation. @default 1 */
  readonly asyncRetryAttempts?: number;
  readonly description: string;
}

/**
 * The product's scheduling pattern (as trading-intelligence wires its rankings): EventBridge Scheduler
 * invokes the function asynchronously with a fixed input; undeliverable events (Scheduler) and
 * invocations that still fail after Lambda's async retries land in one encrypted dead-letter queue.
 */
export function addScheduledInvocation(
  scope: Construct,
  fn: IFunction,
  props: ScheduledInvocationProps,
): { readonly schedules: Schedule[]; readonly deadLetters: Queue } {
  const deadLetters = new Queue(scope, props.deadLetterQueueId, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  fn.configureAsyncInvoke({
    retryAttempts: props.asyncRetryAttempts ?? 1,
    maxEventAge: props.maxEventAge,
    onFailure: new SqsDestination(deadLetters),
  });
  const target = new LambdaInvoke(fn, {
    input: ScheduleTargetInput.fromObject(props.input),
    deadLetterQueue: deadLetters,
    retryAttempts: props.retryAttempts,
    maxEventAge: props.maxEventAge,
  });
  const timeZone = props.timeZone ?? TimeZone.ETC_UTC;
  const schedules = Object.entries(props.expressions).map(
    ([name, expression]) =>
      new Schedule(scope, `${props.idPrefix}${name}Schedule`, {
        schedule: ScheduleExpression.expression(expression, timeZone),
        target,
        description: `${props.description} (${expression} ${timeZone.timezoneName})`,
      }),
  );
  return { schedules, deadLetters };
}
