import { Stack, type StackProps } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { FunctionName } from '../lambdas/shared/names/functions';
import { alertParamsFrom, StackMonitoring } from './alerting/monitoring';
import { DataTables } from './data-tables';
import { addDualAccuracyTracker } from './functions/dual-accuracy-tracker';
import { addObservabilityDemo } from './functions/observability-demo';
import { addSamplingOptimizer } from './functions/sampling-optimizer';
import { addTradingIntelligence } from './functions/trading-intelligence';
import type { FunctionDeps } from './functions/types';
import { IngestionKeyRotation } from './ingestion-key-rotation';
import type { InstrumentedFunction, TelemetrySettings } from './instrumented-function';
import { OtelLayer } from './otel-layer';
import { loadStackSettings, type StackSettings } from './settings';

export { FUNCTION_NAMES, type FunctionName } from '../lambdas/shared/names/functions';

/**
 * One stack: the telemetry layer, four instrumented Lambdas, DynamoDB, schedules, alarms and SNS topics,
 * the CloudWatch dashboard. SigNoz dashboards are written next to the cloud assembly by bin/app.ts.
 */
export class TradingObservabilityStack extends Stack {
  readonly settings: StackSettings;
  readonly tables: DataTables;
  readonly telemetry: TelemetrySettings;
  readonly functions: Readonly<Record<FunctionName, InstrumentedFunction>>;
  readonly keyRotation: IngestionKeyRotation;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, {
      description:
        'trading-observability: ML accuracy, opportunity rankings, cost-aware tracing, paging alarms',
      ...props,
    });
    this.settings = loadStackSettings(this);
    this.tables = new DataTables(this, 'Data');
    const layer = new OtelLayer(this, 'Otel').layer;
    this.telemetry = {
      layer,
      otlpEndpoint: this.settings.signozEndpoint,
      ingestionKeySecret: Secret.fromSecretNameV2(this, 'SignozIngestionKey', this.settings.signozSecretName),
      samplingConfigTable: this.tables.sampling,
      serviceName: this.settings.serviceName,
      environment: this.settings.environment,
    };
    // One set of alert parameters for the alarms and for the tracker's own per-group alerts.
    const alertParams = alertParamsFrom(this.settings, this);
    const deps: FunctionDeps = {
      scope: this,
      settings: this.settings,
      tables: this.tables,
      telemetry: this.telemetry,
      alertParams,
    };
    this.functions = {
      'dual-accuracy-tracker': addDualAccuracyTracker(deps),
      'trading-intelligence': addTradingIntelligence(deps),
      'sampling-optimizer': addSamplingOptimizer(deps),
      'observability-demo': addObservabilityDemo(deps),
    };
    this.keyRotation = new IngestionKeyRotation(this, 'IngestionKeyRotation', {
      telemetry: this.telemetry,
      signozApiUrl: this.settings.signozApiUrl,
      signozApiKeySecret: Secret.fromSecretNameV2(this, 'SignozApiKey', this.settings.signozApiKeySecretName),
      namePrefix: this.settings.namePrefix,
    });
    new StackMonitoring(this, 'Monitoring', {
      settings: this.settings,
      functions: this.functions,
      tables: this.tables,
      telemetry: this.telemetry,
      params: alertParams,
    });
  }
}
