/**
 * Seeded, realistic spans in the telemetry layer's OTLP/JSON shape (one ExportTraceServiceRequest
 * per invocation, as the layer flushes), standing in for `.local/spans.jsonl` until the demo writes
 * one: the four functions over several days, several symbols, models and market sessions, with
 * per-category sampling (sampling.probability < 1 on sampled spans; errors and opportunities kept).
 */
import { DateTime } from 'luxon';
import { Attr as A, ResourceAttr } from '../../lambdas/shared/dashboards/sql';
import { MarketSession } from '../../lambdas/shared/market/session';
import { SpanName } from '../../lambdas/shared/names/spans';
import { DataPartition, PARTITION_ATTRIBUTE } from '../../lambdas/shared/partition';
import { SamplingCategory } from '../../layers/otel/src/sampling/types';
import type { OtlpAttribute, OtlpExportRequest, OtlpSpanJson } from './clickhouse';

export const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL'] as const;
export const MODELS = ['lstm-v3', 'xgboost-v2', 'transformer-v1'] as const;
export const FUNCTIONS = {
  ACCURACY: 'dual-accuracy-tracker',
  TRADING: 'trading-intelligence',
  OPTIMIZER: 'sampling-optimizer',
  DEMO: 'observability-demo',
} as const;

/** Functions whose generated root spans carry faas.name as a span attribute (the rest: resource). */
const FAAS_NAME_ON_SPAN: ReadonlySet<string> = new Set([FUNCTIONS.TRADING, FUNCTIONS.DEMO]);

/**
 * The data partition of a function's spans: the demo's are `demo`; the optimizer's carry no
 * partition (spans from before partitions existed, which the dashboards read as live).
 */
function partitionOf(fn: string): string | undefined {
  if (fn === FUNCTIONS.DEMO) return DataPartition.DEMO;
  if (fn === FUNCTIONS.OPTIMIZER) return undefined;
  return DataPartition.LIVE;
}

/** Inclusion probability per category in the generated data. */
const PROBABILITY: Record<string, number> = {
  [SamplingCategory.INVOCATION]: 1,
  [SamplingCategory.ML_VALIDATION]: 0.5,
  [SamplingCategory.TRADING]: 0.25,
  [SamplingCategory.MARKET_DATA]: 0.1,
};

/** Model skill: how much a model's hit probability tracks its confidence. */
const MODEL_SKILL: Record<string, number> = { 'lstm-v3': 0.95, 'xgboost-v2': 0.85, 'transformer-v1': 0.7 };

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Value = string | number | boolean;

const attr = (key: string, value: Value): OtlpAttribute => {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  // as the layer encodes numbers: safe integers as intValue strings, others as doubleValue
  return Number.isSafeInteger(value)
    ? { key, value: { intValue: String(value) } }
    : { key, value: { doubleValue: value } };
};

/** NYSE session of an instant (weekends closed; holidays ignored in test data). */
export function marketSessionAt(ms: number): string {
  const et = DateTime.fromMillis(ms, { zone: 'America/New_York' });
  if (et.weekday > 5) return MarketSession.Closed;
  const minutes = et.hour * 60 + et.minute;
  if (minutes >= 4 * 60 && minutes < 9 * 60 + 30) return MarketSession.PreMarket;
  if (minutes >= 9 * 60 + 30 && minutes < 16 * 60) return MarketSession.Regular;
  if (minutes >= 16 * 60 && minutes < 20 * 60) return MarketSession.AfterHours;
  return MarketSession.Closed;
}

export interface GenerateSpansOptions {
  seed?: number;
  /** The last invocation's time (default: now, floored to the hour). */
  end?: Date;
  days?: number;
}

export function generateSignozSpans(options: GenerateSpansOptions = {}): OtlpExportRequest[] {
  const random = mulberry32(options.seed ?? 42);
  const days = options.days ?? 4;
  const endMs = options.end?.getTime() ?? Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const startMs = endMs - days * 86_400_000;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hex = (chars: number): string =>
    Array.from({ length: chars }, () => Math.floor(random() * 16).toString(16)).join('');
  const round = (value: number, digits: number): number => Number(value.toFixed(digits));
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const nanos = (ms: number): string => `${Math.round(ms)}000000`;

  const requests: OtlpExportRequest[] = [];

  /** One invocation: a root span named after the function and its kept children. */
  function invocation(
    fn: string,
    atMs: number,
    build: (ctx: InvocationContext) => void,
    failed = false,
  ): void {
    const traceId = hex(32);
    const rootId = hex(16);
    const partition = partitionOf(fn);
    const partitionAttributes = partition === undefined ? [] : [attr(PARTITION_ATTRIBUTE, partition)];
    const spans: OtlpSpanJson[] = [];
    let cursor = atMs + 5 + random() * 20;
    const ctx: InvocationContext = {
      session: marketSessionAt(atMs),
      child(name, category, attributes, options = {}) {
        const p = options.keep ? 1 : (PROBABILITY[category] ?? 1);
        const durationMs = 1 + random() * 25;
        const start = cursor;
        cursor += durationMs + random() * 3;
        if (p < 1 && random() >= p) return; // dropped by the sampler
        spans.push({
          traceId,
          spanId: hex(16),
          parentSpanId: rootId,
          name,
          kind: 1,
          startTimeUnixNano: nanos(start),
          endTimeUnixNano: nanos(start + durationMs),
          attributes: Object.entries({
            ...attributes,
            [A.SAMPLING_PROBABILITY]: p,
            [A.SAMPLING_CATEGORY]: category,
          })
            .map(([k, v]) => attr(k, v))
            .concat(partitionAttributes),
          status: { code: 0 },
          events: [],
        });
      },
    };
    build(ctx);
    const rootEnd = Math.max(cursor, atMs + 40 + random() * 600 + (fn === FUNCTIONS.TRADING ? 300 : 0));
    spans.unshift({
      traceId,
      spanId: rootId,
      name: fn,
      kind: 2,
      startTimeUnixNano: nanos(atMs),
      endTimeUnixNano: nanos(rootEnd),
      attributes: [
        // the layer has put faas.name on the root span; semantic conventions put it on the resource
        ...(FAAS_NAME_ON_SPAN.has(fn) ? [attr(ResourceAttr.FAAS_NAME, fn)] : []),
        attr(A.FAAS_COLDSTART, random() < 0.05),
        attr(A.FAAS_INVOCATION_ID, `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`),
        attr(A.FAAS_TRIGGER, fn === FUNCTIONS.DEMO ? 'other' : 'timer'),
        attr(A.RESULT_OK, !failed),
        attr(A.SAMPLING_PROBABILITY, 1),
        attr(A.SAMPLING_CATEGORY, SamplingCategory.INVOCATION),
        ...(failed ? [attr(A.ERROR_CODE, 'DEPENDENCY_FAILURE')] : []),
        ...partitionAttributes,
      ],
      status: failed ? { code: 2, message: 'DynamoDB throttled after retries' } : { code: 0 },
      events: failed
        ? [
            {
              timeUnixNano: nanos(rootEnd - 1),
              name: 'exception',
              attributes: [
                attr('exception.type', 'ThrottlingException'),
                attr('exception.message', 'Rate exceeded'),
              ],
            },
          ]
        : [],
    });
    requests.push({
      resourceSpans: [
        {
          resource: {
            attributes: [
              attr(ResourceAttr.SERVICE_NAME, 'stock_analytics'),
              attr('service.version', '0.1.0'),
              attr('deployment.environment', 'demo'),
              attr('cloud.provider', 'aws'),
              attr('cloud.region', 'us-east-1'),
              ...(FAAS_NAME_ON_SPAN.has(fn) ? [] : [attr(ResourceAttr.FAAS_NAME, fn)]),
              attr('faas.version', '$LATEST'),
            ],
          },
          scopeSpans: [{ scope: { name: 'trading-observability' }, spans }],
        },
      ],
    });
  }

  const SLOT_MS = 30 * 60_000;
  for (let slot = 0, t = startMs; t <= endMs; slot += 1, t += SLOT_MS) {
    const at = t + random() * 60_000;
    const session = marketSessionAt(at);
    const open = session !== MarketSession.Closed;

    if (slot % 4 === 0) {
      invocation(FUNCTIONS.ACCURACY, at, (ctx) => {
        ctx.child(SpanName.VALIDATION_BATCH, SamplingCategory.ML_VALIDATION, { [A.ACTION]: 'validate_all' });
        for (let i = 0; i < 8; i += 1) {
          const symbol = pick(SYMBOLS);
          const model = pick(MODELS);
          const confidence = 0.45 + random() * 0.5;
          const skill = MODEL_SKILL[model] ?? 0.8;
          const hit =
            random() <
            0.5 + (confidence - 0.5) * skill + (ctx.session === MarketSession.Regular ? 0.05 : -0.05);
          const errorPct = Math.abs(normal() * (1.2 + (1 - skill) * 2)) + 0.05;
          ctx.child(SpanName.VALIDATE_PREDICTION, SamplingCategory.ML_VALIDATION, {
            [A.SYMBOL]: symbol,
            [A.MODEL]: model,
            [A.CONFIDENCE]: round(confidence, 4),
            [A.PRICE_ERROR_PCT]: round(errorPct, 4),
            [A.DIRECTION_HIT]: hit,
            [A.MARKET_SESSION]: ctx.session,
          });
        }
        ctx.child(
          SpanName.ACCURACY_SUMMARY,
          SamplingCategory.ML_VALIDATION,
          { [A.ACTION]: 'validate_all' },
          { keep: true },
        );
      });
    }

    if (open || slot % 8 === 2) {
      const failed = random() < 0.03;
      invocation(
        FUNCTIONS.TRADING,
        at + 120_000,
        (ctx) => {
          if (failed) return;
          for (const symbol of SYMBOLS) {
            const score = round(Math.min(100, Math.max(0, 58 + normal() * 14)), 1);
            const isOpportunity = score >= 70;
            const returnPct = round(normal() * 1.5 + (isOpportunity ? 0.4 : -0.1), 3);
            ctx.child(
              SpanName.OPPORTUNITY_ANALYSIS,
              SamplingCategory.TRADING,
              {
                [A.SYMBOL]: symbol,
                [A.OPPORTUNITY_SCORE]: score,
                [A.MARKET_SESSION]: ctx.session,
                [A.SIGNAL_RETURN_PCT]: returnPct,
                [A.IS_OPPORTUNITY]: isOpportunity,
              },
              { keep: isOpportunity }, // high-value spans are always kept
            );
          }
        },
        failed,
      );
    }

    if (slot % 3 === 1) {
      invocation(FUNCTIONS.OPTIMIZER, at + 240_000, (ctx) => {
        ctx.child(SpanName.SAMPLING_OPTIMIZE, SamplingCategory.INVOCATION, {
          [A.ESTIMATED_COST_PER_DAY]: round(35 + random() * 35, 2),
          [A.BUDGET_PER_DAY]: 60,
          [A.ACTION]: 'optimize',
        });
        ctx.child('sampling.read_volume', SamplingCategory.MARKET_DATA, { [A.ACTION]: 'optimize' });
      });
    }

    if (slot % 48 === 20) invocation(FUNCTIONS.DEMO, at + 300_000, () => undefined);
  }
  return requests;
}

interface InvocationContext {
  session: string;
  child(
    name: string,
    category: string,
    attributes: Record<string, Value>,
    options?: { keep?: boolean },
  ): void;
}
