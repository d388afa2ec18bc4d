/**
 * `npm run demo [-- --seed N]`: the whole product, offline. Starts the embedded DynamoDB (persisted under
 * .local/dynamodb), runs the observability-demo story in the `demo` partition with every step as its own
 * instrumented invocation of the function it belongs to (telemetry in local mode: the layer samples and
 * writes what it would export to .local/spans.jsonl, EMF metrics to .local/metrics.jsonl, stamped with the
 * replayed time), reads the exported spans back for the report's measured figures, writes the SigNoz
 * dashboards to dashboards/, and prints the report on stdout. Progress and timings go to stderr, so stdout
 * is the report alone: two runs with the same seed print the same report.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { initTelemetry } from '@trading-observability/otel';
import { loadStoryDeps } from '../lambdas/observability-demo/deps';
import { parseExportLines } from '../lambdas/observability-demo/measure/exported-spans';
import { formatReport } from '../lambdas/observability-demo/report';
import { runStory, stepAsInvocation } from '../lambdas/observability-demo/story';
import { writeDashboardFiles } from '../lib/signoz-artifacts';
import { StoreInUseError } from './local/embedded-dynamo';
import { lambdaContext, localDataDir, PROJECT_ROOT, prepareLocalEnvironment } from './local/runtime';

const DEFAULT_SEED = 42;

function parseSeed(argv: readonly string[]): number {
  const index = argv.indexOf('--seed');
  if (index === -1) return DEFAULT_SEED;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new Error(`--seed needs an integer 0..4294967295 (got ${argv[index + 1] ?? 'nothing'})`);
  }
  return value;
}

const rel = (file: string) => path.relative(process.cwd(), file) || '.';

/** Step lines on stderr; a bar that redraws in place on a terminal, nothing in between otherwise. */
function progressPrinter(stream: NodeJS.WriteStream) {
  const tty = stream.isTTY === true;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\u001b[2K');
    drawn = false;
  };
  return {
    progress(step: string, done: number, total: number) {
      if (!tty) return;
      const width = 24;
      const filled = Math.round((done / Math.max(1, total)) * width);
      clear();
      stream.write(`  … ${step} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`);
      drawn = true;
    },
    line(text: string) {
      clear();
      stream.write(`${text}\n`);
    },
  };
}

function describe(step: Record<string, unknown>): string {
  return Object.entries(step)
    .filter(([key]) => key !== 'name' && key !== 'ms')
    .map(
      ([key, value]) => `${key} ${typeof value === 'number' ? value.toLocaleString('en-US') : String(value)}`,
    )
    .join(', ');
}

async function main(): Promise<number> {
  const started = performance.now();
  const seed = parseSeed(process.argv.slice(2));
  // The AWS SDK warns on every Node 20 start that future releases need Node 22; not the newcomer's concern.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const printer = progressPrinter(process.stderr);
  printer.line(
    `npm run demo: seed ${seed}, embedded DynamoDB under ${rel(path.join(localDataDir(), 'dynamodb'))}`,
  );
  // Not on a store `npm run local` holds: the demo starts its span and metric files afresh and reports from
  // them, which would erase the endpoint's and count its spans as the demo's.
  const store = await prepareLocalEnvironment({ join: false });
  const spansFile = process.env.TELEMETRY_LOCAL_SPANS_FILE ?? path.join(localDataDir(), 'spans.jsonl');
  const metricsFile = process.env.TELEMETRY_LOCAL_METRICS_FILE ?? path.join(localDataDir(), 'metrics.jsonl');
  // This run's telemetry only: the optimizer reads this run's volumes, the dashboards verify this run's spans.
  mkdirSync(path.dirname(spansFile), { recursive: true });
  const logsFile = path.join(path.dirname(spansFile), 'logs.jsonl');
  writeFileSync(spansFile, '');
  writeFileSync(metricsFile, '');
  writeFileSync(logsFile, '');
  // The run's log lines (the injected failures log errors) go to a file beside the spans, not the terminal.
  initTelemetry({ logSink: { write: (line) => appendFileSync(logsFile, `${line}\n`) } });

  try {
    // Created only now: the layer and the configuration read the prepared environment on first use.
    const deps = loadStoryDeps({
      // Each step is one invocation of its function: its own root span, trace, sampling decision and flush.
      invoke: (namespace) => stepAsInvocation({ namespace, seed, context: lambdaContext }),
      onProgress: ({ step, done, total }) => printer.progress(step, done, total),
      onStep: (step) =>
        printer.line(
          `  ✓ ${step.name.padEnd(58)} ${(step.ms / 1000).toFixed(1).padStart(5)} s  ${describe(step)}`,
        ),
      exportedSpans: {
        source: rel(spansFile),
        read: async () => parseExportLines(readFileSync(spansFile, 'utf8')),
      },
    });
    const result = await runStory(deps, { demo_type: 'full_demo', seed });

    const dashboardsDir = path.join(PROJECT_ROOT, 'dashboards');
    writeDashboardFiles(dashboardsDir);
    process.stdout.write(
      formatReport(result, {
        dashboardsDir: rel(dashboardsDir),
        spansFile: rel(spansFile),
        metricsFile: rel(metricsFile),
        logsFile: rel(logsFile),
        storeDir: rel(path.join(localDataDir(), 'dynamodb')),
      }),
    );
    printer.line(`npm run demo finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await store.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof StoreInUseError) console.error(`npm run demo: ${error.message}`);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
