/** Case 5, bundle sizes: the layer and every function, built with the stack's own options, raw and gzip. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_NAMES } from '../../lambdas/shared/names/functions';
import { functionBuildOptions, layerBuildOptions, PROJECT_ROOT } from '../../lib/bundling';

export interface BundleSize {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The largest inputs by bytes in the output (package or source directory). */
  readonly largest: Array<{ input: string; bytes: number }>;
  readonly error?: string;
}

function largestInputs(metafile: Metafile): Array<{ input: string; bytes: number }> {
  const byGroup = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, info] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const group = match ? (match[1] as string) : path.dirname(file);
      byGroup.set(group, (byGroup.get(group) ?? 0) + info.bytesInOutput);
    }
  }
  return [...byGroup]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([input, bytes]) => ({ input, bytes }));
}

async function measure(name: string, options: Parameters<typeof build>[0]): Promise<BundleSize> {
  try {
    const result = await build({ ...options, write: false, metafile: true });
    const contents = Buffer.concat((result.outputFiles ?? []).map((file) => Buffer.from(file.contents)));
    return {
      name,
      bytes: contents.length,
      gzipBytes: gzipSync(contents, { level: 9 }).length,
      largest: result.metafile ? largestInputs(result.metafile) : [],
    };
  } catch (error) {
    return {
      name,
      bytes: 0,
      gzipBytes: 0,
      largest: [],
      error: (error as Error).message.split('\n')[0] ?? '',
    };
  }
}

export async function runBundleCase(progress: (line: string) => void): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [await measure('layer (@trading-observability/otel)', layerBuildOptions())];
  for (const fn of FUNCTION_NAMES) {
    const entry = path.join(PROJECT_ROOT, 'lambdas', fn, 'handler.ts');
    if (!existsSync(entry)) {
      sizes.push({ name: fn, bytes: 0, gzipBytes: 0, largest: [], error: 'no handler.ts' });
      continue;
    }
    sizes.push(await measure(fn, functionBuildOptions(entry)));
  }
  for (const size of sizes) {
    progress(
      `  bundle: ${size.name}: ${(size.bytes / 1024).toFixed(1)} KB, gzip ${(size.gzipBytes / 1024).toFixed(1)} KB` +
        (size.error ? ` (${size.error})` : ''),
    );
  }
  return sizes;
}
