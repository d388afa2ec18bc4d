/**
 * What the layer really exported, measured from the exported spans themselves (OTLP/JSON export requests,
 * e.g. `.local/spans.jsonl`): spans and bytes, and the volume before sampling estimated back with Σ 1/p
 * (`sampling.probability` on every exported span: each stands for 1/p spans, Horvitz–Thompson), per
 * sampling category, plus the traces the layer kept whole and the ET dates the spans are stamped with.
 */
import { Attr, type OtlpTraceRequest } from '@trading-observability/otel';
import { etDate } from '../../shared/market';

/** The request shape as read back from JSON (every field optional: the file may come from elsewhere). */
export type ExportRequestJson = Partial<OtlpTraceRequest> & Record<string, unknown>;

export interface CategoryMeasurement {
  /** Spans exported. */
  spans: number;
  /** OTLP/JSON bytes of those spans (each span object as serialised). */
  bytes: number;
  /** Σ 1/p over the exported spans: the spans started, estimated. */
  estimatedSpans: number;
  /** Σ bytes/p: the bytes unsampled export would have written, estimated. */
  estimatedBytes: number;
}

/** One exported trace, as far as its spans tell. */
export interface TraceMeasurement {
  spans: number;
  /** `sampling.kept_reason` of its spans (error / high_value) when the layer kept it whole. */
  keptReason: string | null;
  /** A span with status ERROR or an `exception` event. */
  hasError: boolean;
  /** True when every exported span of the trace carries `sampling.probability` 1. */
  allAtProbabilityOne: boolean;
  /** Root-span attributes the caller asked to index (e.g. the demo's step id). */
  readonly marks: Record<string, string>;
}

export interface ExportMeasurement {
  /** Where the spans were read (a file path, for the report). */
  readonly source: string;
  /** Export requests (one per flush) and their bytes as written. */
  readonly requests: number;
  readonly requestBytes: number;
  readonly total: CategoryMeasurement;
  readonly byCategory: Record<string, CategoryMeasurement>;
  readonly traces: Map<string, TraceMeasurement>;
  /** Distinct America/New_York dates of the span start times, sorted. */
  readonly etDates: readonly string[];
  /** Span count per value of the partition attribute asked for ('' when absent). */
  readonly byAttribute: Record<string, number>;
}

export interface MeasureOptions {
  readonly source: string;
  /** Root-span string attributes to record per trace (e.g. `demo.step`). */
  readonly markAttributes?: readonly string[];
  /** A span attribute to count spans by (e.g. `data.partition`). */
  readonly countBy?: string;
}

const emptyCategory = (): CategoryMeasurement => ({
  spans: 0,
  bytes: 0,
  estimatedSpans: 0,
  estimatedBytes: 0,
});

function add(into: CategoryMeasurement, bytes: number, p: number): void {
  into.spans += 1;
  into.bytes += bytes;
  into.estimatedSpans += 1 / p;
  into.estimatedBytes += bytes / p;
}

type OtlpSpanJson = OtlpTraceRequest['resourceSpans'][number]['scopeSpans'][number]['spans'][number];

function attributeValue(span: OtlpSpanJson, key: string): string | number | boolean | undefined {
  const found = (span.attributes ?? []).find((a) => a.key === key)?.value;
  if (!found) return undefined;
  if (found.stringValue !== undefined) return found.stringValue;
  if (found.doubleValue !== undefined) return found.doubleValue;
  if (found.intValue !== undefined) return Number(found.intValue);
  if (found.boolValue !== undefined) return found.boolValue;
  return undefined;
}

/** A span's inclusion probability as exported; a span without a valid one was not sampled: counts once. */
function probabilityOf(span: OtlpSpanJson): number {
  const p = attributeValue(span, Attr.SAMPLING_PROBABILITY);
  return typeof p === 'number' && p > 0 && p <= 1 ? p : 1;
}

/** Measures export requests (each with its serialised length, when known, for the request bytes). */
export function measureExport(
  requests: ReadonlyArray<{ readonly request: ExportRequestJson; readonly bytes: number }>,
  options: MeasureOptions,
): ExportMeasurement {
  const total = emptyCategory();
  const byCategory: Record<string, CategoryMeasurement> = {};
  const traces = new Map<string, TraceMeasurement>();
  const dates = new Set<string>();
  const byAttribute: Record<string, number> = {};
  let requestBytes = 0;
  for (const { request, bytes } of requests) {
    requestBytes += bytes;
    for (const resourceSpans of request.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          const p = probabilityOf(span);
          const spanBytes = Buffer.byteLength(JSON.stringify(span));
          const category = String(attributeValue(span, Attr.SAMPLING_CATEGORY) ?? 'unknown');
          add(total, spanBytes, p);
          byCategory[category] ??= emptyCategory();
          add(byCategory[category], spanBytes, p);
          dates.add(etDate(new Date(Number(BigInt(span.startTimeUnixNano) / 1_000_000n))));
          if (options.countBy) {
            const value = String(attributeValue(span, options.countBy) ?? '');
            byAttribute[value] = (byAttribute[value] ?? 0) + 1;
          }
          let trace = traces.get(span.traceId);
          if (!trace) {
            trace = { spans: 0, keptReason: null, hasError: false, allAtProbabilityOne: true, marks: {} };
            traces.set(span.traceId, trace);
          }
          trace.spans += 1;
          const kept = attributeValue(span, Attr.SAMPLING_KEPT_REASON);
          if (typeof kept === 'string') trace.keptReason = kept;
          if (p !== 1) trace.allAtProbabilityOne = false;
          if (span.status?.code === 2 || (span.events ?? []).some((e) => e.name === 'exception')) {
            trace.hasError = true;
          }
          if (!span.parentSpanId) {
            for (const key of options.markAttributes ?? []) {
              const mark = attributeValue(span, key);
              if (typeof mark === 'string') trace.marks[key] = mark;
            }
          }
        }
      }
    }
  }
  return {
    source: options.source,
    requests: requests.length,
    requestBytes,
    total,
    byCategory,
    traces,
    etDates: [...dates].sort(),
    byAttribute,
  };
}

/** Share of spans (or bytes) that sampling dropped, in percent: 1 − exported / estimated started. */
export function reductionPct(exported: number, estimated: number): number | null {
  return estimated > 0 ? (1 - exported / estimated) * 100 : null;
}

/** Parses OTLP/JSON lines (one export request per non-empty line), keeping each line's byte length. */
export function parseExportLines(text: string): Array<{ request: ExportRequestJson; bytes: number }> {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => ({ request: JSON.parse(line) as ExportRequestJson, bytes: Buffer.byteLength(line) }));
}
