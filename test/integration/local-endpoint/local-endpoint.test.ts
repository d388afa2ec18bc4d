/**
 * `npm run local` as a child process, called as AWS would be: with the real AWS CLI and with
 * @aws-sdk/client-lambda. A valid call, a bad payload (the function's ok:false result, not an API error), an
 * unknown function (404 ResourceNotFoundException), a handler that throws (200 + FunctionError: Unhandled),
 * a body that is not JSON, an oversized body, Event/DryRun. The crash comes from the real tracker handler
 * started with an invalid configuration (its loadConfig throws), not from a test double.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  InvalidRequestContentException,
  InvokeCommand,
  type InvokeCommandInput,
  LambdaClient,
  RequestTooLargeException,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { AWS_REGION, type AwsCli, cliInvoke, detectAwsCli } from './aws-cli';
import { type EndpointProcess, groupAlive, startEndpointProcess } from './endpoint-process';

jest.setTimeout(120_000);

const TRACKER = 'dual-accuracy-tracker';
const UNKNOWN = 'no-such-function';
const HOUR = 3_600_000;
const NOW = Date.now();

const scratch = mkdtempSync(path.join(tmpdir(), 'local-endpoint-'));
const dataDir = path.join(scratch, 'data');
const brokenDataDir = path.join(scratch, 'broken');

let endpoint: EndpointProcess | undefined;
let broken: EndpointProcess | undefined;
let cli: AwsCli | Error;

function requireCli(): AwsCli {
  if (cli instanceof Error) throw cli;
  return cli;
}

function requireEndpoint(process: EndpointProcess | undefined): EndpointProcess {
  if (!process) throw new Error('npm run local is not running (see beforeAll)');
  return process;
}

function lambdaClient(url: string): LambdaClient {
  return new LambdaClient({
    endpoint: url,
    region: AWS_REGION,
    credentials: { accessKeyId: 'local-test', secretAccessKey: 'local-test' },
    maxAttempts: 1,
  });
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (payload: Uint8Array | undefined) =>
  payload ? (JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>) : undefined;

/** One prediction due an hour ago and the price at that time: a validated sample of one, direction hit. */
function sample(symbol: string) {
  const targetTime = new Date(NOW - HOUR).toISOString();
  return {
    predictions: {
      action: 'record_predictions',
      predictions: [
        {
          symbol,
          model: 'lstm-v3',
          predictedAt: new Date(NOW - 2 * HOUR).toISOString(),
          targetTime,
          basePrice: 100,
          predictedPrice: 102,
          confidence: 0.7,
        },
      ],
    },
    prices: { action: 'record_prices', prices: [{ symbol, timestamp: targetTime, price: 101 }] },
    validate: { action: 'validate_all', lookback_days: 7, symbols: [symbol] },
  };
}

type ReportResult = { ok: boolean; summaries: { summaryId: string; summary: { bySymbol: object } }[] };

const BAD_PAYLOAD = {
  action: 'record_prices',
  prices: [{ symbol: 'AAPL', timestamp: 'yesterday', price: -1 }],
};

beforeAll(async () => {
  const [main, misconfigured, detected] = await Promise.allSettled([
    startEndpointProcess({ dataDir }),
    // DATA_NAMESPACE must match /^[a-z][a-z0-9-]{1,31}$/: the handler's loadConfig throws on every call.
    startEndpointProcess({ dataDir: brokenDataDir, env: { DATA_NAMESPACE: 'Not A Namespace!' } }),
    detectAwsCli(scratch),
  ]);
  if (main.status === 'fulfilled') endpoint = main.value;
  if (misconfigured.status === 'fulfilled') broken = misconfigured.value;
  cli = detected.status === 'fulfilled' ? detected.value : new Error(String(detected.reason));
  if (main.status === 'rejected') throw main.reason;
  if (misconfigured.status === 'rejected') throw misconfigured.reason;
}, 120_000);

afterAll(async () => {
  await Promise.all([endpoint?.stop(), broken?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe('the real AWS CLI against npm run local', () => {
  it('records a prediction and its price and validates them (StatusCode 200, $LATEST, the result in the outfile)', async () => {
    const aws = requireCli();
    const { url } = requireEndpoint(endpoint);
    const { predictions, prices, validate } = sample('MSFT');

    const recorded = await cliInvoke(aws, scratch, {
      endpoint: url,
      functionName: TRACKER,
      payload: JSON.stringify(predictions),
    });
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
    expect(JSON.parse(recorded.stdout)).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(recorded.outfile ?? 'null')).toMatchObject({
      ok: true,
      recorded: 1,
      symbols: ['MSFT'],
    });

    const priced = await cliInvoke(aws, scratch, {
      endpoint: url,
      functionName: TRACKER,
      payload: JSON.stringify(prices),
    });
    expect(priced.code).toBe(0);
    expect(JSON.parse(priced.outfile ?? 'null')).toMatchObject({ ok: true, recorded: 1 });

    const validated = await cliInvoke(aws, scratch, {
      endpoint: url,
      functionName: TRACKER,
      payload: JSON.stringify(validate),
    });
    expect(validated.code).toBe(0);
    const result = JSON.parse(validated.outfile ?? 'null');
    expect(result.ok).toBe(true);
    expect(result.summary.overall).toMatchObject({ n: 1, pending: 0, hitRate: 1 });
    expect(Object.keys(result.summary.bySymbol)).toEqual(['MSFT']);
  });

  it("answers a bad payload with the function's ok:false result and exit 0 (the invocation itself succeeded)", async () => {
    const aws = requireCli();
    const run = await cliInvoke(aws, scratch, {
      endpoint: requireEndpoint(endpoint).url,
      functionName: TRACKER,
      payload: JSON.stringify(BAD_PAYLOAD),
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    const result = JSON.parse(run.outfile ?? 'null');
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(result.error.issues.length).toBeGreaterThan(0);
  });

  it('fails an unknown function with ResourceNotFoundException and a non-zero exit', async () => {
    const aws = requireCli();
    const run = await cliInvoke(aws, scratch, {
      endpoint: requireEndpoint(endpoint).url,
      functionName: UNKNOWN,
      payload: '{}',
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      'An error occurred (ResourceNotFoundException) when calling the Invoke operation',
    );
    expect(run.stderr).toContain(
      `Function not found: arn:aws:lambda:${AWS_REGION}:000000000000:function:${UNKNOWN}`,
    );
    expect(run.outfile).toBeUndefined();
  });

  it('fails a payload that is not JSON with InvalidRequestContentException', async () => {
    const aws = requireCli();
    const run = await cliInvoke(aws, scratch, {
      endpoint: requireEndpoint(endpoint).url,
      functionName: TRACKER,
      payload: 'not json',
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('(InvalidRequestContentException)');
  });

  it('accepts a full ARN with a qualifier, as Lambda does', async () => {
    const aws = requireCli();
    const run = await cliInvoke(aws, scratch, {
      endpoint: requireEndpoint(endpoint).url,
      functionName: `arn:aws:lambda:${AWS_REGION}:123456789012:function:${TRACKER}:$LATEST`,
      payload: JSON.stringify({ action: 'report', limit: 1 }),
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outfile ?? 'null')).toMatchObject({ ok: true, count: 1 });
  });

  it('reports a handler that throws as FunctionError: Unhandled (exit 0) with the error body and the log tail', async () => {
    const aws = requireCli();
    const run = await cliInvoke(aws, scratch, {
      endpoint: requireEndpoint(broken).url,
      functionName: TRACKER,
      payload: JSON.stringify({ action: 'report' }),
      extraArgs: ['--log-type', 'Tail'],
    });
    expect(run.code).toBe(0);
    const metadata = JSON.parse(run.stdout);
    expect(metadata).toMatchObject({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      ExecutedVersion: '$LATEST',
    });
    const body = JSON.parse(run.outfile ?? 'null');
    expect(body.errorType).toBe('ConfigError');
    expect(body.errorMessage).toContain('DATA_NAMESPACE');
    expect(Array.isArray(body.trace)).toBe(true);
    const log = Buffer.from(metadata.LogResult as string, 'base64').toString('utf8');
    expect(log).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    expect(log).toContain('invocation failed');
    expect(log).toMatch(/END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: /);
  });
});

describe('@aws-sdk/client-lambda against npm run local', () => {
  let client: LambdaClient;
  let brokenClient: LambdaClient;
  beforeAll(() => {
    client = lambdaClient(requireEndpoint(endpoint).url);
    brokenClient = lambdaClient(requireEndpoint(broken).url);
  });
  afterAll(() => {
    client?.destroy();
    brokenClient?.destroy();
  });

  const invoke = (input: Omit<InvokeCommandInput, 'FunctionName'> & { FunctionName?: string }) =>
    client.send(new InvokeCommand({ FunctionName: TRACKER, ...input }));

  it('records and validates: StatusCode 200, ExecutedVersion $LATEST, no FunctionError', async () => {
    const { predictions, prices, validate } = sample('AMZN');
    for (const payload of [predictions, prices]) {
      const response = await invoke({ Payload: encode(payload) });
      expect(response.StatusCode).toBe(200);
      expect(response.FunctionError).toBeUndefined();
      expect(decode(response.Payload)).toMatchObject({ ok: true, recorded: 1 });
    }
    const response = await invoke({ Payload: encode(validate) });
    expect(response).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(response.FunctionError).toBeUndefined();
    const result = decode(response.Payload) as { ok: boolean; summary: { overall: Record<string, unknown> } };
    expect(result.ok).toBe(true);
    expect(result.summary.overall).toMatchObject({ n: 1, pending: 0, hitRate: 1 });
  });

  it('answers a bad payload with StatusCode 200 and an ok:false result', async () => {
    const response = await invoke({ Payload: encode(BAD_PAYLOAD) });
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBeUndefined();
    expect(decode(response.Payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('throws ResourceNotFoundException (404) for an unknown function, with the ARN in the message', async () => {
    const error = await invoke({ FunctionName: UNKNOWN, Payload: encode({}) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      Type: 'User',
      message: `Function not found: arn:aws:lambda:${AWS_REGION}:000000000000:function:${UNKNOWN}`,
      $metadata: { httpStatusCode: 404 },
    });
    await expect(invoke({ FunctionName: UNKNOWN, InvocationType: 'DryRun' })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('reports a handler that throws as FunctionError Unhandled with errorType, errorMessage and trace', async () => {
    const response = await brokenClient.send(
      new InvokeCommand({ FunctionName: TRACKER, Payload: encode({ action: 'report' }), LogType: 'Tail' }),
    );
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBe('Unhandled');
    const body = decode(response.Payload);
    expect(body).toMatchObject({ errorType: 'ConfigError' });
    expect(String(body?.errorMessage)).toContain('DATA_NAMESPACE');
    expect(Object.keys(body ?? {}).sort()).toEqual(['errorMessage', 'errorType', 'trace']);
    expect(Buffer.from(response.LogResult ?? '', 'base64').toString()).toContain('START RequestId:');
  });

  it('throws InvalidRequestContentException (400) for a body that is not JSON', async () => {
    await expect(invoke({ Payload: new TextEncoder().encode('{"action":') })).rejects.toBeInstanceOf(
      InvalidRequestContentException,
    );
  });

  it('throws RequestTooLargeException (413) past the 6 MB synchronous payload limit', async () => {
    const oversized = encode({ action: 'report', padding: 'x'.repeat(6 * 1024 * 1024) });
    const error = await invoke({ Payload: oversized }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RequestTooLargeException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 413 } });
  });

  it('answers Event with 202 (and runs it) and DryRun with 204', async () => {
    const { prices } = sample('GOOG');
    const queued = await invoke({ InvocationType: 'Event', Payload: encode(prices) });
    expect(queued.StatusCode).toBe(202);
    expect(queued.Payload?.length ?? 0).toBe(0);
    const dry = await invoke({ InvocationType: 'DryRun', Payload: encode({ action: 'report' }) });
    expect(dry.StatusCode).toBe(204);
    // The Event run finishes shortly after the 202; the endpoint logs it as "Event done".
    const deadline = Date.now() + 15_000;
    while (!/dual-accuracy-tracker Event done 200/.test(requireEndpoint(endpoint).output())) {
      if (Date.now() > deadline)
        throw new Error(`the Event invocation never finished:\n${endpoint?.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('serves concurrent invocations of one function', async () => {
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => invoke({ Payload: encode({ action: 'report', limit: 2 }) })),
    );
    const bodies = responses.map((response) => {
      expect(response.StatusCode).toBe(200);
      return decode(response.Payload);
    });
    expect(bodies[0]).toMatchObject({ ok: true });
    expect((bodies[0] as { count: number }).count).toBeGreaterThan(0);
    for (const body of bodies) expect(body).toEqual(bodies[0]);
  });
});

describe('the npm run local process', () => {
  it('logs a line per request: function, invocation type, status, duration', () => {
    const output = requireEndpoint(endpoint).output();
    expect(output).toMatch(/dual-accuracy-tracker RequestResponse 200 \d+ ms\n/);
    expect(output).toMatch(/no-such-function RequestResponse 404 \d+ ms ResourceNotFoundException\n/);
    expect(output).toMatch(/dual-accuracy-tracker DryRun 204 \d+ ms\n/);
    expect(requireEndpoint(broken).output()).toMatch(
      /dual-accuracy-tracker RequestResponse 200 \d+ ms FunctionError: Unhandled\n/,
    );
  });

  it('stops gracefully on SIGTERM, keeps its data in its own directory, and finds it again after a restart', async () => {
    const first = requireEndpoint(endpoint);
    const report = { FunctionName: TRACKER, Payload: encode({ action: 'report', limit: 10 }) };
    const before = lambdaClient(first.url);
    const stored = decode((await before.send(new InvokeCommand(report))).Payload) as ReportResult;
    before.destroy();
    expect(stored.summaries.length).toBeGreaterThan(0);

    const { graceful } = await first.stop();
    expect(graceful).toBe(true);
    expect(first.output()).toContain('stopped');
    expect(groupAlive(first.pid)).toBe(false);
    expect(existsSync(path.join(dataDir, 'dynamodb'))).toBe(true);
    const spans = readFileSync(path.join(dataDir, 'spans.jsonl'), 'utf8');
    expect(spans).toContain('dual-accuracy-tracker');

    endpoint = await startEndpointProcess({ dataDir });
    const restarted = lambdaClient(endpoint.url);
    try {
      const response = await restarted.send(new InvokeCommand(report));
      const result = decode(response.Payload) as ReportResult;
      expect(result.ok).toBe(true);
      expect(result.summaries.map((s) => s.summaryId)).toEqual(stored.summaries.map((s) => s.summaryId));
      expect(result.summaries.flatMap((s) => Object.keys(s.summary.bySymbol))).toContain('AMZN');
    } finally {
      restarted.destroy();
    }
  });
});
