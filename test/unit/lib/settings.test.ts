/**
 * Stack settings refused at synth: a SigNoz endpoint that is not HTTPS (the ingestion key would travel in
 * clear) unless explicitly allowed, and reservations that would take the account below Lambda's unreserved
 * minimum of 100. Reads context only: no stack is synthesised.
 */
import { App } from 'aws-cdk-lib';
import { StackError, StackErrorCode } from '../../../lib/errors';
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  loadStackSettings,
  MIN_UNRESERVED_CONCURRENCY,
  RESERVED_CONCURRENCY_DEFAULTS,
} from '../../../lib/settings';

const settings = (context: Record<string, unknown> = {}) => loadStackSettings(new App({ context }));

describe('signozEndpoint', () => {
  it('accepts HTTPS, and defaults to SigNoz Cloud', () => {
    expect(settings().signozEndpoint).toBe('https://ingest.us.signoz.cloud:443');
    expect(settings({ signozEndpoint: 'https://otel.example.internal:4318' }).signozEndpoint).toBe(
      'https://otel.example.internal:4318',
    );
  });

  it.each(['http://otel.example.internal:4318', 'http://10.0.0.5:4318', 'ftp://otel.example.internal'])(
    'refuses %s: the ingestion key would travel in clear',
    (endpoint) => {
      expect(() => settings({ signozEndpoint: endpoint })).toThrow(
        /is not HTTPS: the ingestion key would travel in clear.*-c allowInsecureSignozEndpoint=true/,
      );
    },
  );

  it('accepts http:// only with the explicit flag (true, not just any value), never another scheme', () => {
    const endpoint = 'http://otel.example.internal:4318';
    expect(settings({ signozEndpoint: endpoint, allowInsecureSignozEndpoint: 'true' }).signozEndpoint).toBe(
      endpoint,
    );
    expect(settings({ signozEndpoint: endpoint, allowInsecureSignozEndpoint: true }).signozEndpoint).toBe(
      endpoint,
    );
    expect(() => settings({ signozEndpoint: endpoint, allowInsecureSignozEndpoint: 'yes' })).toThrow(
      /not HTTPS/,
    );
    expect(() =>
      settings({ signozEndpoint: 'ftp://otel.example.internal', allowInsecureSignozEndpoint: 'true' }),
    ).toThrow(/not HTTPS/);
  });

  it('refuses what is not a URL', () => {
    expect(() => settings({ signozEndpoint: 'ingest.us.signoz.cloud' })).toThrow(/is not a URL/);
  });
});

describe('reservedConcurrency', () => {
  it('caps the demo at 1 and guarantees the optimizer 2 by default; the others stay unreserved', () => {
    expect(settings().reservedConcurrency).toEqual({ 'observability-demo': 1, 'sampling-optimizer': 2 });
    expect(RESERVED_CONCURRENCY_DEFAULTS).not.toHaveProperty('dual-accuracy-tracker');
    expect(RESERVED_CONCURRENCY_DEFAULTS).not.toHaveProperty('trading-intelligence');
  });

  it('takes a JSON object from the command line, or off', () => {
    expect(settings({ reservedConcurrency: '{"observability-demo":2}' }).reservedConcurrency).toEqual({
      'observability-demo': 2,
    });
    expect(settings({ reservedConcurrency: 'off' }).reservedConcurrency).toEqual({});
  });

  it.each([['{"observability-demo":-1}'], ['{"observability-demo":1.5}'], ['not json']])(
    'refuses %s',
    (value) => {
      expect(() => settings({ reservedConcurrency: value })).toThrow(/reservedConcurrency/);
    },
  );

  it('keeps the account at its unreserved minimum of 100', () => {
    expect(MIN_UNRESERVED_CONCURRENCY).toBe(100);
    expect(DEFAULT_ACCOUNT_CONCURRENCY).toBe(1000);
    // 1000 − 900 = 100: allowed; 901 leaves 99.
    expect(settings({ reservedConcurrency: '{"observability-demo":900}' }).reservedConcurrency).toEqual({
      'observability-demo': 900,
    });
    expect(() => settings({ reservedConcurrency: '{"observability-demo":901}' })).toThrow(
      /reserved concurrency 901 would leave 99 of the account's 1000 unreserved; Lambda keeps at least 100/,
    );
    // A new account's quota of 10 cannot reserve anything: the defaults are refused with the way out.
    expect(() => settings({ accountConcurrencyLimit: 10 })).toThrow(/-c reservedConcurrency=off/);
    expect(settings({ accountConcurrencyLimit: 10, reservedConcurrency: 'off' }).reservedConcurrency).toEqual(
      {},
    );
  });
});

describe('a refused setting', () => {
  // bin/app.ts prints a StackError as one line naming the setting (no stack trace) and exits 1.
  it.each([
    ['signozEndpoint', { signozEndpoint: 'http://otel.example.internal:4318' }],
    ['signozEndpoint', { signozEndpoint: 'not a url' }],
    ['reservedConcurrency', { reservedConcurrency: '{' }],
    ['reservedConcurrency', { reservedConcurrency: '{"observability-demo":-1}' }],
    ['reservedConcurrency', { accountConcurrencyLimit: 10 }],
    ['namePrefix', { namePrefix: 'a b' }],
  ])('is a StackError INVALID_SETTING naming %s', (name, context) => {
    let thrown: unknown;
    try {
      settings(context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StackError);
    expect((thrown as StackError).code).toBe(StackErrorCode.INVALID_SETTING);
    expect((thrown as StackError).message).toContain(name);
  });
});
