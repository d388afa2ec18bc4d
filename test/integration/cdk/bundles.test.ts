import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_NAMES } from '../../../lambdas/shared/names/functions';
import { functionBuildOptions, LAYER_ENTRY, layerBuildOptions, PROJECT_ROOT } from '../../../lib/bundling';

/** Builds with the exact options the stack uses (lib/bundling.ts) and inspects what went in. */
async function bundle(
  options: Parameters<typeof build>[0],
): Promise<{ inputs: string[]; external: string[]; text: string; bytes: number }> {
  const result = await build({ ...options, write: false, metafile: true });
  const metafile = result.metafile as Metafile;
  const text = result.outputFiles?.map((file) => file.text).join('\n') ?? '';
  // What the bundle still requires at run time (resolved outside it).
  const external = Object.values(metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external).map((i) => i.path),
  );
  return { inputs: Object.keys(metafile.inputs), external, text, bytes: Buffer.byteLength(text) };
}

describe('bundles: the OpenTelemetry SDK lives once, in the layer; each function bundles its AWS SDK clients', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'otel-layer-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('the layer bundle holds the tracer SDK and no @aws-sdk code', async () => {
    const layer = await bundle(layerBuildOptions(outdir));
    expect(layer.inputs.some((input) => input.includes('node_modules/@opentelemetry/sdk-trace'))).toBe(true);
    expect(layer.inputs.filter((input) => input.includes('node_modules/@aws-sdk/'))).toEqual([]);
    expect(layer.inputs.filter((input) => input.includes('node_modules/@smithy/'))).toEqual([]);
    // Loaded lazily from the Lambda runtime, so they appear only as require() of an external module.
    expect(layer.text).toMatch(/require\("@aws-sdk\/client-secrets-manager"\)/);
  });

  it.each(FUNCTION_NAMES)(
    'the %s bundle contains neither the OpenTelemetry SDK nor the layer module',
    async (name) => {
      const entry = path.join(PROJECT_ROOT, 'lambdas', name, 'handler.ts');
      expect(existsSync(entry)).toBe(true);
      const fn = await bundle(functionBuildOptions(entry));
      expect(fn.inputs.filter((input) => input.includes('node_modules/@opentelemetry/'))).toEqual([]);
      // Only the layer's dependency-free constants (attribute and metric names) may be inlined; its code may not.
      const layerDir = path.relative(PROJECT_ROOT, path.dirname(LAYER_ENTRY));
      const inlined = fn.inputs.filter((input) => input.startsWith(layerDir));
      expect(inlined.filter((input) => input !== path.join(layerDir, 'constants.ts'))).toEqual([]);
      // The SDK clients it uses are bundled from their ESM builds (tree-shaken), never required at run time.
      const sdk = fn.inputs.filter((input) => input.includes('node_modules/@aws-sdk/'));
      expect(sdk.some((input) => input.includes('node_modules/@aws-sdk/client-dynamodb/dist-es/'))).toBe(
        true,
      );
      expect(sdk.filter((input) => input.includes('/dist-cjs/'))).toEqual([]);
      expect(fn.external.filter((module) => module.startsWith('@aws-sdk/'))).toEqual([]);
      expect(fn.text).toMatch(/require\("@trading-observability\/otel"\)/);
      // ET comes from the US DST rules (lambdas/shared/market/eastern-time.ts), not a tz library or Intl.
      expect(fn.inputs.filter((input) => input.includes('node_modules/luxon/'))).toEqual([]);
      expect(fn.text).not.toMatch(/DateTimeFormat/);
    },
  );
});
