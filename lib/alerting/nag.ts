/**
 * cdk-nag (AwsSolutions) acknowledgements, each with its reason. Every InstrumentedFunction applies
 * `acknowledgeFunctionFindings` to itself, and acknowledges its own `*`-resource statements with their reason
 * (`addWildcardStatement`); `acknowledgeStackFindings` covers the Scheduler resources that aws-scheduler-targets
 * generates at stack level.
 */

import type { CfnResource } from 'aws-cdk-lib';
import { type Stack, Validations } from 'aws-cdk-lib';
import { Policy, Role } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import type { FunctionName } from '../../lambdas/shared/names/functions';
import type { InstrumentedFunction } from '../instrumented-function';

export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
  /** Where the acknowledgement belongs (the resource's owner). */
  readonly home: string;
}

export const FUNCTION_ACKNOWLEDGEMENTS = {
  BASIC_EXECUTION_ROLE: {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'AWSLambdaBasicExecutionRole only allows logs:CreateLogGroup/CreateLogStream/PutLogEvents; the function ' +
      'writes to its own log group (retention set in InstrumentedFunction). A hand-written copy would add nothing.',
    home: 'lib/instrumented-function.ts',
  },
  RUNTIME: {
    id: 'AwsSolutions-L1',
    reason:
      'nodejs22.x is pinned on purpose: the telemetry layer and every function are bundled for target node22 ' +
      '(lib/bundling.ts) and tested on it; moving to a newer runtime is one deliberate change of runtime, ' +
      'bundling target and layer together.',
    home: 'lib/instrumented-function.ts',
  },
} as const satisfies Record<string, NagAcknowledgement>;

/** The finding of a statement on `*` resources (for APIs that have no resource-level permissions). */
export const WILDCARD_RESOURCE_FINDING = 'AwsSolutions-IAM5[Resource::*]' as const;

export const GET_METRIC_DATA_REASON =
  'cloudwatch:GetMetricData has no resource-level permissions (AWS service authorization reference): "*" is ' +
  'the only valid resource; the statement allows that one read-only action.';

export function acknowledge(scope: IConstruct, ack: Pick<NagAcknowledgement, 'id' | 'reason'>): void {
  Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason });
}

/** The findings every InstrumentedFunction carries (basic execution role, pinned runtime). */
export function acknowledgeFunctionFindings(fn: InstrumentedFunction): void {
  for (const ack of Object.values(FUNCTION_ACKNOWLEDGEMENTS)) acknowledge(fn, ack);
}

/**
 * Acknowledgements for resources without a construct of ours to hold them: the scheduled functions'
 * dead-letter queues and generated Scheduler roles, when present.
 */
export function acknowledgeStackFindings(
  stack: Stack,
  functions: Readonly<Record<FunctionName, InstrumentedFunction>>,
): NagAcknowledgement[] {
  const applied: NagAcknowledgement[] = [];

  // lib/schedules.ts: each scheduled function's dead-letter queue (`<Name>ScheduleDlq`).
  for (const child of stack.node.children) {
    if (!(child instanceof Queue) || !child.node.id.endsWith('Dlq')) continue;
    const ack: NagAcknowledgement = {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue (scheduled invocations that Scheduler could not deliver or that ' +
        'still failed after Lambda retries); a dead-letter queue of a dead-letter queue adds nothing.',
      home: 'lib/schedules.ts',
    };
    acknowledge(child, ack);
    applied.push(ack);
  }
  // aws-scheduler-targets creates one role per target function at stack level (SchedulerRoleForTarget-<hash>),
  // allowed lambda:InvokeFunction on `<function arn>` and `<function arn>:*` (versions and aliases).
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('SchedulerRoleForTarget-') || !(child instanceof Role)) continue;
    const defaultPolicy = child.node.tryFindChild('DefaultPolicy');
    if (!(defaultPolicy instanceof Policy)) continue;
    const policy = JSON.stringify(stack.resolve(defaultPolicy.document.toJSON()));
    for (const [name, fn] of Object.entries(functions)) {
      const cfn = fn.function.node.defaultChild as CfnResource;
      const logicalId = stack.getLogicalId(cfn);
      if (!policy.includes(`"${logicalId}"`)) continue;
      const ack: NagAcknowledgement = {
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          `The Scheduler role CDK generates for ${name} may invoke that one function and its versions/aliases ` +
          '(`<arn>:*`), lambda:InvokeFunction only.',
        home: 'lib/schedules.ts',
      };
      acknowledge(child, ack);
      applied.push(ack);
    }
  }
  return applied;
}
