/**
 * Sampling and cost: what the layer really exported in this run, measured from the exported spans
 * (reduction from Σ 1/p, bytes, cost per replayed day, the traces that had to be kept whole), beside the
 * optimizer's dry run over the span volumes the layer reported and the reduction modelled at the current
 * probabilities (labelled as such in the report).
 */
import { DEFAULT_SAMPLING_CONFIG, KeptReason, SAMPLING_CATEGORIES } from '@trading-observability/otel';
import { BYTES_PER_GB } from '../../sampling-optimizer/cost';
import { optimize } from '../../sampling-optimizer/service';
import { PARTITION_ATTRIBUTE } from '../../shared/partition';
import { StepFailedError } from '../errors';
import { type ExportMeasurement, measureExport, reductionPct } from '../measure/exported-spans';
import { STORY_DEFAULTS, type StoryContext } from './context';
import { DemoAttr } from './steps';
import type { KeptTraces, MeasuredExport, SamplingReport } from './types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** How many of the steps' traces were exported whole, for the reason given. */
function keptTraces(
  measurement: ExportMeasurement,
  steps: readonly string[],
  reasons: readonly string[],
): KeptTraces {
  const whole = new Set<string>();
  for (const trace of measurement.traces.values()) {
    const step = trace.marks[DemoAttr.STEP];
    if (
      step &&
      trace.keptReason !== null &&
      reasons.includes(trace.keptReason) &&
      trace.allAtProbabilityOne
    ) {
      whole.add(step);
    }
  }
  const missing = steps.filter((step) => !whole.has(step));
  return { expected: steps.length, exported: steps.length - missing.length, missing };
}

export function measuredExport(
  ctx: StoryContext,
  measurement: ExportMeasurement,
  options: { readonly replayedDays: number; readonly countedSpans: number | null },
): MeasuredExport {
  const { total } = measurement;
  const pricePerGb = ctx.deps.optimizer.policy.pricePerGb;
  const perDay = (bytes: number) => (bytes / Math.max(1, options.replayedDays) / BYTES_PER_GB) * pricePerGb;
  // Whole requests as written, scaled by the spans' own estimate of what unsampled export would write.
  const unsampledBytes =
    total.bytes > 0 ? measurement.requestBytes * (total.estimatedBytes / total.bytes) : 0;
  const categories: Mutable<MeasuredExport['categories']> = {};
  for (const [name, category] of Object.entries(measurement.byCategory)) {
    categories[name] = {
      spans: category.spans,
      estimatedSpans: category.estimatedSpans,
      reductionPct: reductionPct(category.spans, category.estimatedSpans),
    };
  }
  let errorTracesNotKept = 0;
  for (const trace of measurement.traces.values()) {
    if (trace.hasError && trace.keptReason !== KeptReason.ERROR) errorTracesNotKept += 1;
  }
  return {
    source: measurement.source,
    spans: total.spans,
    estimatedSpans: total.estimatedSpans,
    countedSpans: options.countedSpans,
    reductionPct: reductionPct(total.spans, total.estimatedSpans),
    bytes: measurement.requestBytes,
    bytesReductionPct: reductionPct(total.bytes, total.estimatedBytes),
    replayedDays: options.replayedDays,
    pricePerGb,
    costPerDay: perDay(measurement.requestBytes),
    costPerDayUnsampled: perDay(unsampledBytes),
    categories,
    errorTraces: keptTraces(measurement, ctx.kept.errors, [KeptReason.ERROR]),
    highValueTraces: keptTraces(measurement, ctx.kept.highValue, [KeptReason.HIGH_VALUE, KeptReason.ERROR]),
    errorTracesNotKept,
    etDates: measurement.etDates,
    partitions: measurement.byAttribute,
  };
}

/** The optimizer's dry run over this run's volumes, then the measurement of what was exported. */
export async function samplingReport(ctx: StoryContext, replayedDays: number): Promise<SamplingReport> {
  const { deps, recorder, clock } = ctx;
  const windowMinutes = STORY_DEFAULTS.optimizerWindowMinutes;
  // The window must hold the metrics just emitted: end it at the next whole minute (the optimizer floors).
  const end = new Date((deps.volumeWindowEnd ?? deps.clock)().getTime() + 60_000).toISOString();
  const result = await recorder.run(
    'sampling optimizer (dry run)',
    () =>
      deps.invoke(
        { fn: 'sampling-optimizer', action: 'optimize', id: `optimize@${clock.now}`, at: clock.now },
        () =>
          optimize(
            { store: deps.sampling, settings: deps.optimizer, volumes: deps.volumes, now: deps.clock },
            { action: 'optimize', dry_run: true, asOf: end, window_minutes: windowMinutes },
          ),
      ),
    (value) => (value.ok ? { changed: value.changed } : {}),
  );
  if (!result.ok) throw new StepFailedError(`optimize failed: ${result.error.message}`);
  const projection = result.projection;
  const categories: Mutable<SamplingReport['optimizer']['categories']> = {};
  let started = 0;
  let expectedExported = 0;
  for (const category of SAMPLING_CATEGORIES) {
    const change = result.probabilities?.[category];
    const from = change?.from ?? DEFAULT_SAMPLING_CONFIG.probabilities[category];
    categories[category] = {
      spansStarted: Math.round(change?.spansStarted ?? 0),
      spansExported: Math.round(change?.spansExported ?? 0),
      from,
      to: change?.to ?? from,
      action: change?.action ?? 'unchanged',
    };
    started += change?.spansStarted ?? 0;
    expectedExported += (change?.spansStarted ?? 0) * from;
  }
  const optimizer: SamplingReport['optimizer'] = {
    source: result.window.source,
    windowMinutes,
    spansStarted: Math.round(projection?.spansStarted ?? 0),
    spansExported: Math.round(projection?.spansExported ?? 0),
    costPerDayUnsampled: projection?.costPerDayUnsampled ?? null,
    costPerDayBefore: projection?.costPerDayBefore ?? null,
    costPerDayAfter: projection?.costPerDayAfter ?? null,
    budgetPerDay: deps.optimizer.policy.budgetPerDay,
    withinBudget: projection?.withinBudget ?? null,
    dryRun: result.dryRun,
    reason: result.reason,
    categories,
  };
  const expectedReductionPct = reductionPct(expectedExported, started);
  const source = deps.exportedSpans;
  if (!source) return { expectedReductionPct, optimizer };
  const measurement = measureExport(await source.read(), {
    source: source.source,
    markAttributes: [DemoAttr.STEP],
    countBy: PARTITION_ATTRIBUTE,
  });
  const measured = measuredExport(ctx, measurement, {
    replayedDays,
    countedSpans: projection ? Math.round(projection.spansStarted) : null,
  });
  return { measured, expectedReductionPct, optimizer };
}
