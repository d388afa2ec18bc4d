import { Match } from 'aws-cdk-lib/assertions';
import { InstrumentedFunction } from '../../../lib/instrumented-function';
import { synthFunction } from '../../support/cdk';

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
