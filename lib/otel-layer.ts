import { RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { buildLayer } from './bundling';

export interface OtelLayerProps {
  /** @default 'trading-observability-otel' */
  readonly layerVersionName?: string;
}

/**
 * The telemetry layer: one minified bundle of `layers/otel` under nodejs/node_modules (no node_modules
 * tree, no @aws-sdk), built with esbuild at synth time.
 */
export class OtelLayer extends Construct {
  readonly layer: LayerVersion;

  constructor(scope: Construct, id: string, props: OtelLayerProps = {}) {
    super(scope, id);
    this.layer = new LayerVersion(this, 'Layer', {
      layerVersionName: props.layerVersionName ?? 'trading-observability-otel',
      description:
        'trading-observability telemetry: tracer, business-aware sampler, OTLP export, EMF, logger',
      code: Code.fromAsset(buildLayer()),
      compatibleRuntimes: [Runtime.NODEJS_22_X],
      compatibleArchitectures: [Architecture.ARM_64, Architecture.X86_64],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
