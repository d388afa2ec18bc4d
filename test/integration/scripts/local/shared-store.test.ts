/**
 * One embedded store, several local tools: `npm run invoke` while `npm run local` holds the store uses the
 * endpoint's store over loopback; a second `npm run local`, or an invoke against a holder that does not share,
 * ends with one clear line and exit 1 (not dynalite's uncaught "Database is closed").
 */

import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { StoreInUseError, startEmbeddedDynamo } from '../../../../scripts/local/embedded-dynamo';
import { publishedStoreFile } from '../../../../scripts/local/shared-store';
import { lines, runNpmScript } from '../../../support/npm-script';
import { type EndpointProcess, startEndpointProcess } from '../../local-endpoint/endpoint-process';

jest.setTimeout(180_000);

describe('the store lock, in process', () => {
  it('refuses a second start on a held store with StoreInUseError; the first keeps answering', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'store-lock-'));
    const first = await startEmbeddedDynamo({ path: path.join(dir, 'dynamodb') });
    try {
      await expect(startEmbeddedDynamo({ path: path.join(dir, 'dynamodb') })).rejects.toBeInstanceOf(
        StoreInUseError,
      );
      const client = new DynamoDBClient({
        endpoint: first.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      expect((await client.send(new ListTablesCommand({}))).TableNames?.length).toBeGreaterThan(0);
      client.destroy();
    } finally {
      await first.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run invoke and npm run local on one store', () => {
  let dataDir: string;
  let endpoint: EndpointProcess | undefined;
  const env = () => ({ LOCAL_DATA_DIR: dataDir, TELEMETRY_MODE: 'local' });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'shared-store-'));
    endpoint = await startEndpointProcess({ dataDir });
  });

  afterAll(async () => {
    await endpoint?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes the store next to it while it runs', () => {
    const published = JSON.parse(readFileSync(publishedStoreFile(path.join(dataDir, 'dynamodb')), 'utf8'));
    expect(published).toMatchObject({ dynamodb: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(published.invoke).toBe(endpoint?.url);
  });

  it('npm run invoke succeeds on the running endpoint’s store, and the endpoint sees what it wrote', async () => {
    const prices = [{ symbol: 'SHRD', timestamp: '2026-11-24T15:00:00Z', price: 101.5 }];
    const run = await runNpmScript(
      'invoke',
      ['dual-accuracy-tracker', JSON.stringify({ action: 'record_prices', prices })],
      env(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, recorded: 1, symbols: ['SHRD'] });
    const viaEndpoint = await fetch(
      `${endpoint?.url}/2015-03-31/functions/trading-intelligence/invocations`,
      {
        method: 'POST',
        body: JSON.stringify({ action: 'analyze', asOf: '2026-11-24T16:00:00Z' }),
      },
    ).then((response) => response.json() as Promise<{ ranking: Array<{ symbol: string }> }>);
    expect(viaEndpoint.ranking.map((entry) => entry.symbol)).toContain('SHRD');
  });

  it('a second npm run local on the same directory exits 1 with one line naming the holder', async () => {
    const run = await runNpmScript('local', ['--port', '0'], env());
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(
        /^npm run local: the local store .*dynamodb is in use by another process \(pid \d+, serving http:\/\/127\.0\.0\.1:\d+\); stop it first/,
      ),
    ]);
    expect(run.stderr).not.toContain('Database is closed');
  });

  it('npm run invoke against a holder that does not share exits 1 with one line', async () => {
    const file = publishedStoreFile(path.join(dataDir, 'dynamodb'));
    renameSync(file, `${file}.hidden`);
    try {
      const run = await runNpmScript('invoke', ['dual-accuracy-tracker', '{"action":"report"}'], env());
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(
          /^npm run invoke: the local store .*dynamodb is held by another process that does not share it; /,
        ),
      ]);
    } finally {
      renameSync(`${file}.hidden`, file);
    }
  });
});
