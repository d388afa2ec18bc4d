/**
 * The cold-start budget, held by size: every function bundle and the layer built with the stack's own
 * options (lib/bundling.ts) must stay under the bytes measured when their cold starts were brought within
 * the goals (docs/benchmarks.md, "Functions"). Bytes are stable where timings on a shared machine are not,
 * and on a cold start the bundle's size is what Node parses and compiles: a dependency that slips back in
 * fails here first — e.g. zod's chainable API (`from 'zod'`: +60 KB, or +420 KB with `import { z }`, which
 * keeps every locale) instead of lambdas/shared/zod.ts (zod/mini), the SDK's default credential chain back
 * (+130 KB), luxon (+68 KB), a second copy of the SDK, or the OpenTelemetry SDK.
 * Raise a budget only with a bench run that shows the cold start still within its goal.
 */
import * as path from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_NAMES } from '../../../lambdas/shared/names/functions';
import { KEY_AGE_CHECK_NAME } from '../../../lib/alerting/rules';
import { functionBuildOptions, layerBuildOptions, PROJECT_ROOT } from '../../../lib/bundling';
import { INGESTION_KEY_ROTATION_NAME } from '../../../lib/ingestion-key-rotation';

/** Bytes of the minified bundle: the measured size plus about 5 % headroom. */
const BUDGET_BYTES: Readonly<Record<string, number>> = {
  // Measured after the second cold-start round (docs/benchmarks.md): ET without luxon, environment
  // credentials instead of the default chain, zod/mini.
  'dual-accuracy-tracker': 298_000, // 283 691 bytes
  'trading-intelligence': 302_000, // 287 167
  'sampling-optimizer': 308_000, // 292 997
  'observability-demo': 435_000, // 413 462
  [KEY_AGE_CHECK_NAME]: 189_000, // 179 377
  // Runs on Secrets Manager's schedule, not on a user's request.
  [INGESTION_KEY_ROTATION_NAME]: 231_000, // 219 932
  // 88.4 → 94.7 KB with the standard OTEL_* configuration schema (config.ts 1.6 → 5.9 KB): whole cold start
  // (fresh node, require + one exported invocation) of the two layers, 100 interleaved rounds, load
  // average 8: paired median Δ −0.0 ms. 94.7 → 102.1 KB with OpenTelemetry's AsyncLocalStorageContextManager
  // (@opentelemetry/context-async-hooks) for the hand-written one: same A/B, paired median Δ +1.8 ms (100
  // rounds, load average 8) and +0.7 ms (40 rounds), under the 2 ms the design allowed for it.
  layer: 107_000,
};

async function bytesOf(options: Parameters<typeof build>[0]): Promise<number> {
  const result = await build({ ...options, write: false });
  return (result.outputFiles ?? [])
    .filter((file) => !file.path.endsWith('.map'))
    .reduce((sum, file) => sum + file.contents.length, 0);
}

describe('bundle size budgets (the cold-start budget in bytes)', () => {
  it.each([...FUNCTION_NAMES, KEY_AGE_CHECK_NAME, INGESTION_KEY_ROTATION_NAME])(
    '%s stays within its budget',
    async (name) => {
      const bytes = await bytesOf(
        functionBuildOptions(path.join(PROJECT_ROOT, 'lambdas', name, 'handler.ts')),
      );
      const budget = BUDGET_BYTES[name];
      expect(budget).toBeDefined();
      expect(bytes).toBeGreaterThan(10_000);
      expect(bytes).toBeLessThanOrEqual(budget as number);
    },
  );

  it('the layer stays within its budget', async () => {
    expect(await bytesOf({ ...layerBuildOptions(), write: false })).toBeLessThanOrEqual(
      BUDGET_BYTES.layer as number,
    );
  });
});
