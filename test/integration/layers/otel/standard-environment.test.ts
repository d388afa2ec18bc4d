/**
 * The shipped layer bundle, configured only by the standard OpenTelemetry variables, in a fresh Node
 * process with nothing else in its environment: spans reach a real OTLP/HTTP receiver.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { layerBuildOptions } from '../../../../lib/bundling';
import { attributesOf, type OtlpReceiver, startOtlpReceiver } from '../../../../scripts/local/otlp-receiver';

const run = promisify(execFile);

/** A handler as a function would write it: one high-value analysis span (kept by the default sampler). */
const HANDLER = (bundle: string) => `
const otel = require(${JSON.stringify(bundle)});
const handler = otel.instrument(async () => {
  await otel.withSpan('trading.opportunity_analysis', { 'finance.symbol': 'AAPL', opportunity_score: 91 }, () => 1);
  return { ok: true };
});
handler({ action: 'analyze' }, { functionName: 'trading-intelligence', awsRequestId: 'req-1' })
  .then((result) => process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n'));
`;

describe('the layer configured by the standard OpenTelemetry environment variables only', () => {
  let dir: string;
  let script: string;
  let receiver: OtlpReceiver;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'otel-standard-env-'));
    const options = layerBuildOptions(dir);
    buildSync(options);
    script = join(dir, 'handler.js');
    writeFileSync(script, HANDLER(options.outfile as string));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.close());

  /** Runs the handler once in a child process whose environment is exactly `env` (plus PATH). */
  async function invoke(env: Record<string, string>): Promise<unknown> {
    const { stdout } = await run(process.execPath, [script], { env: { PATH: process.env.PATH, ...env } });
    // stdout also carries the EMF metric lines, as in Lambda.
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    return line === undefined ? undefined : JSON.parse(line.slice('RESULT '.length));
  }

  it('sends spans to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces with OTEL_EXPORTER_OTLP_HEADERS', async () => {
    const result = await invoke({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'signoz-ingestion-key=key%3D1,x-team=trading',
    });

    expect(result).toEqual({ ok: true });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.path).toBe('/v1/traces');
    expect(request?.headers['signoz-ingestion-key']).toBe('key=1');
    expect(request?.headers['x-team']).toBe('trading');
    const resource = attributesOf(request?.body.resourceSpans[0]?.resource.attributes ?? []);
    expect(resource['service.name']).toBe('stock_analytics');
    const names = request?.body.resourceSpans.flatMap((r) =>
      r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name)),
    );
    expect(names).toEqual(expect.arrayContaining(['trading.opportunity_analysis']));
  });

  it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, and the service and resource variables', async () => {
    await invoke({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/ingest/traces`,
      OTEL_SERVICE_NAME: 'analytics-eu',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,team=quant',
      OTEL_TRACES_SAMPLER: 'always_on',
    });

    expect(receiver.received.map((r) => r.path)).toEqual(['/ingest/traces']);
    const resource = attributesOf(receiver.received[0]?.body.resourceSpans[0]?.resource.attributes ?? []);
    expect(resource).toMatchObject({
      'service.name': 'analytics-eu',
      'deployment.environment.name': 'staging',
      team: 'quant',
    });
  });

  it('exports nothing with OTEL_SDK_DISABLED=true, and the call still answers', async () => {
    const result = await invoke({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SDK_DISABLED: 'true' });

    expect(result).toEqual({ ok: true });
    expect(receiver.received).toEqual([]);
  });
});
