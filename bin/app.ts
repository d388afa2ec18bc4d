#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { writeSignozDashboards } from '../lib/signoz-artifacts';
import { TradingObservabilityStack } from '../lib/trading-observability-stack';

const app = new App();
const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
// Without credentials (offline synth) the stack is environment-agnostic.
new TradingObservabilityStack(
  app,
  'TradingObservabilityStack',
  account && region ? { env: { account, region } } : {},
);
// cdk-nag 3.x is a validation plugin: unacknowledged AwsSolutions findings fail the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
const assembly = app.synth();
// The SigNoz dashboards ship with the cloud assembly (cdk.out/signoz-dashboards/*.json).
writeSignozDashboards(assembly.directory);
