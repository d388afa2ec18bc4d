/**
 * OTLP/JSON spans (the telemetry layer's `.local/spans.jsonl`: one ExportTraceServiceRequest a line)
 * mapped to rows of SigNoz's traces tables as SigNoz's exporter maps them
 * (SigNoz/signoz-otel-collector `exporter/clickhousetracesexporter/clickhouse_exporter_v3.go` and
 * `writer.go`, commit 75a995d0): double and int attributes → `attributes_number` (Float64; non-finite
 * doubles dropped), bool → `attributes_bool`, everything else → `attributes_string` (arrays as their
 * JSON text, maps flattened with dotted keys); resource attributes → `resources_string` and `resource`;
 * `ts_bucket_start` = start time floored to 1800 s; `has_error` = status code 2; `kind_string` and
 * `status_code_string` are pdata's names; `resource_fingerprint` follows the exporter's
 * `<hierarchy labels>;hash=<n>` shape (the hash here is FNV-1a, not SigNoz's). Each (resource,
 * bucket) seen also gives one `traces_v3_resource` row: the resource as JSON of its string values
 * (Go's json.Marshal: sorted keys, HTML characters escaped), its fingerprint, the bucket start.
 */
import { readFileSync } from 'node:fs';
import { ScriptError, ScriptErrorCode } from '../errors';

export interface OtlpValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpValue[] };
  kvlistValue?: { values?: OtlpAttribute[] };
  bytesValue?: string;
}
export interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
export interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes?: OtlpAttribute[];
}
export interface OtlpSpanJson {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  flags?: number;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpAttribute[];
  events?: OtlpEvent[];
  links?: Array<{ traceId: string; spanId: string }>;
  status?: { code?: number; message?: string };
}
export interface OtlpExportRequest {
  resourceSpans: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{
      scope?: { name?: string; version?: string; attributes?: OtlpAttribute[] };
      spans?: OtlpSpanJson[];
    }>;
  }>;
}

/** A row of signoz_index_v3 in the shape JSONEachRow takes. */
export interface SignozSpanRow {
  ts_bucket_start: number;
  resource_fingerprint: string;
  timestamp: string;
  trace_id: string;
  span_id: string;
  trace_state: string;
  parent_span_id: string;
  flags: number;
  name: string;
  kind: number;
  kind_string: string;
  duration_nano: string;
  status_code: number;
  status_message: string;
  status_code_string: string;
  attributes_string: Record<string, string>;
  attributes_number: Record<string, number>;
  attributes_bool: Record<string, boolean>;
  resources_string: Record<string, string>;
  resource: Record<string, string>;
  scope: { name: string; version: string };
  events: string[];
  links: string;
  has_error: boolean;
  is_remote: string;
  inserted_at: string;
}

const SPAN_KIND = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
const STATUS_CODE = ['Unset', 'Ok', 'Error'] as const;
/** pdata SpanFlags bits (W3C trace-context "is remote" flags). */
const HAS_IS_REMOTE_MASK = 0x100;
const IS_REMOTE_MASK = 0x200;

/** pcommon.Value.AsString(): the JSON text of arrays/maps, the plain text of scalars. */
function valueAsString(value: OtlpValue): string {
  const raw = toRaw(value);
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function toRaw(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(toRaw);
  if (value.kvlistValue) {
    return Object.fromEntries((value.kvlistValue.values ?? []).map((kv) => [kv.key, toRaw(kv.value)]));
  }
  if (value.bytesValue !== undefined) return value.bytesValue;
  return '';
}

function flatten(prefix: string, raw: unknown, out: Array<[string, unknown]>): void {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) flatten(`${prefix}.${k}`, v, out);
  } else out.push([prefix, raw]);
}

interface AttributeMaps {
  string: Record<string, string>;
  number: Record<string, number>;
  bool: Record<string, boolean>;
}

/** The exporter's `attributesData.add`: type decides the map; maps are flattened. */
function addAttribute(maps: AttributeMaps, key: string, value: OtlpValue): void {
  if (value.doubleValue !== undefined) {
    if (Number.isFinite(value.doubleValue)) maps.number[key] = value.doubleValue;
  } else if (value.intValue !== undefined) {
    maps.number[key] = Number(value.intValue);
  } else if (value.boolValue !== undefined) {
    maps.bool[key] = value.boolValue;
  } else if (value.kvlistValue) {
    const flat: Array<[string, unknown]> = [];
    flatten(key, toRaw(value), flat);
    for (const [k, v] of flat) {
      if (typeof v === 'number') {
        if (Number.isFinite(v)) maps.number[k] = v;
      } else if (typeof v === 'boolean') maps.bool[k] = v;
      else if (typeof v === 'string') maps.string[k] = v;
    }
  } else {
    maps.string[key] = valueAsString(value);
  }
}

function resourceStrings(attributes: readonly OtlpAttribute[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of attributes) {
    if (value.kvlistValue) {
      const flat: Array<[string, unknown]> = [];
      flatten(key, toRaw(value), flat);
      for (const [k, v] of flat) out[k] = String(v);
    } else out[key] = valueAsString(value);
  }
  return out;
}

/** Labels of SigNoz's resource hierarchy that our resources carry, in hierarchy order. */
const FINGERPRINT_LABELS = [
  'cloud.provider',
  'cloud.account.id',
  'cloud.region',
  'cloud.platform',
  'service.name',
  'faas.name',
  'deployment.environment',
  'faas.instance',
];

function fnv1a(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString();
}

/** `<label>=<value>;…;hash=<n>` as the exporter's fingerprint (one label per hierarchy level). */
export function resourceFingerprint(resource: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  const seenServiceLevel = { done: false };
  for (const label of FINGERPRINT_LABELS) {
    const value = resource[label];
    if (value === undefined) continue;
    // service.name and faas.name share one hierarchy level: the first present wins
    if (label === 'faas.name' && seenServiceLevel.done) continue;
    if (label === 'service.name') seenServiceLevel.done = true;
    parts.push(`${label}=${value}`);
  }
  const sorted = Object.keys(resource)
    .sort()
    .map((k) => `${k}=${resource[k]}`)
    .join(',');
  parts.push(`hash=${fnv1a(sorted)}`);
  return parts.join(';');
}

export const TS_BUCKET_SECONDS = 1800;

function tsBucketStart(startNanos: bigint): number {
  const seconds = startNanos / 1_000_000_000n;
  return Number(seconds - (seconds % BigInt(TS_BUCKET_SECONDS)));
}

/** Maps one OTLP/JSON export request to signoz_index_v3 rows, as SigNoz's exporter does. */
export function otlpToSignozRows(request: OtlpExportRequest, insertedAt: Date = new Date()): SignozSpanRow[] {
  const rows: SignozSpanRow[] = [];
  const inserted = insertedAt.toISOString().replace('T', ' ').replace('Z', '');
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resources = resourceStrings(resourceSpans.resource?.attributes ?? []);
    const fingerprint = resourceFingerprint(resources);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scope = { name: scopeSpans.scope?.name ?? '', version: scopeSpans.scope?.version ?? '' };
      for (const span of scopeSpans.spans ?? []) {
        const start = BigInt(span.startTimeUnixNano);
        const end = BigInt(span.endTimeUnixNano);
        const maps: AttributeMaps = { string: {}, number: {}, bool: {} };
        for (const { key, value } of span.attributes ?? []) addAttribute(maps, key, value);
        const statusCode = span.status?.code ?? 0;
        const kind = span.kind ?? 0;
        const flags = span.flags ?? 0;
        const parent = span.parentSpanId ?? '';
        const references = [
          ...(parent ? [{ traceId: span.traceId, spanId: parent, refType: 'CHILD_OF' }] : []),
          ...(span.links ?? []).map((l) => ({
            traceId: l.traceId,
            spanId: l.spanId,
            refType: 'FOLLOWS_FROM',
          })),
        ];
        rows.push({
          ts_bucket_start: tsBucketStart(start),
          resource_fingerprint: fingerprint,
          timestamp: start.toString(),
          trace_id: span.traceId,
          span_id: span.spanId,
          trace_state: span.traceState ?? '',
          parent_span_id: parent,
          flags,
          name: span.name,
          kind,
          kind_string: SPAN_KIND[kind] ?? 'Unspecified',
          duration_nano: (end > start ? end - start : 0n).toString(),
          status_code: statusCode,
          status_message: span.status?.message ?? '',
          status_code_string: STATUS_CODE[statusCode] ?? 'Unset',
          attributes_string: maps.string,
          attributes_number: maps.number,
          attributes_bool: maps.bool,
          resources_string: resources,
          resource: resources,
          scope,
          events: (span.events ?? []).map((e) =>
            JSON.stringify({
              name: e.name,
              timeUnixNano: Number(e.timeUnixNano),
              attributeMap: Object.fromEntries(
                (e.attributes ?? []).map((a) => [a.key, valueAsString(a.value)]),
              ),
              isError: e.name === 'exception',
            }),
          ),
          links: references.length > 0 ? JSON.stringify(references) : 'null',
          has_error: statusCode === 2,
          is_remote: flags & HAS_IS_REMOTE_MASK ? (flags & IS_REMOTE_MASK ? 'yes' : 'no') : 'unknown',
          inserted_at: inserted,
        });
      }
    }
  }
  return rows;
}

/** A row of traces_v3_resource (one per resource and 30-minute bucket the spans fall in). */
export interface SignozResourceRow {
  labels: string;
  fingerprint: string;
  seen_at_ts_bucket_start: number;
}

/** Go's json.Marshal of a map[string]string: keys sorted, <, > and & escaped as \u003c, \u003e, \u0026. */
export function goJsonLabels(resource: Readonly<Record<string, string>>): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(resource).sort()) sorted[key] = resource[key] as string;
  return JSON.stringify(sorted)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

/** The exporter's `resourcesSeen`: one row per distinct (bucket, resource) of the request's spans. */
export function otlpToResourceRows(request: OtlpExportRequest): SignozResourceRow[] {
  const rows = new Map<string, SignozResourceRow>();
  for (const resourceSpans of request.resourceSpans ?? []) {
    const attributes = resourceSpans.resource?.attributes ?? [];
    // The exporter serialises each top-level value's AsString() (maps as JSON text, not flattened).
    const labels = goJsonLabels(Object.fromEntries(attributes.map((a) => [a.key, valueAsString(a.value)])));
    const fingerprint = resourceFingerprint(resourceStrings(attributes));
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        const bucket = tsBucketStart(BigInt(span.startTimeUnixNano));
        rows.set(`${bucket}\u0000${labels}`, { labels, fingerprint, seen_at_ts_bucket_start: bucket });
      }
    }
  }
  return [...rows.values()];
}

/** Parses `.local/spans.jsonl` (one ExportTraceServiceRequest per non-empty line). */
export function readSpansJsonl(path: string): OtlpExportRequest[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, i) => {
      try {
        return JSON.parse(line) as OtlpExportRequest;
      } catch (cause) {
        throw new SpansFileError(`${path}:${i + 1} is not an OTLP/JSON export request`, { cause });
      }
    });
}

export class SpansFileError extends ScriptError {
  override readonly name = 'SpansFileError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ScriptErrorCode.INVALID_SPANS_FILE, message, options);
  }
}
