/**
 * The Invoke API server in process, over a scripted invoker (no store, no handlers): the protocol cases the
 * CLI/SDK test cannot reach with the real handlers (an init failure, an oversized or empty result, isolation
 * of concurrent log tails, close() waiting for Event runs) and the FunctionName forms Lambda accepts.
 */

import {
  type InvokeApi,
  type InvokeRequestLog,
  type LocalInvoker,
  startInvokeApi,
} from '../../../scripts/local/invoke-api';
import {
  functionArn,
  InvokeLimits,
  logSafeName,
  parseFunctionIdentifier,
} from '../../../scripts/local/invoke-protocol';
import type { InvokeOutcome } from '../../../scripts/local/runtime';

const KNOWN = 'known-fn';
const result = (value: unknown): InvokeOutcome => ({ kind: 'result', result: value });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let api: InvokeApi | undefined;
let invoker: LocalInvoker = async () => result({ ok: true });
const logged: InvokeRequestLog[] = [];

async function start(): Promise<InvokeApi> {
  api = await startInvokeApi({
    invoke: (name, payload) => invoker(name, payload),
    isKnownFunction: (name) => name === KNOWN,
    region: 'eu-central-1',
    onRequest: (entry) => logged.push(entry),
  });
  return api;
}

// The scripted handlers' log lines are for the captured tails, not for the test output.
let silence: jest.SpyInstance | undefined;
beforeEach(() => {
  silence = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(async () => {
  await api?.close();
  api = undefined;
  logged.length = 0;
  silence?.mockRestore();
});

function post(
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  if (!api) throw new Error('server not started');
  return fetch(`${api.url}${path}`, { method: 'POST', body, headers }).then(async (response) => ({
    status: response.status,
    headers: response.headers,
    text: await response.text(),
  }));
}
const invocations = (name: string) => `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`;

describe('parseFunctionIdentifier', () => {
  it.each([
    ['my-fn', { name: 'my-fn', qualifier: undefined, region: undefined, accountId: undefined }],
    ['my-fn:prod', { name: 'my-fn', qualifier: 'prod', region: undefined, accountId: undefined }],
    ['my-fn:$LATEST', { name: 'my-fn', qualifier: '$LATEST', region: undefined, accountId: undefined }],
    [
      '123456789012:function:my-fn',
      { name: 'my-fn', qualifier: undefined, region: undefined, accountId: '123456789012' },
    ],
    [
      'arn:aws:lambda:us-west-2:123456789012:function:my-fn',
      { name: 'my-fn', qualifier: undefined, region: 'us-west-2', accountId: '123456789012' },
    ],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:my_fn.v2:7',
      { name: 'my_fn.v2', qualifier: '7', region: 'us-gov-west-1', accountId: '123456789012' },
    ],
  ])('%s', (raw, expected) => {
    expect(parseFunctionIdentifier(raw)).toEqual(expected);
  });

  it.each(['', 'bad name', 'fn:a:b', 'x'.repeat(171), 'arn:aws:lambda:us-west-2:123:function:f'])(
    'refuses %p',
    (raw) => {
      expect(parseFunctionIdentifier(raw)).toBeUndefined();
    },
  );

  it('builds the ARN Lambda puts in its not-found message', () => {
    expect(functionArn('f', 'ap-south-1')).toBe('arn:aws:lambda:ap-south-1:000000000000:function:f');
  });
});

describe('startInvokeApi', () => {
  it('passes the parsed payload (an empty body as {}) and answers the result; undefined reads as null', async () => {
    const seen: unknown[] = [];
    invoker = async (name, payload) => {
      seen.push([name, payload]);
      return result(undefined);
    };
    await start();
    const first = await post(invocations(`${KNOWN}:$LATEST`), '{"a":[1,2]}');
    const second = await post(invocations(KNOWN), '');
    expect(first).toMatchObject({ status: 200, text: 'null' });
    expect(first.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(first.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.status).toBe(200);
    expect(seen).toEqual([
      [KNOWN, { a: [1, 2] }],
      [KNOWN, {}],
    ]);
  });

  it.each(['live', 'prod', '7'])(
    'answers 404 for the qualifier %s (only $LATEST exists locally), as Lambda does, without running it',
    async (qualifier) => {
      let ran = 0;
      invoker = async () => {
        ran += 1;
        return result({ ok: true });
      };
      await start();
      const response = await post(invocations(`${KNOWN}:${qualifier}`), '{}');
      expect(response.status).toBe(404);
      expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
      expect(JSON.parse(response.text)).toEqual({
        Type: 'User',
        message: `Function not found: arn:aws:lambda:eu-central-1:000000000000:function:${KNOWN}:${qualifier}`,
      });
      const arn = await post(
        invocations(`arn:aws:lambda:us-west-2:123456789012:function:${KNOWN}:${qualifier}`),
        '{}',
      );
      expect(JSON.parse(arn.text).message).toBe(
        `Function not found: arn:aws:lambda:us-west-2:123456789012:function:${KNOWN}:${qualifier}`,
      );
      expect(ran).toBe(0);
    },
  );

  it('logs a requested name made safe: no control characters (a forged line), no PII, bounded', async () => {
    await start();
    const forged =
      'x\n2026-11-25T13:11:00.000Z dual-accuracy-tracker RequestResponse 200 1 ms\u001b[2J\u202e';
    await post(invocations(forged), '{}');
    await post(invocations('jane.doe@example.com'), '{}');
    const names = logged.map((entry) => entry.functionName);
    const types = logged.map((entry) => entry.invocationType);
    for (const text of [...names, ...types]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
      expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    }
    expect(names[0]).toBe(
      'x\\u{a}2026-11-25T13:11:00.000Z dual-accuracy-tracker RequestResponse 200 1 ms\\u{1b}[2J\\u{202e}',
    );
    expect(names[1]).toBe('[REDACTED]');
    // A header value can carry C1 controls (latin1 bytes): the invocation type is logged made safe too.
    expect(types).toEqual(['RequestResponse', 'RequestResponse']);
    expect(logSafeName('Event\u009b31mforged', 40)).toBe('Event\\u{9b}31mforged');
    expect(logSafeName('a'.repeat(500))).toHaveLength(171);
  });

  it('reports a handler module that fails to load as Runtime.ImportModuleError (FunctionError Unhandled)', async () => {
    invoker = async () => {
      throw new Error('Cannot find module handler.ts');
    };
    await start();
    const response = await post(invocations(KNOWN), '{}');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(JSON.parse(response.text)).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: 'Cannot find module handler.ts',
    });
  });

  it('turns a result above 6 MB into Function.ResponseSizeTooLarge', async () => {
    invoker = async () => result({ blob: 'x'.repeat(InvokeLimits.MAX_PAYLOAD_BYTES) });
    await start();
    const response = await post(invocations(KNOWN), '{}');
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(JSON.parse(response.text).errorType).toBe('Function.ResponseSizeTooLarge');
  });

  it('takes the region of the 404 ARN from the SigV4 credential scope, else from its options', async () => {
    await start();
    const signed = await post(invocations('other'), '{}', {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKID/20260101/sa-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00',
    });
    expect(signed.status).toBe(404);
    expect(signed.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(JSON.parse(signed.text)).toEqual({
      Type: 'User',
      message: 'Function not found: arn:aws:lambda:sa-east-1:000000000000:function:other',
    });
    const unsigned = await post(invocations('other'), '{}');
    expect(JSON.parse(unsigned.text).message).toContain(
      'arn:aws:lambda:eu-central-1:000000000000:function:other',
    );
  });

  it('refuses unknown operations, invocation types and function names with the API error codes', async () => {
    await start();
    const route = await post('/2015-03-31/functions/known-fn/configuration', '');
    expect([route.status, route.headers.get('x-amzn-errortype')]).toEqual([404, 'UnknownOperationException']);
    const type = await post(invocations(KNOWN), '{}', { 'x-amz-invocation-type': 'Sometimes' });
    expect([type.status, type.headers.get('x-amzn-errortype')]).toEqual([400, 'ValidationException']);
    const name = await post(invocations('bad name'), '{}');
    expect([name.status, name.headers.get('x-amzn-errortype')]).toEqual([400, 'ValidationException']);
  });

  it("keeps each concurrent invocation's log tail to its own lines, and restores the streams on close", async () => {
    const originalWrite = process.stderr.write;
    invoker = async (_name, payload) => {
      const { id } = payload as { id: number };
      await sleep(20 - id * 2);
      process.stderr.write(`tail-isolation-${id}\n`);
      await sleep(id * 2);
      return result({ id });
    };
    await start();
    expect(process.stderr.write).not.toBe(originalWrite);
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, id) =>
        post(invocations(KNOWN), JSON.stringify({ id }), { 'x-amz-log-type': 'Tail' }),
      ),
    );
    for (const [id, response] of responses.entries()) {
      const tail = Buffer.from(response.headers.get('x-amz-log-result') ?? '', 'base64').toString();
      expect(tail.match(/tail-isolation-\d+/g)).toEqual([`tail-isolation-${id}`]);
      expect(tail).toContain(`START RequestId: ${response.headers.get('x-amzn-requestid')} Version: $LATEST`);
    }
    await api?.close();
    expect(process.stderr.write).toBe(originalWrite);
  });

  it('keeps only the last 4 KB of a long log', async () => {
    invoker = async () => {
      process.stderr.write(`${'y'.repeat(10_000)}\n`);
      return result(1);
    };
    await start();
    const response = await post(invocations(KNOWN), '{}', { 'x-amz-log-type': 'Tail' });
    const tail = Buffer.from(response.headers.get('x-amz-log-result') ?? '', 'base64');
    expect(tail.length).toBe(InvokeLimits.LOG_TAIL_BYTES);
    expect(tail.toString()).toMatch(/^y+\nEND RequestId: /);
  });

  it('answers Event before the run ends, and close() waits for the run', async () => {
    let finished = false;
    invoker = async () => {
      await sleep(300);
      finished = true;
      return result({ ok: true });
    };
    const server = await start();
    const response = await post(invocations(KNOWN), '{}', { 'x-amz-invocation-type': 'Event' });
    expect(response).toMatchObject({ status: 202, text: '' });
    expect(finished).toBe(false);
    await server.close();
    expect(finished).toBe(true);
    expect(logged.map((entry) => [entry.invocationType, entry.status, entry.asyncOutcome])).toEqual([
      ['Event', 202, undefined],
      ['Event', 200, 'ok'],
    ]);
  });
});
