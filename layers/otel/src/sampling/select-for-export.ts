import { type Attributes, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Attr } from '../constants';
import { categorizeSpan, isHighValue } from './categorize';
import {
  MAX_THRESHOLD,
  MIN_THRESHOLD,
  minThreshold,
  probabilityToThreshold,
  thresholdToProbability,
  withThreshold,
} from './consistent-probability';
import { estimateSpanJsonBytes } from './span-size';
import { SAMPLING_CATEGORIES, type SamplingCategory, type SamplingConfig } from './types';

/** Why a span that its probability decision dropped was exported anyway. */
export const KeptReason = {
  ERROR: 'error',
  HIGH_VALUE: 'high_value',
} as const;
export type KeptReason = (typeof KeptReason)[keyof typeof KeptReason];

export interface ExportedSpan {
  /** The recorded span, unchanged. */
  readonly span: ReadableSpan;
  /** The attributes to export: the span's own plus `sampling.probability` (and `sampling.kept_reason`). */
  readonly attributes: Attributes;
  /**
   * The trace state to export (serialised), with `ot=th:<hex>` matching the final probability; the
   * span context's own trace state is stale for rescued spans (recorded unsampled, without `th`).
   */
  readonly traceState: string | undefined;
}

export interface CategoryVolume {
  started: number;
  exported: number;
  /** Estimated OTLP/JSON bytes (see `estimateSpanJsonBytes`). */
  startedBytes: number;
  exportedBytes: number;
}

export interface ExportDecision {
  readonly exported: ExportedSpan[];
  readonly stats: Record<SamplingCategory, CategoryVolume>;
}

export function emptyVolumeStats(): Record<SamplingCategory, CategoryVolume> {
  const stats = {} as Record<SamplingCategory, CategoryVolume>;
  for (const category of SAMPLING_CATEGORIES) {
    stats[category] = { started: 0, exported: 0, startedBytes: 0, exportedBytes: 0 };
  }
  return stats;
}

const EXCEPTION_EVENT = 'exception';

function isErrorSpan(span: ReadableSpan): boolean {
  return (
    span.status.code === SpanStatusCode.ERROR || span.events.some((event) => event.name === EXCEPTION_EVENT)
  );
}

function isSampled(span: ReadableSpan): boolean {
  return (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
}

function categoryOf(span: ReadableSpan): SamplingCategory {
  const recorded = span.attributes[Attr.SAMPLING_CATEGORY];
  if (typeof recorded === 'string' && (SAMPLING_CATEGORIES as readonly string[]).includes(recorded)) {
    return recorded as SamplingCategory;
  }
  return categorizeSpan(span.name, span.attributes);
}

/**
 * The threshold the sampler recorded at start (from `sampling.probability`, the exact inverse of the
 * conversion it made). `MAX_THRESHOLD` stands for "not sampled by itself" (p = 0 or unknown origin).
 */
function startThreshold(span: ReadableSpan): bigint {
  const probability = span.attributes[Attr.SAMPLING_PROBABILITY];
  if (typeof probability === 'number' && probability >= 0 && probability <= 1) {
    return probabilityToThreshold(probability) ?? MAX_THRESHOLD;
  }
  // Not from our sampler: sampled spans are read as always-on.
  return isSampled(span) ? MIN_THRESHOLD : MAX_THRESHOLD;
}

/**
 * The flush-time decision over one invocation's recorded spans.
 *
 * 1. Traces (grouped by trace id, within the buffer) with a span whose status is ERROR, that has an
 *    `exception` event, or that is high-value by its END attributes (opportunity score ≥
 *    `highValueScore`, notional ≥ `highValueNotional`, an alert) are exported whole, every span with
 *    `sampling.probability` = 1, `sampling.kept_reason` ('error' wins over 'high_value') and `th:0`.
 * 2. In the other traces, a span is exported when it, or one of its descendants, was sampled at start;
 *    so a trading span sampled under a dropped invocation root brings its ancestors along, and no
 *    exported span is orphaned within the local trace.
 *
 * Why Σ 1/p over exported spans estimates the true count without bias (Horvitz–Thompson): the
 * estimator is unbiased when each exported span carries its true inclusion probability π, since
 * E[Σ_exported 1/π] = Σ_all π · 1/π = N. With one randomness R per trace, a span s with start
 * threshold T(s) (the sampler already folds in its ancestors) is exported in rule 2 exactly when
 * R ≥ min{T(x) : x ∈ ancestors(s) ∪ {s} ∪ descendants(s)}, so π(s) = 1 − that minimum / 2^56, which is
 * what is written. Whether a trace is forced in rule 1 depends on what happened in it (errors,
 * scores), never on R, so forced spans have π = 1 exactly. The same holds per category.
 *
 * Trade-off: only the local part of a trace (the spans in this buffer) can be rescued. Spans that an
 * upstream or downstream service dropped by its own head decision are gone: an error here yields the
 * local subtree, not the caller's spans. Traces whose remote parent was not sampled are exported only
 * when rescued, and then appear without their remote parent.
 */
export function selectForExport(spans: readonly ReadableSpan[], config: SamplingConfig): ExportDecision {
  const stats = emptyVolumeStats();
  const exported: ExportedSpan[] = [];
  const traces = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const traceId = span.spanContext().traceId;
    const group = traces.get(traceId);
    if (group) group.push(span);
    else traces.set(traceId, [span]);
  }

  for (const group of traces.values()) {
    const reason = forcedReason(group, config);
    const decisions = reason === undefined ? probabilityDecisions(group) : undefined;
    for (const span of group) {
      const category = categoryOf(span);
      const volume = stats[category];
      volume.started += 1;
      volume.startedBytes += estimateSpanJsonBytes(
        span,
        span.attributes,
        span.spanContext().traceState?.serialize(),
      );

      let threshold: bigint;
      let attributes: Attributes;
      if (reason !== undefined) {
        threshold = MIN_THRESHOLD;
        attributes = {
          ...span.attributes,
          [Attr.SAMPLING_PROBABILITY]: 1,
          [Attr.SAMPLING_KEPT_REASON]: reason,
        };
      } else {
        const decision = decisions?.get(span);
        if (!decision?.exported) continue;
        threshold = decision.threshold;
        attributes = { ...span.attributes, [Attr.SAMPLING_PROBABILITY]: thresholdToProbability(threshold) };
      }
      if (attributes[Attr.SAMPLING_CATEGORY] === undefined) attributes[Attr.SAMPLING_CATEGORY] = category;
      const traceState = withThreshold(span.spanContext().traceState, threshold)?.serialize() || undefined;
      exported.push({ span, attributes, traceState });
      volume.exported += 1;
      volume.exportedBytes += estimateSpanJsonBytes(span, attributes, traceState);
    }
  }
  return { exported, stats };
}

function forcedReason(group: readonly ReadableSpan[], config: SamplingConfig): KeptReason | undefined {
  let highValue = false;
  for (const span of group) {
    if (isErrorSpan(span)) return KeptReason.ERROR;
    if (!highValue && isHighValue(span.attributes, config)) highValue = true;
  }
  return highValue ? KeptReason.HIGH_VALUE : undefined;
}

interface SpanDecision {
  exported: boolean;
  threshold: bigint;
}

/** Rule 2 over one trace: the closure over descendants and the final inclusion threshold per span. */
function probabilityDecisions(group: readonly ReadableSpan[]): Map<ReadableSpan, SpanDecision> {
  const byId = new Map<string, ReadableSpan>();
  for (const span of group) byId.set(span.spanContext().spanId, span);
  const children = new Map<ReadableSpan, ReadableSpan[]>();
  const roots: ReadableSpan[] = [];
  for (const span of group) {
    const parentId = span.parentSpanContext?.spanId;
    const parent = parentId === undefined ? undefined : byId.get(parentId);
    if (parent === undefined || parent === span) {
      roots.push(span);
      continue;
    }
    const siblings = children.get(parent);
    if (siblings) siblings.push(span);
    else children.set(parent, [span]);
  }

  // Pre-order walk from each local root (iterative: deep traces must not overflow the stack).
  const order: ReadableSpan[] = [];
  const down = new Map<ReadableSpan, bigint>(); // min threshold over ancestors ∪ self
  const stack: Array<{ span: ReadableSpan; above: bigint }> = roots.map((span) => ({
    span,
    above: MAX_THRESHOLD,
  }));
  const visited = new Set<ReadableSpan>();
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined || visited.has(item.span)) continue;
    visited.add(item.span);
    order.push(item.span);
    const here = minThreshold(item.above, startThreshold(item.span));
    down.set(item.span, here);
    for (const child of children.get(item.span) ?? []) stack.push({ span: child, above: here });
  }
  // Spans in a parent cycle (malformed input) are treated as roots of their own.
  for (const span of group) {
    if (!visited.has(span)) {
      order.push(span);
      down.set(span, startThreshold(span));
    }
  }

  const up = new Map<ReadableSpan, { threshold: bigint; sampled: boolean }>(); // over self ∪ descendants
  for (let index = order.length - 1; index >= 0; index -= 1) {
    const span = order[index] as ReadableSpan;
    let threshold = startThreshold(span);
    let sampled = isSampled(span);
    for (const child of children.get(span) ?? []) {
      const below = up.get(child);
      if (!below) continue;
      threshold = minThreshold(threshold, below.threshold);
      sampled ||= below.sampled;
    }
    up.set(span, { threshold, sampled });
  }

  const decisions = new Map<ReadableSpan, SpanDecision>();
  for (const span of group) {
    const below = up.get(span) ?? { threshold: MAX_THRESHOLD, sampled: false };
    const threshold = minThreshold(down.get(span) ?? MAX_THRESHOLD, below.threshold);
    decisions.set(span, { exported: below.sampled && threshold < MAX_THRESHOLD, threshold });
  }
  return decisions;
}
