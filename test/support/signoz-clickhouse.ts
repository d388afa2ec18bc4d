/**
 * SigNoz's traces storage in embedded ClickHouse (chdb), for proving dashboard queries.
 *
 * Schema source: SigNoz/signoz-otel-collector, file
 * `cmd/signozschemamigrator/schema_migrator/traces_migrations.go` at commit
 * 75a995d09efe44c98652f2ae8d5771eb57675b29 (2026-08-05, tag v0.144.7-1), migrations 1000
 * (create `signoz_index_v3` and `distributed_signoz_index_v3`), 1005 (`*_exists` columns),
 * 1006 (`resource` JSON), 1009 (`scope` JSON), 1011 (JSON serialization settings), 1012
 * (`attributes` JSON), 1014 (`inserted_at`, `created_at`). Column names, types, codecs, DEFAULT
 * and ALIAS expressions, skip indexes and the MergeTree engine clauses are transcribed from
 * there (written here as SQL; the migrator builds the same statements from Go structs).
 *
 * Differences, all forced by running in one process without a cluster:
 * - `distributed_signoz_index_v3` is `ENGINE = Distributed(cluster, signoz_traces, signoz_index_v3,
 *   cityHash64(trace_id))` in SigNoz. chdb has no cluster to name, so it is created `AS` the local
 *   table (same columns, DEFAULTs and ALIASes) with `ENGINE = Merge(signoz_traces, '^signoz_index_v3$')`:
 *   reads go through to the local table exactly as a one-shard Distributed table's would. Rows are
 *   inserted into the local table (a Merge table takes no inserts; SigNoz's exporter writes to the
 *   distributed one, which forwards them to the same place).
 * - The JSON columns (`resource`, `scope`, `attributes`) are kept: ClickHouse ≥ 25.3 (chdb 3.4
 *   embeds 26.7) supports the JSON type, so nothing needs emulating. `attributes` stays empty as in
 *   the exporter (which does not write it).
 *
 * Row mapping follows SigNoz's exporter (`exporter/clickhousetracesexporter/clickhouse_exporter_v3.go`,
 * same commit): double and int attributes → `attributes_number` (Float64; non-finite doubles dropped),
 * bool → `attributes_bool`, everything else → `attributes_string` (arrays as their JSON text, maps
 * flattened with dotted keys); resource attributes → `resources_string` and `resource`;
 * `ts_bucket_start` = start time floored to 1800 s; `has_error` = status code 2; `kind_string` and
 * `status_code_string` are pdata's names; `resource_fingerprint` follows the exporter's
 * `<hierarchy labels>;hash=<n>` shape (the hash here is FNV-1a, not SigNoz's).
 */
import { readFileSync } from 'node:fs';
import { Session } from 'chdb';

export const SIGNOZ_SCHEMA_SOURCE = {
  repository: 'SigNoz/signoz-otel-collector',
  file: 'cmd/signozschemamigrator/schema_migrator/traces_migrations.go',
  commit: '75a995d09efe44c98652f2ae8d5771eb57675b29',
  version: 'v0.144.7-1-g75a995d0',
} as const;

export const TRACES_DATABASE = 'signoz_traces';
export const LOCAL_TABLE = `${TRACES_DATABASE}.signoz_index_v3`;
export const DISTRIBUTED_TABLE = `${TRACES_DATABASE}.distributed_signoz_index_v3`;

const LC = 'LowCardinality(String)';
const MAP_LC_STRING = `Map(${LC}, String)`;

/** Columns of signoz_index_v3 in migration order (1000, then the later ALTER … ADD COLUMNs). */
const COLUMNS: readonly string[] = [
  'ts_bucket_start UInt64 CODEC(DoubleDelta, LZ4)',
  'resource_fingerprint String CODEC(ZSTD(1))',
  'timestamp DateTime64(9) CODEC(DoubleDelta, LZ4)',
  'trace_id FixedString(32) CODEC(ZSTD(1))',
  'span_id String CODEC(ZSTD(1))',
  'trace_state String CODEC(ZSTD(1))',
  'parent_span_id String CODEC(ZSTD(1))',
  'flags UInt32 CODEC(T64, ZSTD(1))',
  `name ${LC} CODEC(ZSTD(1))`,
  'kind Int8 CODEC(T64, ZSTD(1))',
  'kind_string String CODEC(ZSTD(1))',
  'duration_nano UInt64 CODEC(T64, ZSTD(1))',
  'status_code Int16 CODEC(T64, ZSTD(1))',
  'status_message String CODEC(ZSTD(1))',
  'status_code_string String CODEC(ZSTD(1))',
  `attributes_string ${MAP_LC_STRING} CODEC(ZSTD(1))`,
  `attributes_number Map(${LC}, Float64) CODEC(ZSTD(1))`,
  `attributes_bool Map(${LC}, Bool) CODEC(ZSTD(1))`,
  // 1012: added AFTER attributes_bool
  'attributes JSON(max_dynamic_paths=0) CODEC(ZSTD(1))',
  `resources_string ${MAP_LC_STRING} CODEC(ZSTD(1))`,
  'events Array(String) CODEC(ZSTD(2))',
  'links String CODEC(ZSTD(1))',
  `response_status_code ${LC} CODEC(ZSTD(1))`,
  `external_http_url ${LC} CODEC(ZSTD(1))`,
  `http_url ${LC} CODEC(ZSTD(1))`,
  `external_http_method ${LC} CODEC(ZSTD(1))`,
  `http_method ${LC} CODEC(ZSTD(1))`,
  `http_host ${LC} CODEC(ZSTD(1))`,
  `db_name ${LC} CODEC(ZSTD(1))`,
  `db_operation ${LC} CODEC(ZSTD(1))`,
  'has_error Bool CODEC(T64, ZSTD(1))',
  `is_remote ${LC} CODEC(ZSTD(1))`,
  `\`resource_string_service$$name\` ${LC} DEFAULT resources_string['service.name'] CODEC(ZSTD(1))`,
  `\`attribute_string_http$$route\` ${LC} DEFAULT attributes_string['http.route'] CODEC(ZSTD(1))`,
  `\`attribute_string_messaging$$system\` ${LC} DEFAULT attributes_string['messaging.system'] CODEC(ZSTD(1))`,
  `\`attribute_string_messaging$$operation\` ${LC} DEFAULT attributes_string['messaging.operation'] CODEC(ZSTD(1))`,
  `\`attribute_string_db$$system\` ${LC} DEFAULT attributes_string['db.system'] CODEC(ZSTD(1))`,
  `\`attribute_string_rpc$$system\` ${LC} DEFAULT attributes_string['rpc.system'] CODEC(ZSTD(1))`,
  `\`attribute_string_rpc$$service\` ${LC} DEFAULT attributes_string['rpc.service'] CODEC(ZSTD(1))`,
  `\`attribute_string_rpc$$method\` ${LC} DEFAULT attributes_string['rpc.method'] CODEC(ZSTD(1))`,
  `\`attribute_string_peer$$service\` ${LC} DEFAULT attributes_string['peer.service'] CODEC(ZSTD(1))`,
  // ALIAS columns kept for compatibility with signoz_index_v2
  'traceID FixedString(32) ALIAS trace_id',
  'spanID String ALIAS span_id',
  'parentSpanID String ALIAS parent_span_id',
  'spanKind String ALIAS kind_string',
  'durationNano UInt64 ALIAS duration_nano',
  'statusCode Int16 ALIAS status_code',
  'statusMessage String ALIAS status_message',
  'statusCodeString String ALIAS status_code_string',
  '`references` String ALIAS links',
  `responseStatusCode ${LC} ALIAS response_status_code`,
  `externalHttpUrl ${LC} ALIAS external_http_url`,
  `httpUrl ${LC} ALIAS http_url`,
  `externalHttpMethod ${LC} ALIAS external_http_method`,
  `httpMethod ${LC} ALIAS http_method`,
  `httpHost ${LC} ALIAS http_host`,
  `dbName ${LC} ALIAS db_name`,
  `dbOperation ${LC} ALIAS db_operation`,
  'hasError Bool ALIAS has_error',
  `isRemote ${LC} ALIAS is_remote`,
  `serviceName ${LC} ALIAS \`resource_string_service$$name\``,
  `httpRoute ${LC} ALIAS \`attribute_string_http$$route\``,
  `msgSystem ${LC} ALIAS \`attribute_string_messaging$$system\``,
  `msgOperation ${LC} ALIAS \`attribute_string_messaging$$operation\``,
  `dbSystem ${LC} ALIAS \`attribute_string_db$$system\``,
  `rpcSystem ${LC} ALIAS \`attribute_string_rpc$$system\``,
  `rpcService ${LC} ALIAS \`attribute_string_rpc$$service\``,
  `rpcMethod ${LC} ALIAS \`attribute_string_rpc$$method\``,
  `peerService ${LC} ALIAS \`attribute_string_peer$$service\``,
  // 1005
  "`resource_string_service$$name_exists` Bool DEFAULT if(mapContains(resources_string, 'service.name') != 0, true, false) CODEC(ZSTD(1))",
  "`attribute_string_http$$route_exists` Bool DEFAULT if(mapContains(attributes_string, 'http.route') != 0, true, false) CODEC(ZSTD(1))",
  "`attribute_string_messaging$$system_exists` Bool DEFAULT if(mapContains(attributes_string, 'messaging.system') != 0, true, false) CODEC(ZSTD(1))",
  "`attribute_string_messaging$$operation_exists` Bool DEFAULT if(mapContains(attributes_string, 'messaging.operation') != 0, true, false) CODEC(ZSTD(1))",
  "`attribute_string_db$$system_exists` Bool DEFAULT if(mapContains(attributes_string, 'db.system') != 0, true, false) CODEC(ZSTD(1))",
  "`attribute_string_rpc$$system_exists` Bool DEFAULT if(mapContains(attributes_string, 'rpc.system') != 0, true, false) CODEC(ZSTD(1))",
  "`attribute_string_rpc$$service_exists` Bool DEFAULT if(mapContains(attributes_string, 'rpc.service') != 0, true, false) CODEC(ZSTD(1))",
  "`attribute_string_rpc$$method_exists` Bool DEFAULT if(mapContains(attributes_string, 'rpc.method') != 0, true, false) CODEC(ZSTD(1))",
  "`attribute_string_peer$$service_exists` Bool DEFAULT if(mapContains(attributes_string, 'peer.service') != 0, true, false) CODEC(ZSTD(1))",
  // 1006, 1009
  'resource JSON(max_dynamic_paths=100) CODEC(ZSTD(1))',
  'scope JSON(max_dynamic_paths=0, name String, version String, attributes JSON(max_dynamic_paths=0)) CODEC(ZSTD(1))',
  // 1014
  'inserted_at DateTime64(3) CODEC(Delta(8), ZSTD(1))',
  'created_at DateTime64(3) DEFAULT now64(3) CODEC(Delta(8), ZSTD(1))',
];

const INDEXES: readonly string[] = [
  'INDEX idx_trace_id trace_id TYPE tokenbf_v1(10000, 5, 0) GRANULARITY 1',
  'INDEX idx_span_id span_id TYPE tokenbf_v1(5000, 5, 0) GRANULARITY 1',
  'INDEX idx_duration duration_nano TYPE minmax GRANULARITY 1',
  'INDEX idx_name name TYPE ngrambf_v1(4, 5000, 2, 0) GRANULARITY 1',
  'INDEX idx_kind kind TYPE minmax GRANULARITY 4',
  'INDEX idx_http_route `attribute_string_http$$route` TYPE bloom_filter GRANULARITY 4',
  'INDEX idx_http_url http_url TYPE bloom_filter GRANULARITY 4',
  'INDEX idx_http_host http_host TYPE bloom_filter GRANULARITY 4',
  'INDEX idx_http_method http_method TYPE bloom_filter GRANULARITY 4',
  'INDEX idx_timestamp timestamp TYPE minmax GRANULARITY 1',
  'INDEX idx_rpc_method `attribute_string_rpc$$method` TYPE bloom_filter GRANULARITY 4',
  'INDEX idx_response_statusCode response_status_code TYPE set(0) GRANULARITY 1',
  'INDEX idx_status_code_string status_code_string TYPE set(3) GRANULARITY 4',
  'INDEX idx_kind_string kind_string TYPE set(5) GRANULARITY 4',
  'INDEX attributes_string_idx_key mapKeys(attributes_string) TYPE tokenbf_v1(1024, 2, 0) GRANULARITY 1',
  'INDEX attributes_string_idx_val mapValues(attributes_string) TYPE ngrambf_v1(4, 5000, 2, 0) GRANULARITY 1',
  'INDEX attributes_number_idx_key mapKeys(attributes_number) TYPE tokenbf_v1(1024, 2, 0) GRANULARITY 1',
  'INDEX attributes_number_idx_val mapValues(attributes_number) TYPE bloom_filter GRANULARITY 1',
  'INDEX attributes_bool_idx_key mapKeys(attributes_bool) TYPE tokenbf_v1(1024, 2, 0) GRANULARITY 1',
  'INDEX resources_string_idx_key mapKeys(resources_string) TYPE tokenbf_v1(1024, 2, 0) GRANULARITY 1',
  'INDEX resources_string_idx_val mapValues(resources_string) TYPE ngrambf_v1(4, 5000, 2, 0) GRANULARITY 1',
];

/** The DDL statements, in order. */
export function signozTracesDdl(): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${TRACES_DATABASE}`,
    `CREATE TABLE ${LOCAL_TABLE} (\n  ${[...COLUMNS, ...INDEXES].join(',\n  ')}\n)
ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (ts_bucket_start, resource_fingerprint, has_error, name, timestamp)
TTL toDateTime(timestamp) + toIntervalSecond(1296000)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1,
  object_serialization_version = 'v3', object_shared_data_serialization_version = 'advanced'`,
    `CREATE TABLE ${DISTRIBUTED_TABLE} AS ${LOCAL_TABLE}
ENGINE = Merge('${TRACES_DATABASE}', '^signoz_index_v3$')`,
  ];
}

// ---------------------------------------------------------------------------------------------
// OTLP/JSON input (the telemetry layer's `.local/spans.jsonl`: one ExportTraceServiceRequest a line)

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

export class SpansFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpansFileError';
  }
}

// ---------------------------------------------------------------------------------------------
// The embedded database

/** chdb with SigNoz's traces schema. One per process at a time (chdb's engine is a singleton). */
export class SignozClickhouse {
  private constructor(private readonly session: Session) {}

  static create(): SignozClickhouse {
    const db = new SignozClickhouse(new Session());
    for (const statement of signozTracesDdl()) db.session.query(statement);
    return db;
  }

  /** Inserts OTLP export requests as SigNoz's exporter would; returns the number of spans. */
  async load(requests: readonly OtlpExportRequest[]): Promise<number> {
    const rows = requests.flatMap((r) => otlpToSignozRows(r));
    if (rows.length === 0) return 0;
    const payload = Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'));
    await this.session.insert({ table: LOCAL_TABLE, values: payload, format: 'JSONEachRow' });
    return rows.length;
  }

  /** Runs a query; rows as objects (64-bit integers come back as numbers). */
  async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const result = await this.session.queryAsync(sql, { format: 'JSONEachRow' });
    const text = result.text().trim();
    if (text.length === 0) return [];
    return text.split('\n').map((line) => JSON.parse(line) as T);
  }

  close(): void {
    this.session.close();
  }
}

export * from './signoz-variables';
