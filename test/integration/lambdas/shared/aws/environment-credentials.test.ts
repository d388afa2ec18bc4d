/**
 * The functions' SDK clients resolve credentials through lambdas/shared/aws/environment-credentials.ts (the
 * FUNCTION_BUNDLING alias): a client bundled with the stack's options, run in a fresh process, must use the
 * environment's credentials as Lambda provides them, carry none of the default chain's code, and still find
 * credentials the default chain would find when the environment has none.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { functionBuildOptions, PROJECT_ROOT } from '../../../../../lib/bundling';

const ENTRY = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({ region: 'us-east-1' });
client.config.credentials().then(
  (c) => process.stdout.write(JSON.stringify({ accessKeyId: c.accessKeyId, sessionToken: c.sessionToken ?? null })),
  (e) => { process.stdout.write(JSON.stringify({ error: e.message })); process.exitCode = 1; },
);
`;

describe('environment credentials for the bundled SDK clients', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'env-credentials-'));
  const bundle = path.join(dir, 'index.js');
  let inputs: string[] = [];
  beforeAll(async () => {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(entry, ENTRY);
    const result = await build({
      ...functionBuildOptions(entry),
      nodePaths: [path.join(PROJECT_ROOT, 'node_modules')],
      outfile: bundle,
      write: true,
      metafile: true,
    });
    inputs = Object.keys((result.metafile as Metafile).inputs);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string>) => {
    const child = spawnSync(process.execPath, [bundle], {
      // Only what is given: no credentials of this machine leak in.
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return JSON.parse(child.stdout || '{}') as {
      accessKeyId?: string;
      sessionToken?: string;
      error?: string;
    };
  };

  it('bundles none of the default chain (SSO, STS, ini, process, metadata providers)', () => {
    expect(inputs.some((input) => input.includes('@aws-sdk/credential-provider-env/'))).toBe(true);
    expect(
      inputs.filter((input) => /credential-provider-(node|ini|sso|process|web-identity|http)\//.test(input)),
    ).toEqual([]);
    expect(inputs.filter((input) => input.includes('@aws-sdk/nested-clients/'))).toEqual([]);
  });

  it('uses the credentials Lambda puts in the environment, the session token included', () => {
    expect(
      run({ AWS_ACCESS_KEY_ID: 'AKIDFROMENV', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' }),
    ).toEqual({ accessKeyId: 'AKIDFROMENV', sessionToken: 'token' });
  });

  it('without them, loads the full default chain from node_modules (here: a shared credentials file)', () => {
    const credentials = path.join(dir, 'credentials');
    writeFileSync(
      credentials,
      '[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = secret\n',
    );
    expect(
      run({
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_CONFIG_FILE: path.join(dir, 'no-config'),
        NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
      }),
    ).toEqual({ accessKeyId: 'AKIDFROMFILE', sessionToken: null });
  });

  it("with neither, fails with the default chain's own error", () => {
    const result = run({
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
    });
    expect(result.error).toMatch(/Could not load credentials from any providers/);
  });
});
