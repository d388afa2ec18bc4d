import * as path from 'node:path';
import { type BuildOptions, buildSync } from 'esbuild';
import { LAYER_MODULE_NAME } from '../layers/otel/src/constants';

/** Repository root (lib/ is one level below it). */
export const PROJECT_ROOT = path.join(__dirname, '..');

/**
 * esbuild options shared by the CDK functions and the bundle tests, so that what is tested is what ships.
 * ESM entry points (`module` first) let esbuild tree-shake; the layer module and the AWS SDK (provided by
 * the nodejs22.x runtime) stay external, so no function carries the OpenTelemetry SDK again.
 */
export const FUNCTION_BUNDLING = {
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  externalModules: ['@aws-sdk/*', LAYER_MODULE_NAME],
} as const;

export const LAYER_ENTRY = path.join(PROJECT_ROOT, 'layers', 'otel', 'src', 'index.ts');

/** Where the layer's tree is built: `nodejs/node_modules/<module>/index.js`, as Lambda layers expect. */
export const LAYER_BUILD_DIR = path.join(PROJECT_ROOT, '.build', 'otel-layer');

export function layerBuildOptions(outdir = LAYER_BUILD_DIR): BuildOptions {
  return {
    entryPoints: [LAYER_ENTRY],
    outfile: path.join(outdir, 'nodejs', 'node_modules', ...LAYER_MODULE_NAME.split('/'), 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    // The runtime provides the AWS SDK; bundling it would shadow the runtime's copy and bloat the layer.
    external: ['@aws-sdk/*'],
    legalComments: 'none',
    logLevel: 'silent',
  };
}

/** Bundles the telemetry layer synchronously (CDK synth is synchronous). Returns the layer's root dir. */
export function buildLayer(outdir = LAYER_BUILD_DIR): string {
  const result = buildSync({ ...layerBuildOptions(outdir), metafile: true });
  if (result.errors.length > 0) throw new Error(`layer bundle failed: ${result.errors[0]?.text}`);
  return outdir;
}

export function functionBuildOptions(entry: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    format: 'cjs',
    minify: FUNCTION_BUNDLING.minify,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.externalModules],
    write: false,
    logLevel: 'silent',
  };
}
