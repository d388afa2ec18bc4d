/** bench/results.json and the Markdown table (printed and written to bench/results.md). */
import type { BundleSize } from './bundles';
import type { ColdResult } from './cold';
import type { FunctionsResult } from './functions';
import { functionsMarkdown } from './functions-report';
import type { SamplerResult } from './sampler';
import type { SummarizeResult, ValidateAllResult } from './tracker';
import type { WarmScenarioResult } from './warm';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly date: string;
  readonly loadAverage: number[];
}

export interface BenchResults {
  readonly machine: Machine;
  readonly mode: 'quick' | 'full';
  readonly durationS: number;
  readonly goals: Record<
    string,
    { readonly target: string; readonly value: number | null; readonly met: boolean | null }
  >;
  readonly functions?: FunctionsResult;
  readonly cold?: ColdResult;
  readonly warm?: WarmScenarioResult[];
  readonly sampler?: SamplerResult[];
  readonly summarize?: SummarizeResult[];
  readonly validateAll?: ValidateAllResult;
  readonly bundles?: BundleSize[];
  readonly errors: Record<string, string>;
}

const ms = (value: number | undefined | null, digits = 1) =>
  value === undefined || value === null || !Number.isFinite(value) ? '–' : `${value.toFixed(digits)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const signed = (value: number | undefined | null, digits = 1) =>
  value === undefined || value === null ? '–' : `${value >= 0 ? '+' : ''}${value.toFixed(digits)} ms`;
const verdict = (met: boolean | null | undefined) => (met === true ? '✅' : met === false ? '❌' : '–');

export function markdown(results: BenchResults): string {
  const { machine } = results;
  const lines: string[] = [
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}, ${machine.platform}; ` +
      `load average at start ${machine.loadAverage.map((l) => l.toFixed(1)).join(' / ')}; ` +
      `\`npm run bench${results.mode === 'quick' ? ' -- --quick' : ''}\` (${results.durationS.toFixed(0)} s).`,
    '',
    '| goal | target | measured | met |',
    '|---|---|---|---|',
  ];
  for (const [name, goal] of Object.entries(results.goals)) {
    lines.push(`| ${name} | ${goal.target} | ${goal.value ?? '–'} | ${verdict(goal.met)} |`);
  }
  if (results.functions) lines.push(...functionsMarkdown(results.functions));
  if (results.cold) {
    const cold = results.cold;
    lines.push(
      '',
      `**Cold init + first invocation** (fresh \`node\` per round, ${cold.rounds} interleaved rounds, ` +
        `export to an OTLP receiver on loopback; ${cold.exportsReceived}/${cold.exportsExpected} exports received)`,
      '',
      '| variant | JS loaded | ready median | p95 | Δ vs bare median (paired) | Δ p95 | ×bare | module load | first invocation |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const v of cold.variants) {
      lines.push(
        `| ${v.variant} | ${kb(v.bundleBytes)} | ${ms(v.ready.median)} | ${ms(v.ready.p95)} | ${signed(v.overVsBare?.median)} | ` +
          `${signed(v.overVsBare?.p95)} | ${v.ratioToBare ?? '–'} | ${ms(v.init.median)} | ${ms(v.invoke.median)} |`,
      );
    }
  }
  if (results.warm) {
    lines.push(
      '',
      '**Warm invocation** (one process, 10 child spans + invocation span, flushed to the loopback receiver before returning)',
      '',
      '| scenario | invocations | bare p50 | instrumented p50 | p95 | overhead p50 | overhead p95 |',
      '|---|---|---|---|---|---|---|',
    );
    for (const w of results.warm) {
      lines.push(
        `| ${w.scenario} | ${w.invocations} | ${ms(w.bare.median, 3)} | ${ms(w.instrumented.median, 3)} | ` +
          `${ms(w.instrumented.p95, 3)} | ${signed(w.overhead.median, 3)} | ${signed(w.overhead.p95, 3)} |`,
      );
    }
  }
  if (results.sampler) {
    lines.push('', '**Sampler decision** (same process, same inputs, interleaved batches)', '');
    lines.push(
      '| sampler | ns/decision median | p95 | × TraceIdRatioBased | sampled |',
      '|---|---|---|---|---|',
    );
    for (const s of results.sampler) {
      lines.push(
        `| ${s.sampler} | ${s.nsPerDecision.median.toFixed(0)} | ${s.nsPerDecision.p95.toFixed(0)} | ` +
          `${s.ratioToTraceIdRatio ?? '–'} | ${(s.sampledFraction * 100).toFixed(1)} % |`,
      );
    }
  }
  if (results.summarize || results.validateAll) {
    lines.push(
      '',
      "**The tracker's metrics core**",
      '',
      '| work | median | p95 | throughput |',
      '|---|---|---|---|',
    );
    for (const s of results.summarize ?? []) {
      lines.push(
        `| summarize ${s.predictions.toLocaleString('en-US')} predictions (${s.ms.n}×) | ${ms(s.ms.median)} | ` +
          `${ms(s.ms.p95)} | ${(s.perSecond / 1e6).toFixed(2)} M predictions/s |`,
      );
    }
    const v = results.validateAll;
    if (v) {
      lines.push(
        `| validate_all, ${v.predictions.toLocaleString('en-US')} stored predictions, embedded store: first run | ` +
          `${ms(v.firstRunMs, 0)} | – | ${Math.round(v.predictions / (v.firstRunMs / 1000)).toLocaleString('en-US')} /s |`,
      );
      if (v.rerunMs) {
        lines.push(
          `| validate_all re-run (validations unchanged, ${v.rerunMs.n}×) | ${ms(v.rerunMs.median, 0)} | ` +
            `${ms(v.rerunMs.p95, 0)} | ${Math.round(v.predictions / (v.rerunMs.median / 1000)).toLocaleString('en-US')} /s |`,
        );
      }
    }
  }
  if (results.bundles) {
    lines.push(
      '',
      '**Bundles** (lib/bundling.ts options, minified)',
      '',
      '| bundle | raw | gzip | largest inputs |',
    );
    lines.push('|---|---|---|---|');
    for (const b of results.bundles) {
      const largest = b.largest.map((l) => `${l.input} ${kb(l.bytes)}`).join(', ');
      lines.push(
        `| ${b.name} | ${b.error ? b.error : kb(b.bytes)} | ${b.error ? '–' : kb(b.gzipBytes)} | ${largest} |`,
      );
    }
  }
  const errors = Object.entries(results.errors);
  if (errors.length > 0) {
    lines.push('', '**Cases that failed**', '');
    for (const [name, message] of errors) lines.push(`- ${name}: ${message}`);
  }
  return `${lines.join('\n')}\n`;
}
