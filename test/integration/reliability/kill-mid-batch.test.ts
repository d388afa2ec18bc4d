/**
 * A 5 000-prediction record_predictions killed with SIGKILL halfway (a real child process: `npm run invoke`
 * on the store `npm run local` holds), as a crashed client or a Lambda timeout leaves it: the items already
 * written are visible at once (the symbol was registered first), `analyze` and `validate_all` without
 * `symbols` list the new symbol, and the caller's retry leaves every prediction counted once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { MarketKey } from '../../../lambdas/shared/store';
import { TABLES } from '../../../lambdas/shared/store/tables';
import { publishedStoreFile } from '../../../scripts/local/shared-store';
import { countPages } from '../../support/count-pages';
import { startNpmScript } from '../../support/npm-script';
import { settledWorkload } from '../../support/reliability-faults';
import { type EndpointProcess, startEndpointProcess } from '../local-endpoint/endpoint-process';

jest.setTimeout(300_000);

const SYMBOL = 'KILLD';
const COUNT = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dataDir: string;
let endpoint: EndpointProcess | undefined;
let client: DynamoDBDocumentClient;

function storedPredictions(): Promise<number> {
  return countPages((start) =>
    client.send(
      new QueryCommand({
        TableName: TABLES.market.localName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': MarketKey.prediction('live', SYMBOL) },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    ),
  );
}

async function invoke<T>(functionName: string, payload: unknown): Promise<T> {
  const response = await fetch(`${endpoint?.url}/2015-03-31/functions/${functionName}/invocations`, {
    method: 'POST',
    body: JSON.stringify(payload),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

type Validated = { ok: boolean; summary: { bySymbol: Record<string, { n: number; pending: number }> } };
const validateAll = () =>
  invoke<Validated>('dual-accuracy-tracker', { action: 'validate_all', lookback_days: 365 });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'kill-mid-batch-'));
  endpoint = await startEndpointProcess({ dataDir });
  const published = JSON.parse(readFileSync(publishedStoreFile(path.join(dataDir, 'dynamodb')), 'utf8'));
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: published.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
});

afterAll(async () => {
  client?.destroy();
  await endpoint?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('kill -9 mid-batch: the new symbol is listed at once, and the retry counts every prediction once', async () => {
  // No prices yet: nothing but this batch can have registered the symbol.
  const { predictions, prices } = settledWorkload(COUNT, Date.now(), [SYMBOL]);
  const payloadFile = path.join(dataDir, 'predictions.json');
  writeFileSync(payloadFile, JSON.stringify({ action: 'record_predictions', predictions }));

  const child = startNpmScript('invoke', ['dual-accuracy-tracker', `file://${payloadFile}`], {
    LOCAL_DATA_DIR: dataDir,
    TELEMETRY_MODE: 'local',
  });
  let finished = false;
  void child.done.then(() => {
    finished = true;
  });
  // Kill once a tenth of the batch is stored (the whole batch takes seconds against the persisted store).
  while (!finished && (await storedPredictions()) < COUNT / 10) await sleep(20);
  child.kill();
  const run = await child.done;
  expect(run.signal).toBe('SIGKILL');
  expect(run.stdout).toBe('');

  const stored = await storedPredictions();
  expect(stored).toBeGreaterThan(0);
  expect(stored).toBeLessThan(COUNT);

  // Without `symbols`: the registry (written first) names the half-written symbol.
  const analysis = await invoke<{ ok: boolean; ranking: Array<{ symbol: string }> }>('trading-intelligence', {
    action: 'analyze',
  });
  expect(analysis.ok).toBe(true);
  expect(analysis.ranking.map((entry) => entry.symbol)).toContain(SYMBOL);
  const partial = await validateAll();
  expect(partial.summary.bySymbol[SYMBOL]).toMatchObject({ n: 0, pending: stored });

  // The caller retries the same batch: the same keys are rewritten, nothing is counted twice.
  expect(await invoke('dual-accuracy-tracker', { action: 'record_predictions', predictions })).toMatchObject({
    ok: true,
    recorded: COUNT,
  });
  expect(await storedPredictions()).toBe(COUNT);
  expect(await invoke('dual-accuracy-tracker', { action: 'record_prices', prices })).toMatchObject({
    ok: true,
  });
  const whole = await validateAll();
  expect(whole.summary.bySymbol[SYMBOL]).toMatchObject({ n: COUNT, pending: 0 });
});
