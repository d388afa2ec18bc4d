#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StackError } from '../lib/errors';
import { writeSignozDashboards } from '../lib/signoz-artifacts';
import { TradingObservabilityStack } from '../lib/trading-observability-stack';

const app = new App();
const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
try {
  // Without credentials (offline synth) the stack is environment-agnostic.
  new TradingObservabilityStack(
    app,
    'TradingObservabilityStack',
    account && region ? { env: { account, region } } : {},
  );
} catch (error) {
  // A refused setting is the user's to fix: one line naming it, not a stack trace. Anything else is ours.
  if (!(error instanceof StackError)) throw error;
  process.stderr.write(`synth refused (${error.code}): ${error.message}\n`);
  process.exit(1);
}
// cdk-nag 3.x is a validation plugin: unacknowledged AwsSolutions findings fail the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
const assembly = app.synth();
// The SigNoz dashboards ship with the cloud assembly (cdk.out/signoz-dashboards/*.json).
writeSignozDashboards(assembly.directory);
