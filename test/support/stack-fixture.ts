/** Builds the real stack for template tests, without bundling (context `aws:cdk:bundling-stacks: []`). */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TradingObservabilityStack } from '../../lib/trading-observability-stack';

export function buildStack(context: Record<string, unknown> = {}): {
  stack: TradingObservabilityStack;
  template: Template;
} {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new TradingObservabilityStack(app, 'TradingObservabilityStack');
  return { stack, template: Template.fromStack(stack) };
}

export type CfnResource = { Type: string; Properties: Record<string, unknown> };

export function resourcesOf(template: Template, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.findResources(type)) as Array<[string, CfnResource]>;
}
