import { synthStack } from '../../support/cdk';

/**
 * The whole template as a snapshot, asset hashes masked (they change with any code change): a reviewer sees
 * every infrastructure change in the diff of __snapshots__; the fine-grained assertions live beside it.
 */
function maskAssetHashes(template: unknown): unknown {
  return JSON.parse(
    JSON.stringify(template)
      .replace(/[0-9a-f]{64}(\.zip|\.json)?/g, '[ASSET HASH]$1')
      .replace(/cdk-hnb659fds-assets-[^"]*/g, '[ASSETS BUCKET]'),
  );
}

describe('TradingObservabilityStack template', () => {
  it('matches the reviewed snapshot', () => {
    const { template } = synthStack();
    expect(maskAssetHashes(template.toJSON())).toMatchSnapshot();
  });
});
