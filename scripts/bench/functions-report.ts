/** The functions case in bench/results.md: goals and tables. */
import type { FunctionsResult, FunctionVariantResult } from './functions';

/** Goals of issue 16: each function within 90 ms of a bare handler, the layer alone within 15 ms. */
export const FUNCTION_GOALS = { functionOverBareMs: 90, layerOverBareMs: 15 } as const;

type Goal = { readonly target: string; readonly value: number | null; readonly met: boolean | null };

const round1 = (value: number | undefined) => (value === undefined ? null : Math.round(value * 10) / 10);

export function functionGoals(result: FunctionsResult): Record<string, Goal> {
  const goals: Record<string, Goal> = {};
  const layer = result.variants.find((v) => v.variant === 'layer')?.overVsBare?.median;
  goals['layer alone, init + first invocation with one exported span (median Δ vs bare, ms)'] = {
    target: `≤ ${FUNCTION_GOALS.layerOverBareMs}`,
    value: round1(layer),
    met: layer === undefined ? null : layer <= FUNCTION_GOALS.layerOverBareMs,
  };
  for (const v of result.variants.filter(
    (variant) => variant.kind === 'function' && !variant.variant.includes(' @'),
  )) {
    const over = v.overVsBare?.median;
    goals[`${v.variant}: whole cold start (median Δ vs bare, ms)`] = {
      target: `≤ ${FUNCTION_GOALS.functionOverBareMs}`,
      value: round1(over),
      met: over === undefined ? null : over <= FUNCTION_GOALS.functionOverBareMs,
    };
  }
  return goals;
}

const ms = (value: number | undefined | null) =>
  value === undefined || value === null || !Number.isFinite(value) ? '–' : `${value.toFixed(1)} ms`;
const signed = (value: number | undefined | null) =>
  value === undefined || value === null ? '–' : `${value >= 0 ? '+' : ''}${value.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function loadedOutside(v: FunctionVariantResult): string {
  const outside = v.loaded.filter((group) => group.group !== 'function bundle');
  if (outside.length === 0) return '–';
  const files = outside.reduce((sum, group) => sum + group.files, 0);
  const bytes = outside.reduce((sum, group) => sum + group.bytes, 0);
  return `${kb(bytes)} (${files} files)`;
}

export function functionsMarkdown(result: FunctionsResult): string[] {
  const lines = [
    '',
    `**Functions: whole cold start** (each function asset as \`cdk synth\` builds it, fresh \`node\` per round ` +
      `through a runtime-like driver, the layer on NODE_PATH, the runtime's SDK resolvable; one request ` +
      `against loopback DynamoDB, Secrets Manager and OTLP stand-ins; children on Node ${result.node}; ` +
      `${result.rounds} interleaved rounds` +
      `${result.ref ? `; "@${result.ref}": the same, synthesized at ${result.ref}` : ''})`,
    '',
    '| variant | bundle | also loaded | ready median | p95 | Δ vs bare | Δ p95 | Δ vs SDK floor | module load | first invocation | exports |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const v of result.variants) {
    lines.push(
      `| ${v.variant} | ${kb(v.bundleBytes)} | ${loadedOutside(v)} | ${ms(v.ready.median)} | ${ms(v.ready.p95)} | ` +
        `${signed(v.overVsBare?.median)} | ${signed(v.overVsBare?.p95)} | ${signed(v.overVsFloor?.median)} | ` +
        `${ms(v.init.median)} | ${ms(v.invoke.median)} | ` +
        `${v.exportsExpected ? `${v.exportsReceived}/${v.exportsExpected}` : '–'} |`,
    );
  }
  lines.push(
    '',
    '**Where the bytes come from** (largest inputs of each bundle; what it loads besides its bundle)',
    '',
  );
  lines.push('| variant | largest inputs of the bundle | loaded besides the bundle |', '|---|---|---|');
  for (const v of result.variants) {
    if (v.kind === 'bare') continue;
    const largest = v.largestInputs.map((input) => `${input.input} ${kb(input.bytes)}`).join(', ') || '–';
    const outside =
      v.loaded
        .filter((group) => group.group !== 'function bundle')
        .slice(0, 5)
        .map((group) => `${group.group} ${kb(group.bytes)}/${group.files}`)
        .join(', ') || '–';
    lines.push(`| ${v.variant} | ${largest} | ${outside} |`);
  }
  return lines;
}
