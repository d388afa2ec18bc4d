import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { DEFAULT_ALERT_PARAMS } from '../../lib/alerting/alert-params';
import { DataTables } from '../../lib/data-tables';
import type { FunctionDeps } from '../../lib/functions/types';
import { loadStackSettings } from '../../lib/settings';
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

/**
 * One function's wiring (lib/functions/<name>.ts) alone in a stack, with an imported layer and secret:
 * no other handler or the layer bundle is needed, and nothing is bundled.
 */
export function synthFunction(
  stackName: string,
  add: (deps: FunctionDeps) => unknown,
): { template: Template; stack: Stack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, stackName, { env: { account: '111111111111', region: 'us-east-1' } });
  const tables = new DataTables(stack, 'Data');
  add({
    scope: stack,
    settings: loadStackSettings(stack),
    tables,
    telemetry: {
      layer: LayerVersion.fromLayerVersionArn(
        stack,
        'Layer',
        'arn:aws:lambda:us-east-1:111111111111:layer:otel:1',
      ),
      otlpEndpoint: 'https://ingest.example.invalid:443',
      ingestionKeySecret: Secret.fromSecretNameV2(stack, 'Key', 'signoz-key'),
      samplingConfigTable: tables.sampling,
    },
    alertParams: DEFAULT_ALERT_PARAMS,
  });
  return { template: Template.fromStack(stack), stack };
}
