#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { TradingObservabilityStack } from '../lib/trading-observability-stack';

const app = new App();
const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
// Without credentials (offline synth) the stack is environment-agnostic.
new TradingObservabilityStack(
  app,
  'TradingObservabilityStack',
  account && region ? { env: { account, region } } : {},
);
app.synth();
