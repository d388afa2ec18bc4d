/**
 * The cold-start budget, held by size: every function bundle and the layer built with the stack's own
 * options (lib/bundling.ts) must stay under the bytes measured when their cold starts were brought within
 * the goals (docs/benchmarks.md, "Functions"). Bytes are stable where timings on a shared machine are not,
 * and on a cold start the bundle's size is what Node parses and compiles: a dependency that slips back in
 * fails here first — e.g. one `import { z } from 'zod'` (the namespace as a value: all of zod and its
 * locales, +358 KB) instead of `import * as z from 'zod'`, a second copy of the SDK, or the OpenTelemetry SDK.
 * Raise a budget only with a bench run that shows the cold start still within its goal.
 */
import * as path from 'node:path';
import { build } from 'esbuild';
import { KEY_AGE_CHECK_NAME } from '../../../lib/alerting/rules';
import { functionBuildOptions, layerBuildOptions, PROJECT_ROOT } from '../../../lib/bundling';
import { FUNCTION_NAMES } from '../../../lib/function-names';
import { INGESTION_KEY_ROTATION_NAME } from '../../../lib/ingestion-key-rotation';

/** Bytes of the minified bundle: the measured size plus about 5 % headroom. */
const BUDGET_BYTES: Readonly<Record<string, number>> = {
  'dual-accuracy-tracker': 580_000,
  'trading-intelligence': 585_000,
  'sampling-optimizer': 520_000,
  'observability-demo': 700_000,
  [KEY_AGE_CHECK_NAME]: 405_000,
  // Runs on Secrets Manager's schedule, not on a user's request; measured 415 976 bytes.
  [INGESTION_KEY_ROTATION_NAME]: 437_000,
  layer: 92_000,
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
