import { DeprecatedTelemetryEnv as Deprecated, TelemetryEnv as Env, TelemetryMode } from './constants';

/**
 * The layer's configuration, read once from the environment by `readTelemetryConfig()`: the standard
 * OpenTelemetry variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/)
 * and project names only for what the standard does not cover. A bad value never fails the function
 * (telemetry must not break a business call): it falls back to the default with a warning naming the
 * variable. Hand-written rather than zod: this runs on every cold start, inside the layer's bundle.
 */
export interface TelemetryConfig {
  readonly mode: TelemetryMode;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly environment: string;
  /** Further resource attributes from OTEL_RESOURCE_ATTRIBUTES. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** The full OTLP/HTTP traces URL (the signal path already appended to a generic endpoint). */
  readonly tracesEndpoint: string | undefined;
  /** Headers sent with every export (OTEL_EXPORTER_OTLP_HEADERS, then _TRACES_HEADERS over them). */
  readonly exportHeaders: Readonly<Record<string, string>>;
  /** Secrets Manager id (name or ARN) of the SigNoz ingestion key. */
  readonly ingestionKeySecretId: string | undefined;
  /** Hard bound on one export (secret fetch included); no retries inside an invocation. */
  readonly exportTimeoutMs: number;
  readonly tracesSampler: TracesSampler;
  /** OTEL_TRACES_SAMPLER_ARG: the probability of `traceidratio`. */
  readonly tracesSamplerRatio: number;
  readonly localSpansFile: string;
  readonly localMetricsFile: string;
  readonly logLevel: LogLevel;
  /** Level of OpenTelemetry's own diagnostics (OTEL_LOG_LEVEL), written through the layer's logger. */
  readonly diagnosticLevel: DiagnosticLevel;
  readonly samplingConfigTable: string | undefined;
  readonly piiScrubbingEnabled: boolean;
  readonly metricsEnabled: boolean;
  readonly breakerFailureThreshold: number;
  readonly breakerCooldownMs: number;
}

export const LogLevel = {
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARN',
  ERROR: 'ERROR',
  SILENT: 'SILENT',
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** OTEL_TRACES_SAMPLER values the layer understands (`business_aware` is the layer's own, the default). */
export const TracesSampler = {
  /** Per-category consistent probabilities from the sampling-optimizer; errors and high-value kept. */
  BUSINESS_AWARE: 'business_aware',
  /** Every span kept (`always_on`, `parentbased_always_on`). */
  ALWAYS_ON: 'always_on',
  /** No span recorded (`always_off`, `parentbased_always_off`, and OTEL_SDK_DISABLED=true). */
  ALWAYS_OFF: 'always_off',
  /** Every category at OTEL_TRACES_SAMPLER_ARG (`traceidratio`, `parentbased_traceidratio`); errors kept. */
  TRACE_ID_RATIO: 'traceidratio',
} as const;
export type TracesSampler = (typeof TracesSampler)[keyof typeof TracesSampler];

/** The standard's spellings, each mapped to what the layer does (the business-aware sampler honours parents). */
const SAMPLER_VALUES: Readonly<Record<string, TracesSampler>> = {
  business_aware: TracesSampler.BUSINESS_AWARE,
  parentbased_business_aware: TracesSampler.BUSINESS_AWARE,
  always_on: TracesSampler.ALWAYS_ON,
  parentbased_always_on: TracesSampler.ALWAYS_ON,
  always_off: TracesSampler.ALWAYS_OFF,
  parentbased_always_off: TracesSampler.ALWAYS_OFF,
  traceidratio: TracesSampler.TRACE_ID_RATIO,
  parentbased_traceidratio: TracesSampler.TRACE_ID_RATIO,
};

/** OTEL_LOG_LEVEL's values (the standard's, lower case). */
export const DiagnosticLevel = {
  NONE: 'none',
  ERROR: 'error',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'debug',
  VERBOSE: 'verbose',
  ALL: 'all',
} as const;
export type DiagnosticLevel = (typeof DiagnosticLevel)[keyof typeof DiagnosticLevel];

type Parsed<T> = { readonly value: T } | { readonly problem: string };
type Parse<T> = (raw: string, name: string) => Parsed<T>;

/** One value of the schema: where it is read from, how it is parsed, and its deliberate default. */
interface Setting<T> {
  /** Standard (or project) names, most specific first; the first one set wins. */
  readonly names: readonly string[];
  /** Former project names, read after `names` with a deprecation warning (kept for one release). */
  readonly aliases?: readonly string[];
  /** What the deprecation warning points to. @default the first of `names` */
  readonly replacedBy?: string;
  readonly parse: Parse<T>;
  readonly fallback: T;
}

const text: Parse<string> = (raw) => ({ value: raw });

const positiveInteger: Parse<number> = (raw) => {
  const parsed = Number(raw);
  return Number.isFinite(parsed) && parsed > 0
    ? { value: Math.floor(parsed) }
    : { problem: `expected a number greater than 0, got "${raw}"` };
};

/** Project flags: true/false (also 1/0, on/off, yes/no); anything else is a mistake worth a warning. */
const flag: Parse<boolean> = (raw) => {
  const normalised = raw.toLowerCase();
  if (['true', '1', 'on', 'yes'].includes(normalised)) return { value: true };
  if (['false', '0', 'off', 'no'].includes(normalised)) return { value: false };
  return { problem: `expected true or false, got "${raw}"` };
};

/** The standard's Boolean: only case-insensitive "true" is true; anything but "false" is warned about. */
const standardBoolean: Parse<boolean> = (raw) => {
  const normalised = raw.toLowerCase();
  if (normalised === 'true') return { value: true };
  if (normalised === 'false') return { value: false };
  return { problem: `expected true or false, got "${raw}"` };
};

function oneOf<T extends string>(values: Readonly<Record<string, T>>): Parse<T> {
  return (raw) => {
    const value = values[raw.toLowerCase()];
    return value !== undefined
      ? { value }
      : { problem: `expected one of ${Object.keys(values).join(', ')}, got "${raw}"` };
  };
}

const ratio: Parse<number> = (raw) => {
  const parsed = Number(raw);
  return Number.isFinite(parsed) && parsed >= 0 && parsed <= 1
    ? { value: parsed }
    : { problem: `expected a probability in [0, 1], got "${raw}"` };
};

const httpUrl = (raw: string): string | undefined => {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
};

/** A signal-specific endpoint is used as is (the spec); a generic one gets the traces path appended. */
const tracesUrl: Parse<string> = (raw, name) => {
  const signalSpecific = name === Env.OTLP_TRACES_ENDPOINT;
  const url = httpUrl(signalSpecific ? raw : `${raw.replace(/\/+$/, '')}/v1/traces`);
  return url === undefined ? { problem: `expected an http(s) URL, got "${raw}"` } : { value: url };
};

/**
 * `key1=value1,key2=value2` with percent-encoded values (W3C baggage's format, as the standard says for
 * OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS). Entries are named by position, never by
 * value: a header value is usually a secret.
 */
const keyValueList: Parse<Record<string, string>> = (raw) => {
  const pairs: Record<string, string> = {};
  const entries = raw.split(',');
  for (const [index, entry] of entries.entries()) {
    if (entry.trim() === '') continue;
    const separator = entry.indexOf('=');
    const key = separator > 0 ? entry.slice(0, separator).trim() : '';
    if (key === '') return { problem: `entry ${index + 1} is not key=value` };
    try {
      pairs[decodeURIComponent(key)] = decodeURIComponent(entry.slice(separator + 1).trim());
    } catch {
      return { problem: `entry ${index + 1} is not percent-encoded correctly` };
    }
  }
  return { value: pairs };
};

const DEFAULT_SERVICE_NAME = 'stock_analytics';

/** The schema: every value's source and its default, each chosen on purpose (the comment says why). */
const SCHEMA = {
  // Inside Lambda the default is a real export; elsewhere nothing leaves the process unless an endpoint
  // is configured (resolved in readTelemetryConfig, since it depends on other values).
  mode: {
    names: [Env.MODE],
    parse: oneOf(byLowerCase(TelemetryMode)),
    fallback: undefined as TelemetryMode | undefined,
  },
  sdkDisabled: { names: [Env.SDK_DISABLED], parse: standardBoolean, fallback: false },
  serviceName: { names: [Env.SERVICE_NAME], parse: text, fallback: undefined as string | undefined },
  resourceAttributes: {
    names: [Env.RESOURCE_ATTRIBUTES],
    parse: keyValueList,
    fallback: {} as Record<string, string>,
  },
  // Versions and environment normally come in OTEL_RESOURCE_ATTRIBUTES (service.version,
  // deployment.environment.name); these former names are read when it has none.
  serviceVersion: {
    names: [],
    aliases: [Deprecated.SERVICE_VERSION],
    replacedBy: `${Env.RESOURCE_ATTRIBUTES} (service.version)`,
    parse: text,
    fallback: '0.1.0',
  },
  environment: {
    names: [],
    aliases: [Deprecated.ENVIRONMENT],
    replacedBy: `${Env.RESOURCE_ATTRIBUTES} (deployment.environment.name)`,
    parse: text,
    fallback: 'development',
  },
  // No endpoint means no export (a warning inside Lambda): guessing localhost:4318 would only fail.
  tracesEndpoint: {
    names: [Env.OTLP_TRACES_ENDPOINT, Env.OTLP_ENDPOINT],
    aliases: [Deprecated.OTLP_ENDPOINT],
    parse: tracesUrl,
    fallback: undefined as string | undefined,
  },
  genericHeaders: { names: [Env.OTLP_HEADERS], parse: keyValueList, fallback: {} as Record<string, string> },
  tracesHeaders: {
    names: [Env.OTLP_TRACES_HEADERS],
    parse: keyValueList,
    fallback: {} as Record<string, string>,
  },
  ingestionKeySecretId: {
    names: [Env.INGESTION_KEY_SECRET],
    parse: text,
    fallback: undefined as string | undefined,
  },
  // Far below the standard's 10 s: the invocation waits for its export, so the bound is what a slow
  // collector may cost a caller.
  exportTimeoutMs: {
    names: [Env.OTLP_TRACES_TIMEOUT, Env.OTLP_TIMEOUT],
    aliases: [Deprecated.EXPORT_TIMEOUT_MS],
    parse: positiveInteger,
    fallback: 800,
  },
  // Unset: the business-aware sampler (resolved in readTelemetryConfig with the former flag below).
  tracesSampler: {
    names: [Env.TRACES_SAMPLER],
    parse: oneOf(SAMPLER_VALUES),
    fallback: undefined as TracesSampler | undefined,
  },
  // The standard's default ratio.
  tracesSamplerRatio: { names: [Env.TRACES_SAMPLER_ARG], parse: ratio, fallback: 1 },
  samplingEnabled: {
    names: [],
    aliases: [Deprecated.SAMPLING_ENABLED],
    replacedBy: `${Env.TRACES_SAMPLER}=always_on`,
    parse: flag,
    fallback: true,
  },
  localSpansFile: { names: [Env.LOCAL_SPANS_FILE], parse: text, fallback: '.local/spans.jsonl' },
  localMetricsFile: { names: [Env.LOCAL_METRICS_FILE], parse: text, fallback: '.local/metrics.jsonl' },
  logLevel: {
    names: [Env.LOG_LEVEL],
    parse: oneOf(byLowerCase(LogLevel)),
    fallback: LogLevel.INFO as LogLevel,
  },
  // The standard's default.
  diagnosticLevel: {
    names: [Env.OTEL_LOG_LEVEL],
    parse: oneOf(byLowerCase(DiagnosticLevel)),
    fallback: DiagnosticLevel.INFO as DiagnosticLevel,
  },
  samplingConfigTable: {
    names: [Env.SAMPLING_CONFIG_TABLE],
    parse: text,
    fallback: undefined as string | undefined,
  },
  piiScrubbingEnabled: { names: [Env.PII_SCRUBBING_ENABLED], parse: flag, fallback: true },
  metricsEnabled: { names: [Env.METRICS_ENABLED], parse: flag, fallback: true },
  breakerFailureThreshold: { names: [Env.BREAKER_FAILURE_THRESHOLD], parse: positiveInteger, fallback: 3 },
  breakerCooldownMs: { names: [Env.BREAKER_COOLDOWN_MS], parse: positiveInteger, fallback: 60_000 },
} satisfies Record<string, Setting<unknown>>;

function byLowerCase<T extends string>(values: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.values(values).map((value) => [value.toLowerCase(), value]));
}

type Schema = typeof SCHEMA;
type Values = { [K in keyof Schema]: Schema[K]['fallback'] };

/** Reads one setting: an empty value is unset (the standard), a bad one falls back with a warning. */
function read<T>(env: NodeJS.ProcessEnv, setting: Setting<T>, warnings: string[]): T {
  const candidates = [
    ...setting.names.map((name) => ({ name, deprecated: false })),
    ...(setting.aliases ?? []).map((name) => ({ name, deprecated: true })),
  ];
  for (const { name, deprecated } of candidates) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    if (deprecated) {
      const replacement = setting.replacedBy ?? setting.names[0];
      warnings.push(
        `${name} is deprecated and will be removed in the next release; set ${replacement} instead`,
      );
    }
    const parsed = setting.parse(raw, name);
    if ('value' in parsed) return parsed.value;
    warnings.push(`${name}: ${parsed.problem}; using ${describeFallback(setting.fallback)}`);
    return setting.fallback;
  }
  return setting.fallback;
}

function describeFallback(value: unknown): string {
  if (value === undefined) return 'none';
  return typeof value === 'object' ? 'none of it' : `the default ${String(value)}`;
}

export interface LoadedTelemetryConfig {
  readonly config: TelemetryConfig;
  /** Problems found, each naming its variable; the layer logs them once, at cold start. */
  readonly warnings: readonly string[];
}

/** Reads and validates the layer's environment once. Never throws. */
export function readTelemetryConfig(env: NodeJS.ProcessEnv = process.env): LoadedTelemetryConfig {
  const warnings: string[] = [];
  const values = Object.fromEntries(
    Object.entries(SCHEMA).map(([key, setting]) => [key, read(env, setting as Setting<unknown>, warnings)]),
  ) as Values;
  const insideLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const {
    'service.name': namedService,
    'service.version': version,
    ...resourceAttributes
  } = values.resourceAttributes;
  const environment =
    resourceAttributes['deployment.environment.name'] ?? resourceAttributes['deployment.environment'];
  delete resourceAttributes['deployment.environment.name'];
  delete resourceAttributes['deployment.environment'];

  let mode = values.mode ?? (insideLambda || values.tracesEndpoint ? TelemetryMode.OTLP : TelemetryMode.OFF);
  let tracesSampler =
    values.tracesSampler ?? (values.samplingEnabled ? TracesSampler.BUSINESS_AWARE : TracesSampler.ALWAYS_ON);
  if (values.sdkDisabled) {
    // A no-op for traces (the standard); EMF metrics and logs are the product's and stay.
    mode = TelemetryMode.OFF;
    tracesSampler = TracesSampler.ALWAYS_OFF;
  }
  if (mode === TelemetryMode.OTLP && values.tracesEndpoint === undefined && insideLambda) {
    warnings.push(`no ${Env.OTLP_ENDPOINT} (or ${Env.OTLP_TRACES_ENDPOINT}) is set: spans are not exported`);
  }
  const config: TelemetryConfig = {
    mode,
    serviceName: values.serviceName ?? namedService ?? DEFAULT_SERVICE_NAME,
    serviceVersion: version ?? values.serviceVersion,
    environment: environment ?? values.environment,
    resourceAttributes,
    tracesEndpoint: values.tracesEndpoint,
    exportHeaders: { ...values.genericHeaders, ...values.tracesHeaders },
    ingestionKeySecretId: values.ingestionKeySecretId,
    exportTimeoutMs: values.exportTimeoutMs,
    tracesSampler,
    tracesSamplerRatio: values.tracesSamplerRatio,
    localSpansFile: values.localSpansFile,
    localMetricsFile: values.localMetricsFile,
    logLevel: values.logLevel,
    diagnosticLevel: values.diagnosticLevel,
    samplingConfigTable: values.sdkDisabled ? undefined : values.samplingConfigTable,
    piiScrubbingEnabled: values.piiScrubbingEnabled,
    metricsEnabled: values.metricsEnabled,
    breakerFailureThreshold: values.breakerFailureThreshold,
    breakerCooldownMs: values.breakerCooldownMs,
  };
  return { config, warnings };
}

/** The configuration alone (warnings dropped): for callers that only need the values. */
export function loadTelemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  return readTelemetryConfig(env).config;
}
