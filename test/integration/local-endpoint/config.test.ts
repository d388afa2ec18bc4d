/** `npm run local`'s configuration: flags win over the environment; a bad port falls back with a warning. */
import * as path from 'node:path';
import { LOCAL_DIR } from '../../../scripts/local/runtime';
import { LOCAL_ENDPOINT_DEFAULTS, loadConfig } from '../../../scripts/local-endpoint';

describe('local endpoint loadConfig', () => {
  it('defaults to 127.0.0.1:3001 and .local', () => {
    expect(loadConfig([], {})).toEqual({ port: 3001, host: '127.0.0.1', dataDir: LOCAL_DIR });
  });

  it('reads LOCAL_LAMBDA_PORT / LOCAL_LAMBDA_HOST / LOCAL_DATA_DIR, and flags over them', () => {
    const env = { LOCAL_LAMBDA_PORT: '4000', LOCAL_LAMBDA_HOST: '127.0.0.2', LOCAL_DATA_DIR: 'tmp-a' };
    expect(loadConfig([], env)).toEqual({ port: 4000, host: '127.0.0.2', dataDir: path.resolve('tmp-a') });
    expect(loadConfig(['--port', '0', '--data-dir=tmp-b'], env)).toEqual({
      port: 0,
      host: '127.0.0.2',
      dataDir: path.resolve('tmp-b'),
    });
  });

  it.each(['abc', '-1', '70000', '30.5'])('replaces port %p by the default, with a warning', (port) => {
    const warnings: string[] = [];
    const config = loadConfig(['--port', port], {}, (message) => warnings.push(message));
    expect(config.port).toBe(LOCAL_ENDPOINT_DEFAULTS.port);
    expect(warnings).toEqual([`port '${port}' is not a port number (0-65535); using 3001`]);
  });
});
