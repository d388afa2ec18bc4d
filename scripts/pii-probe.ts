/**
 * npm run pii-probe [-- --data-dir <dir>]
 *
 * The red team's PII probe, against the real local endpoint: starts `npm run local` (scripts/local-endpoint.ts)
 * on a fresh data directory with sampling off (every span is exported) and DEBUG logs, sends each PII class
 * (phone numbers, IPv4/IPv6 addresses, AWS access key ids and secret keys, US SSNs, e-mails, card numbers,
 * bearer tokens, IBANs) in model ids, symbols, action strings and error-provoking inputs of every function, stops
 * it, and searches what it left: `spans.jsonl`, `metrics.jsonl` and its log (standard output and error). Prints
 * where each value was found; exits 1 if any was. The sinks must also keep the financial data (symbols, prices,
 * ISO times, trace ids, a clean model id), so that an empty or over-scrubbed sink cannot pass.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const PROJECT_ROOT = path.join(__dirname, '..');

/** Each PII class as a caller sends it, and the part of it that must never be found again. */
export const PII = {
  phoneInternational: { sent: '+1 (555) 867-5309', secret: '867-5309' },
  phoneNational: { sent: '07700900123', secret: '07700900123' },
  phoneNanp: { sent: '555-867-5309', secret: '555-867-5309' },
  ipv4: { sent: '192.168.23.45', secret: '192.168.23.45' },
  ipv6: { sent: '2001:db8::8a2e:370:7334', secret: '2001:db8::8a2e:370:7334' },
  awsAccessKeyId: { sent: 'AKIAIOSFODNN7EXAMPLE', secret: 'AKIAIOSFODNN7EXAMPLE' },
  awsSecretKey: {
    sent: 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  ssn: { sent: '078-05-1120', secret: '078-05-1120' },
  email: { sent: 'jane.doe@example.com', secret: 'jane.doe@example.com' },
  cardSpaced: { sent: '4111 1111 1111 1111', secret: '4111 1111 1111 1111' },
  cardPlain: { sent: '5500005555555559', secret: '5500005555555559' },
  bearer: {
    sent: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqZG9lIn0.c2lnbmF0dXJl',
    secret: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqZG9lIn0.c2lnbmF0dXJl',
  },
  iban: { sent: 'GB29NWBK60161331926819', secret: 'GB29NWBK60161331926819' },
} as const;
export type PiiClass = keyof typeof PII;

/** What must survive the scrubber in the same sinks (the product's own data). */
export const SURVIVORS = {
  spans: ['PROBE', 'lstm-v3', '"doubleValue":0.74', 'ml.model', 'finance.symbol'],
  metrics: ['TradingObservability', 'lstm-v3'],
  logs: ['dual-accuracy-tracker', 'trace_id'],
} as const;

/** The model-id schema's alphabet: the PII classes that fit in a model id are sent as one (and accepted). */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ProbeRequest {
  readonly label: string;
  readonly functionName: string;
  /** The function name as requested (PII in the path of a request that must 404). */
  readonly requestedName?: string;
  readonly payload: unknown;
}

/** A prediction of the probe's clean symbol; `model` and `symbol` are where PII goes. */
function prediction(model: string, symbol: string, i: number, now: number): Record<string, unknown> {
  const target = Math.floor(now / 3_600_000) * 3_600_000 - (i + 1) * 3_600_000;
  return {
    symbol,
    model,
    predictedAt: new Date(target - 1_800_000).toISOString(),
    targetTime: new Date(target).toISOString(),
    basePrice: 187.25,
    predictedPrice: 189.5,
    confidence: 0.74,
  };
}

/** Every request of the probe: PII in each place a caller can put it. */
export function probeRequests(now = Date.now()): ProbeRequest[] {
  const requests: ProbeRequest[] = [];
  const tracker = 'dual-accuracy-tracker';
  const trading = 'trading-intelligence';
  const values = Object.entries(PII) as Array<[PiiClass, (typeof PII)[PiiClass]]>;
  // Clean data first, so validate_all and analyze have something to compute and emit.
  const clean = Array.from({ length: 6 }, (_, i) => prediction('lstm-v3', 'PROBE', i, now));
  requests.push({
    label: 'clean predictions',
    functionName: tracker,
    payload: { action: 'record_predictions', predictions: clean },
  });
  requests.push({
    label: 'clean prices',
    functionName: tracker,
    payload: {
      action: 'record_prices',
      prices: clean.map((p) => ({ symbol: 'PROBE', timestamp: p.targetTime, price: 187.25 })),
    },
  });
  values.forEach(([name, { sent }], i) => {
    // Model ids: stored and measured when the schema allows the value, refused otherwise.
    const models = [sent, `lstm_${sent}`, `m-${sent}.v2`];
    requests.push({
      label: `${name} in model ids (${models.filter((m) => MODEL_ID.test(m)).length} of 3 valid)`,
      functionName: tracker,
      payload: {
        action: 'record_predictions',
        predictions: models.map((model, j) => prediction(model, 'PROBE', 10 + i * 3 + j, now)),
      },
    });
    // Symbols: no PII class fits the ticker alphabet; each is refused, and the refusal must not echo it.
    requests.push({
      label: `${name} as a symbol`,
      functionName: tracker,
      payload: {
        action: 'record_prices',
        prices: [{ symbol: sent, timestamp: new Date(now).toISOString(), price: 1 }],
      },
    });
    requests.push({
      label: `${name} in a symbols filter`,
      functionName: trading,
      payload: { action: 'analyze', symbols: [sent] },
    });
    // Action strings.
    for (const fn of [tracker, trading, 'sampling-optimizer']) {
      requests.push({ label: `${name} as the action of ${fn}`, functionName: fn, payload: { action: sent } });
    }
    requests.push({
      label: `${name} as demo_type`,
      functionName: 'observability-demo',
      payload: { demo_type: sent },
    });
    // Other error-provoking inputs: unknown fields (name and value), a bad time, a bad number, a bad name.
    requests.push({
      label: `${name} in unknown fields`,
      functionName: tracker,
      payload: { action: 'report', note: sent, [`x_${name}`]: sent, customer_email: sent },
    });
    requests.push({
      label: `${name} as a timestamp`,
      functionName: tracker,
      payload: {
        action: 'record_predictions',
        predictions: [{ ...prediction('lstm-v3', 'PROBE', 0, now), predictedAt: sent }],
      },
    });
    requests.push({
      label: `${name} as asOf`,
      functionName: trading,
      payload: { action: 'analyze', asOf: sent },
    });
    requests.push({
      label: `${name} as lookback_days`,
      functionName: tracker,
      payload: { action: 'validate_all', lookback_days: sent },
    });
    requests.push({
      label: `${name} as a models filter`,
      functionName: tracker,
      payload: { action: 'validate_all', models: [sent] },
    });
    requests.push({
      label: `${name} as the function name`,
      functionName: tracker,
      requestedName: `${tracker}-${sent}`,
      payload: { action: 'report' },
    });
  });
  // Prices at every target time, so that each prediction (PII model ids too) is validated: its span carries
  // ml.model, its metrics the model dimension.
  const targets = requests.flatMap((request) => {
    const payload = request.payload as { action?: string; predictions?: Array<{ targetTime?: unknown }> };
    return payload.action === 'record_predictions' && request.label !== 'clean predictions'
      ? (payload.predictions ?? []).map((p) => p.targetTime).filter((t): t is string => typeof t === 'string')
      : [];
  });
  requests.push({
    label: 'prices at every target time',
    functionName: tracker,
    payload: {
      action: 'record_prices',
      prices: [...new Set(targets)].map((timestamp) => ({ symbol: 'PROBE', timestamp, price: 188.5 })),
    },
  });
  // Compute over everything stored: validation spans with ml.model, EMF with model dimensions, opportunity spans.
  requests.push({
    label: 'validate_all',
    functionName: tracker,
    payload: { action: 'validate_all', lookback_days: 30 },
  });
  requests.push({ label: 'analyze', functionName: trading, payload: { action: 'analyze' } });
  return requests;
}

export interface ProbeFinding {
  readonly pii: PiiClass;
  readonly sink: 'spans' | 'metrics' | 'logs';
  /** The line it was found in, cut around it. */
  readonly excerpt: string;
}

export interface ProbeReport {
  readonly requests: number;
  readonly answered: number;
  readonly bytes: { readonly spans: number; readonly metrics: number; readonly logs: number };
  readonly findings: readonly ProbeFinding[];
  /** Financial data expected in each sink but missing (an over-scrubbed or empty sink). */
  readonly missingSurvivors: readonly string[];
}

interface Endpoint {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

async function startEndpoint(dataDir: string): Promise<Endpoint> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCAL_DATA_DIR: dataDir,
    TELEMETRY_MODE: 'local',
    // Every span exported: a value in a span the sampler dropped would otherwise go unseen.
    OTEL_TRACES_SAMPLER: 'always_on',
    LOG_LEVEL: 'DEBUG',
    NODE_NO_WARNINGS: '1',
    // Per-model metrics exist only for watch-listed models: the probe's clean model is on the list (so the
    // scrubber must let it through to the metrics), the PII sent as model ids is not.
    METRIC_MODEL_WATCHLIST: 'lstm-v3',
  };
  for (const key of [
    'TELEMETRY_LOCAL_SPANS_FILE',
    'TELEMETRY_LOCAL_METRICS_FILE',
    'LOCAL_LAMBDA_PORT',
    'NODE_EXTRA_CA_CERTS',
  ]) {
    delete env[key];
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), path.join(PROJECT_ROOT, 'scripts', 'local-endpoint.ts'), '--port', '0'],
    { cwd: PROJECT_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 20_000);
    await exited;
    clearTimeout(timer);
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local endpoint did not start:\n${output}`)), 90_000);
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match[1]);
      }
    }, 50);
    void exited.then(() => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`the local endpoint exited:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, output: () => output, stop };
}

function findings(sink: ProbeFinding['sink'], text: string): ProbeFinding[] {
  const found: ProbeFinding[] = [];
  for (const [pii, { secret }] of Object.entries(PII) as Array<[PiiClass, (typeof PII)[PiiClass]]>) {
    const at = text.indexOf(secret);
    if (at >= 0)
      found.push({ pii, sink, excerpt: text.slice(Math.max(0, at - 60), at + secret.length + 20) });
  }
  return found;
}

/** Runs the probe on `dataDir` (fresh: the sinks are read whole). */
export async function runPiiProbe(dataDir: string): Promise<ProbeReport> {
  const endpoint = await startEndpoint(dataDir);
  const requests = probeRequests();
  let answered = 0;
  try {
    for (const request of requests) {
      const name = encodeURIComponent(request.requestedName ?? request.functionName);
      const response = await fetch(`${endpoint.url}/2015-03-31/functions/${name}/invocations`, {
        method: 'POST',
        body: JSON.stringify(request.payload),
      });
      await response.text();
      if (response.status < 500) answered += 1;
    }
  } finally {
    await endpoint.stop();
  }
  const read = (file: string) =>
    existsSync(path.join(dataDir, file)) ? readFileSync(path.join(dataDir, file), 'utf8') : '';
  const sinks = { spans: read('spans.jsonl'), metrics: read('metrics.jsonl'), logs: endpoint.output() };
  const missingSurvivors = (
    Object.entries(SURVIVORS) as Array<[keyof typeof sinks, readonly string[]]>
  ).flatMap(([sink, expected]) =>
    expected.filter((value) => !sinks[sink].includes(value)).map((value) => `${sink}: ${value}`),
  );
  return {
    requests: requests.length,
    answered,
    bytes: { spans: sinks.spans.length, metrics: sinks.metrics.length, logs: sinks.logs.length },
    findings: [
      ...findings('spans', sinks.spans),
      ...findings('metrics', sinks.metrics),
      ...findings('logs', sinks.logs),
    ],
    missingSurvivors,
  };
}

async function main(): Promise<number> {
  const index = process.argv.indexOf('--data-dir');
  const dataDir =
    index >= 0 && process.argv[index + 1]
      ? path.resolve(process.argv[index + 1] as string)
      : mkdtempSync(path.join(tmpdir(), 'pii-probe-'));
  process.stdout.write(`PII probe: ${Object.keys(PII).length} classes, data directory ${dataDir}\n`);
  const report = await runPiiProbe(dataDir);
  process.stdout.write(
    `${report.requests} requests (${report.answered} answered); searched spans.jsonl ${report.bytes.spans} B, ` +
      `metrics.jsonl ${report.bytes.metrics} B, endpoint log ${report.bytes.logs} B\n`,
  );
  for (const [pii] of Object.entries(PII)) {
    const where = report.findings.filter((finding) => finding.pii === pii).map((finding) => finding.sink);
    process.stdout.write(
      `  ${pii.padEnd(20)} ${where.length === 0 ? 'not found' : `FOUND in ${where.join(', ')}`}\n`,
    );
  }
  for (const finding of report.findings)
    process.stdout.write(`  ${finding.sink}: …${JSON.stringify(finding.excerpt)}…\n`);
  if (report.missingSurvivors.length > 0) {
    process.stdout.write(
      `financial data missing (over-scrubbed or empty sink): ${report.missingSurvivors.join('; ')}\n`,
    );
  }
  return report.findings.length === 0 && report.missingSurvivors.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`pii-probe: ${(error as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
