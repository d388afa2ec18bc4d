import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { isSensitiveKey, scrubText } from './pii';
import { shiftHrTime, timeShiftOf } from './scope';

/**
 * OTLP/JSON encoding (opentelemetry-proto's JSON mapping: hex ids, int64 as strings) without the
 * otlp-transformer package, which pulls protobufjs and sdk-metrics into the bundle (cold start).
 */

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events: Array<{ timeUnixNano: string; name: string; attributes: OtlpKeyValue[] }>;
  status: { code: number; message?: string };
}

export interface OtlpTraceRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version?: string }; spans: OtlpSpan[] }>;
  }>;
}

/** A span ready to export: the span and its final attributes (the sampler's overrides applied). */
export interface ExportItem {
  readonly span: ReadableSpan;
  readonly attributes: Attributes;
  /** The final W3C tracestate (the sampler's `ot=th:` for rescued spans); the span's own when absent. */
  readonly traceState?: string | undefined;
}

function hrTimeToNanos(time: HrTime): string {
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}

function anyValue(value: AttributeValue, scrub: boolean): OtlpAnyValue | undefined {
  if (typeof value === 'string') return { stringValue: scrub ? scrubText(value) : value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return Number.isInteger(value) && Number.isSafeInteger(value)
      ? { intValue: String(value) }
      : { doubleValue: value };
  }
  if (Array.isArray(value)) {
    const values: OtlpAnyValue[] = [];
    for (const item of value) {
      if (item === null || item === undefined) continue;
      const encoded = anyValue(item as AttributeValue, scrub);
      if (encoded) values.push(encoded);
    }
    return { arrayValue: { values } };
  }
  return undefined;
}

export function encodeAttributes(attributes: Attributes, scrub: boolean): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (scrub && isSensitiveKey(key)) continue;
    const encoded = anyValue(value, scrub);
    if (encoded) out.push({ key, value: encoded });
  }
  return out;
}

export function encodeSpan(item: ExportItem, scrub: boolean): OtlpSpan {
  const { span } = item;
  const context = span.spanContext();
  // A span started inside a replay's scope carries the replayed time, its events too.
  const shift = timeShiftOf(span);
  const encoded: OtlpSpan = {
    traceId: context.traceId,
    spanId: context.spanId,
    // Names are free text too (a span named after what it looked up).
    name: scrub ? scrubText(span.name) : span.name,
    // OTLP's SpanKind is the API's enum + 1 (0 is UNSPECIFIED).
    kind: span.kind + 1,
    startTimeUnixNano: hrTimeToNanos(shiftHrTime(span.startTime, shift)),
    endTimeUnixNano: hrTimeToNanos(shiftHrTime(span.endTime, shift)),
    attributes: encodeAttributes(item.attributes, scrub),
    events: span.events.map((event) => ({
      timeUnixNano: hrTimeToNanos(shiftHrTime(event.time, shift)),
      name: scrub ? scrubText(event.name) : event.name,
      attributes: encodeAttributes(event.attributes ?? {}, scrub),
    })),
    status: { code: span.status.code },
  };
  const parent = span.parentSpanContext?.spanId;
  if (parent) encoded.parentSpanId = parent;
  const traceState = item.traceState ?? context.traceState?.serialize();
  if (traceState) encoded.traceState = traceState;
  if (span.status.message)
    encoded.status.message = scrub ? scrubText(span.status.message) : span.status.message;
  return encoded;
}

/** One ExportTraceServiceRequest for a batch of spans sharing the process's resource. */
export function encodeTraceRequest(
  items: readonly ExportItem[],
  resource: Attributes,
  scope: { name: string; version?: string },
  scrub: boolean,
): OtlpTraceRequest {
  return {
    resourceSpans: [
      {
        resource: { attributes: encodeAttributes(resource, false) },
        scopeSpans: [{ scope, spans: items.map((item) => encodeSpan(item, scrub)) }],
      },
    ],
  };
}
