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
 * - `traces_v3_resource` (migration 1000: the resource pre-filter SigNoz's query builder reads) is a
 *   ReplacingMergeTree there and here; `distributed_traces_v3_resource` (Distributed, sharded by
 *   `cityHash64(labels, fingerprint)`) is a Merge table over it, as above.
 *
 * Rows are mapped as SigNoz's exporter maps them: see `signoz-otlp.ts`.
 */
import { Session } from 'chdb';
import { type OtlpExportRequest, otlpToResourceRows, otlpToSignozRows } from './otlp';

export const SIGNOZ_SCHEMA_SOURCE = {
  repository: 'SigNoz/signoz-otel-collector',
  file: 'cmd/signozschemamigrator/schema_migrator/traces_migrations.go',
  commit: '75a995d09efe44c98652f2ae8d5771eb57675b29',
  version: 'v0.144.7-1-g75a995d0',
} as const;

export const TRACES_DATABASE = 'signoz_traces';
export const LOCAL_TABLE = `${TRACES_DATABASE}.signoz_index_v3`;
export const DISTRIBUTED_TABLE = `${TRACES_DATABASE}.distributed_signoz_index_v3`;
export const LOCAL_RESOURCE_TABLE = `${TRACES_DATABASE}.traces_v3_resource`;
export const DISTRIBUTED_RESOURCE_TABLE = `${TRACES_DATABASE}.distributed_traces_v3_resource`;

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
    `CREATE TABLE ${LOCAL_RESOURCE_TABLE} (
  labels String CODEC(ZSTD(5)),
  fingerprint String CODEC(ZSTD(1)),
  seen_at_ts_bucket_start Int64 CODEC(Delta(8), ZSTD(1)),
  INDEX idx_labels lower(labels) TYPE ngrambf_v1(4, 1024, 3, 0) GRANULARITY 1,
  INDEX idx_labels_v1 labels TYPE ngrambf_v1(4, 1024, 3, 0) GRANULARITY 1
)
ENGINE = ReplacingMergeTree
PARTITION BY toDate(seen_at_ts_bucket_start)
ORDER BY (labels, fingerprint, seen_at_ts_bucket_start)
TTL toDateTime(seen_at_ts_bucket_start) + INTERVAL 1296000 SECOND + INTERVAL 1800 SECOND DELETE
SETTINGS ttl_only_drop_parts = 1, index_granularity = 8192`,
    `CREATE TABLE ${DISTRIBUTED_RESOURCE_TABLE} AS ${LOCAL_RESOURCE_TABLE}
ENGINE = Merge('${TRACES_DATABASE}', '^traces_v3_resource$')`,
  ];
}

/** chdb with SigNoz's traces schema. One per process at a time (chdb's engine is a singleton). */
export class SignozClickhouse {
  private constructor(private readonly session: Session) {}

  static create(): SignozClickhouse {
    const db = new SignozClickhouse(new Session());
    for (const statement of signozTracesDdl()) db.session.query(statement);
    return db;
  }

  /** Inserts OTLP export requests as SigNoz's exporter would (spans and resources); returns the spans. */
  async load(requests: readonly OtlpExportRequest[]): Promise<number> {
    const rows = requests.flatMap((r) => otlpToSignozRows(r));
    if (rows.length === 0) return 0;
    await this.insert(LOCAL_TABLE, rows);
    await this.insert(
      LOCAL_RESOURCE_TABLE,
      requests.flatMap((r) => otlpToResourceRows(r)),
    );
    return rows.length;
  }

  private async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const payload = Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'));
    await this.session.insert({ table, values: payload, format: 'JSONEachRow' });
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

export * from './otlp';
export * from './variables';
