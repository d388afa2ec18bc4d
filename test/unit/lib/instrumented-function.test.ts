import { Match } from 'aws-cdk-lib/assertions';
import { DeprecatedTelemetryEnv } from '../../../layers/otel/src/constants';
import { addTradingIntelligence } from '../../../lib/functions/trading-intelligence';
import { InstrumentedFunction } from '../../../lib/instrumented-function';
import { resourcesOfType, synthFunction } from '../../support/cdk';

describe('InstrumentedFunction: source maps at run time', () => {
  it('leaves NODE_OPTIONS unset by default (no source map parsed on a cold start)', () => {
    const { template } = synthFunction('SourceMapsDefault', ({ scope, telemetry }) => {
      new InstrumentedFunction(scope, 'Fn', { name: 'key-age-check', description: 'probe', telemetry });
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'key-age-check',
      Environment: { Variables: { NODE_OPTIONS: Match.absent() } },
    });
  });

  it('turns them on with enableSourceMaps', () => {
    const { template } = synthFunction('SourceMapsOn', ({ scope, telemetry }) => {
      new InstrumentedFunction(scope, 'Fn', {
        name: 'key-age-check',
        description: 'probe',
        telemetry,
        enableSourceMaps: true,
      });
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
    });
  });
});

describe('InstrumentedFunction configures the layer by the standard OpenTelemetry names', () => {
  const { template } = synthFunction('Env', addTradingIntelligence);
  const [fn] = Object.values(resourcesOfType(template, 'AWS::Lambda::Function'));
  const environment = fn?.Properties?.Environment as { Variables: Record<string, unknown> } | undefined;
  const variables = environment?.Variables ?? {};

  it('sets the endpoint, service name and environment as OTEL_* variables', () => {
    expect(variables).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://ingest.example.invalid:443',
      OTEL_SERVICE_NAME: 'stock_analytics',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=production',
    });
  });

  it('sets none of the former project names, which the layer reads only as deprecated aliases', () => {
    for (const name of Object.values(DeprecatedTelemetryEnv)) expect(variables).not.toHaveProperty(name);
  });
});
