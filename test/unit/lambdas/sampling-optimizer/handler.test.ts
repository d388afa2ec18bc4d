/** The optimizer's handler builds its CloudWatch client only when a request reads CloudWatch (`optimize`). */
import { lambdaContext } from '../../../../scripts/local/runtime';

describe('sampling-optimizer handler: the CloudWatch client', () => {
  it('is not built when the module loads, nor for a request that does not read CloudWatch', async () => {
    const built: unknown[] = [];
    let handler: ((event: unknown, context: unknown) => Promise<{ ok: boolean }>) | undefined;
    jest.isolateModules(() => {
      jest.doMock('@aws-sdk/client-cloudwatch', () => {
        const actual = jest.requireActual('@aws-sdk/client-cloudwatch');
        return {
          ...actual,
          CloudWatchClient: class extends actual.CloudWatchClient {
            constructor(...args: unknown[]) {
              super(...args);
              built.push(args[0]);
            }
          },
        };
      });
      handler = require('../../../../lambdas/sampling-optimizer/handler').handler;
    });
    expect(built).toHaveLength(0);
    const answer = await handler?.({ action: 'status', verbose: true }, lambdaContext('sampling-optimizer'));
    expect(answer?.ok).toBe(false);
    expect(built).toHaveLength(0);
  });
});
