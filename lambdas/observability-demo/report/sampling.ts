/**
 * Report sections: a real day's failures, and what observing it cost — measured from the exported spans
 * first (the headline), the modelled figure labelled beside it, then the optimizer's dry run.
 */
import type { FailureReport, KeptTraces, MeasuredExport, SamplingReport } from '../story/types';
import { fmt, section, table, twoSignificant, wrap } from './text';

const FAILURE_LABEL: Record<FailureReport['kind'], string> = {
  throttled_write: 'throttled write',
  bad_payload: 'bad client payload',
  price_feed_gap: 'price-feed gap',
  validation_exception: 'validation exception',
};

export function failuresSection(failures: readonly FailureReport[]): string {
  return section(
    "A real day's failures (injected into the replay)",
    failures
      .map((f) =>
        [
          `  ${FAILURE_LABEL[f.kind]}, ${fmt.et(f.at)}${f.errorStep ? ' (error trace)' : ''}`,
          wrap(f.what, '    '),
          wrap(`→ ${f.outcome}`, '    '),
        ].join('\n'),
      )
      .join('\n'),
  );
}

const kept = (label: string, k: KeptTraces): string =>
  `${label} ${fmt.int(k.exported)} of ${fmt.int(k.expected)}` +
  (k.expected > 0 ? ` (${fmt.pctValue((k.exported / k.expected) * 100, 0)})` : '') +
  (k.missing.length > 0 ? ` — MISSING: ${k.missing.join(', ')}` : '');

function measuredLines(m: MeasuredExport): string[] {
  const partitions = Object.entries(m.partitions)
    .map(([value, n]) => `${value ? `data.partition=${value}` : 'no data.partition'} on ${fmt.int(n)}`)
    .join(', ');
  const dates = m.etDates.length > 0 ? ` (${m.etDates[0]} … ${m.etDates[m.etDates.length - 1]})` : '';
  const categories = Object.entries(m.categories)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, c]) => ({ name, ...c }));
  return [
    wrap(
      `Exported ${fmt.int(m.spans)} spans, ${fmt.bytes(m.bytes)} of OTLP/JSON, of an estimated ` +
        `${fmt.int(m.estimatedSpans)} started (Σ 1/sampling.probability over the exported spans): ` +
        `${fmt.pctValue(m.reductionPct)} fewer spans, ${fmt.pctValue(m.bytesReductionPct)} fewer bytes.` +
        (m.countedSpans === null || m.countedSpans <= 0
          ? ''
          : ` The layer counted ${fmt.int(m.countedSpans)} started (${fmt.pctValue((1 - m.spans / m.countedSpans) * 100)} ` +
            'fewer by that count; Σ 1/p is an estimate, whole traces are sampled together).'),
    ),
    wrap(
      `Kept whole, as they must be: ${kept('error traces', m.errorTraces)}; ` +
        `${kept('high-value traces (opportunity ≥ 70, accuracy alerts)', m.highValueTraces)}; ` +
        `exported traces with an error span not kept whole: ${fmt.int(m.errorTracesNotKept)}.`,
    ),
    wrap(
      `Cost at this run's rate (${m.replayedDays} replayed trading days, ${fmt.bytes(m.bytes / Math.max(1, m.replayedDays))} ` +
        `exported a day): ${fmt.perDay(m.costPerDay)} at $${m.pricePerGb.toFixed(2)}/GB; unsampled ${fmt.perDay(m.costPerDayUnsampled)}.`,
    ),
    wrap(
      `Stamped with the replayed time: span starts on ${m.etDates.length} ET dates${dates}; ${partitions}.`,
    ),
    '',
    table(categories, [
      { header: 'category', value: (c) => c.name, align: 'left' },
      { header: 'exported', value: (c) => fmt.int(c.spans) },
      { header: 'est. started', value: (c) => fmt.int(c.estimatedSpans) },
      { header: 'fewer', value: (c) => fmt.pctValue(c.reductionPct) },
    ]),
  ];
}

export function samplingSection(p: SamplingReport): string {
  const o = p.optimizer;
  const categories = Object.entries(o.categories).map(([name, c]) => ({ name, ...c }));
  const title = p.measured
    ? `What does observing it cost? (measured from ${p.measured.source})`
    : 'What does observing it cost? (the layer’s span volumes; the exported spans are in SigNoz)';
  return section(
    title,
    [
      ...(p.measured ? measuredLines(p.measured) : []),
      wrap(
        `Modelled, not measured: at the current probabilities with nothing kept whole, ` +
          `${fmt.pctValue(p.expectedReductionPct)} fewer spans.`,
      ),
      '',
      wrap(
        `The optimizer (dry run) over the layer's span volumes of the last ${o.windowMinutes} minutes ` +
          `(${o.source}): ${fmt.int(o.spansStarted)} started, ${fmt.int(o.spansExported)} exported; it ` +
          `projects the window to a day as if it were ${o.windowMinutes} minutes of live traffic: ` +
          `${fmt.perDay(o.costPerDayBefore)} at the current sampling, ${fmt.perDay(o.costPerDayUnsampled)} ` +
          `unsampled, ${fmt.perDay(o.costPerDayAfter)} at its proposal; budget ${fmt.money(o.budgetPerDay)}/day: ` +
          `${o.withinBudget === null ? 'no projection' : o.withinBudget ? 'within' : 'OVER'}` +
          (o.costPerDayBefore !== null && o.costPerDayBefore > 0
            ? `, reached at about ${fmt.int(twoSignificant(o.budgetPerDay / o.costPerDayBefore))}× this traffic.`
            : '.'),
      ),
      table(categories, [
        { header: 'category', value: (c) => c.name, align: 'left' },
        { header: 'started', value: (c) => fmt.int(c.spansStarted) },
        { header: 'exported', value: (c) => fmt.int(c.spansExported) },
        { header: 'p now', value: (c) => fmt.num(c.from, 4) },
        { header: 'p proposed', value: (c) => fmt.num(c.to, 4) },
        { header: 'action', value: (c) => c.action, align: 'left' },
      ]),
      wrap(o.reason),
    ].join('\n'),
  );
}
