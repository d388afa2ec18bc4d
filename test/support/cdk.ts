import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TradingObservabilityStack } from '../../lib/trading-observability-stack';

/** Synthesises the stack without bundling (bundling is tested in test/integration/cdk/bundles.test.ts). */
export function synthStack(context: Record<string, unknown> = {}): {
  stack: TradingObservabilityStack;
  template: Template;
} {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new TradingObservabilityStack(app, 'TradingObservabilityStack');
  return { stack, template: Template.fromStack(stack) };
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** Actions that AWS only allows on `*` resources, each with the reason. */
export const WILDCARD_RESOURCE_ALLOWED: Readonly<Record<string, string>> = {
  'cloudwatch:GetMetricData': 'GetMetricData has no resource-level permissions',
  'cloudwatch:PutMetricData':
    'PutMetricData has no resource-level permissions (scoped by namespace condition)',
  'xray:PutTraceSegments': 'X-Ray has no resource-level permissions',
  'xray:PutTelemetryRecords': 'X-Ray has no resource-level permissions',
};

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export function policyStatements(
  template: Template,
): Array<{ policy: string; statement: PolicyStatementJson }> {
  const out: Array<{ policy: string; statement: PolicyStatementJson }> = [];
  for (const [id, resource] of Object.entries(resourcesOfType(template, 'AWS::IAM::Policy'))) {
    const document = resource.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] };
    for (const statement of document.Statement) out.push({ policy: id, statement });
  }
  return out;
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
