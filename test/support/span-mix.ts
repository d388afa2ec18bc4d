/**
 * A seeded, realistic mix of invocation traces of the four functions (the demo workload's shape), for
 * sampling simulations. Each invocation is a plan: a root span and child spans with start attributes,
 * end attributes (e.g. `opportunity_score`, known only after the analysis) and injected failures.
 * `runInvocation` turns a plan into real SDK spans on any tracer.
 */
import {
  type Attributes,
  type Context,
  context,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import { categoryAttributes } from '../../lambdas/shared/instrumentation';
import { SpanName } from '../../lambdas/shared/names/spans';
import { Attr } from '../../layers/otel/src/constants';
import { SamplingCategory } from '../../layers/otel/src/sampling/types';

export interface SpanPlan {
  readonly name: string;
  readonly startAttributes: Attributes;
  /** Set just before the span ends (results only known then). */
  readonly endAttributes?: Attributes;
  /** The span fails: exception event + status ERROR (propagated to its ancestors, as a throw would). */
  error?: boolean;
  readonly children: SpanPlan[];
}

export interface InvocationPlan {
  readonly fn: 'dual-accuracy-tracker' | 'trading-intelligence' | 'sampling-optimizer' | 'observability-demo';
  readonly action: string;
  readonly root: SpanPlan;
}

export interface SpanMixOptions {
  readonly seed: number;
  /** Generate invocations until at least this many spans exist. */
  readonly minSpans: number;
  /** Share of invocations in which one span fails (default 0.015). */
  readonly invocationErrorRate?: number;
  /** Share of symbol analyses that score ≥ 70 (default 0.02). */
  readonly opportunityRate?: number;
}

/** mulberry32: a small, fast, seeded PRNG with uniform output in [0, 1). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex32(random: () => number): string {
  return Math.floor(random() * 4294967296)
    .toString(16)
    .padStart(8, '0');
}

/** Trace and span ids from a seeded PRNG (random in all bits, as W3C Level 2 expects). */
export function seededIdGenerator(random: () => number): IdGenerator {
  return {
    generateTraceId: () => hex32(random) + hex32(random) + hex32(random) + hex32(random),
    generateSpanId: () => hex32(random) + hex32(random),
  };
}

const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'TSLA', 'JPM', 'V', 'XOM', 'BRK.B', 'UNH'];
const MODELS = ['lstm-v3', 'xgb-v2', 'prophet-v1'];
const SESSIONS = ['pre_market', 'regular', 'after_hours'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function int(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function span(
  name: string,
  startAttributes: Attributes,
  children: SpanPlan[] = [],
  endAttributes?: Attributes,
): SpanPlan {
  return endAttributes
    ? { name, startAttributes, endAttributes, children }
    : { name, startAttributes, children };
}

function rootSpan(
  fn: InvocationPlan['fn'],
  action: string,
  children: SpanPlan[],
  endAttributes?: Attributes,
  startAttributes: Attributes = categoryAttributes(action),
): SpanPlan {
  return span(
    fn,
    {
      [Attr.ACTION]: action,
      [Attr.FAAS_TRIGGER]: 'other',
      [Attr.FAAS_INVOCATION_ID]: 'generated',
      // What instrument() adds from the functions' categoryByAction.
      ...startAttributes,
    },
    children,
    { [Attr.RESULT_OK]: true, ...endAttributes },
  );
}

function dynamo(operation: 'query' | 'batch_write' | 'put' | 'get'): SpanPlan {
  return span(`dynamodb.${operation}`, { 'db.system': 'dynamodb', 'db.operation': operation });
}

function recordPrices(random: () => number): InvocationPlan {
  const batches = int(random, 1, 4);
  const children = [span('market.record_prices', { [Attr.SYMBOL]: pick(random, SYMBOLS) })];
  for (let i = 0; i < batches; i += 1) children.push(dynamo('batch_write'));
  return {
    fn: 'dual-accuracy-tracker',
    action: 'record_prices',
    root: rootSpan('dual-accuracy-tracker', 'record_prices', children),
  };
}

function recordPredictions(random: () => number): InvocationPlan {
  const children = [
    span('ml.record_predictions', { [Attr.MODEL]: pick(random, MODELS) }),
    dynamo('batch_write'),
  ];
  if (random() < 0.5) children.push(dynamo('batch_write'));
  return {
    fn: 'dual-accuracy-tracker',
    action: 'record_predictions',
    root: rootSpan('dual-accuracy-tracker', 'record_predictions', children),
  };
}

function validateAll(random: () => number): InvocationPlan {
  const children: SpanPlan[] = [
    dynamo('query'),
    span('market.prices.read', { [Attr.SYMBOL]: pick(random, SYMBOLS) }),
  ];
  const predictions = int(random, 6, 30);
  for (let i = 0; i < predictions; i += 1) {
    const confidence = 0.5 + random() * 0.45;
    children.push(
      span(
        SpanName.VALIDATE_PREDICTION,
        { [Attr.SYMBOL]: pick(random, SYMBOLS), [Attr.MODEL]: pick(random, MODELS) },
        [],
        {
          [Attr.PRICE_ERROR_PCT]: random() * 4,
          [Attr.DIRECTION_HIT]: random() < 0.62,
          [Attr.CONFIDENCE]: confidence,
        },
      ),
    );
  }
  children.push(span(SpanName.ACCURACY_SUMMARY, { [Attr.MODEL]: pick(random, MODELS) }), dynamo('put'));
  const alert = random() < 0.01;
  return {
    fn: 'dual-accuracy-tracker',
    action: 'validate_all',
    root: rootSpan(
      'dual-accuracy-tracker',
      'validate_all',
      children,
      alert ? { [Attr.ALERT]: true } : undefined,
    ),
  };
}

function analyze(random: () => number, opportunityRate: number, action = 'analyze'): InvocationPlan {
  const children: SpanPlan[] = [];
  const symbols = int(random, 6, 12);
  for (let i = 0; i < symbols; i += 1) {
    const score = random() < opportunityRate ? 70 + random() * 30 : random() * 69.9;
    children.push(
      span(
        SpanName.OPPORTUNITY_ANALYSIS,
        { [Attr.SYMBOL]: pick(random, SYMBOLS), [Attr.MARKET_SESSION]: pick(random, SESSIONS) },
        [span('market.prices.read', { [Attr.SYMBOL]: pick(random, SYMBOLS) }), dynamo('query')],
        { [Attr.OPPORTUNITY_SCORE]: Math.round(score * 10) / 10 },
      ),
    );
  }
  children.push(span('trading.rank_opportunities', {}), dynamo('put'));
  return { fn: 'trading-intelligence', action, root: rootSpan('trading-intelligence', action, children) };
}

function scheduledRankings(random: () => number, opportunityRate: number): InvocationPlan {
  // Outside market hours (most of the week) the handler only checks the calendar and skips.
  if (random() < 0.6) {
    return {
      fn: 'trading-intelligence',
      action: 'scheduled_rankings',
      root: rootSpan('trading-intelligence', 'scheduled_rankings', [span('scheduled_rankings.skipped', {})], {
        'app.skipped': true,
      }),
    };
  }
  return analyze(random, opportunityRate, 'scheduled_rankings');
}

function smallRead(fn: InvocationPlan['fn'], action: string): InvocationPlan {
  return { fn, action, root: rootSpan(fn, action, [dynamo('query')]) };
}

function optimize(): InvocationPlan {
  const children = [
    span('cloudwatch.get_metric_data', { 'rpc.system': 'aws-api' }),
    dynamo('get'),
    span('sampling.optimize', {}),
    dynamo('put'),
  ];
  return {
    fn: 'sampling-optimizer',
    action: 'optimize',
    root: rootSpan('sampling-optimizer', 'optimize', children),
  };
}

function health(fn: InvocationPlan['fn']): InvocationPlan {
  // A health check, as a function that had one would categorise it (categoryByAction).
  const noise = { [Attr.SAMPLING_CATEGORY]: SamplingCategory.NOISE };
  return { fn, action: 'health', root: rootSpan(fn, 'health', [], undefined, noise) };
}

export function countSpans(plan: SpanPlan): number {
  let total = 1;
  for (const child of plan.children) total += countSpans(child);
  return total;
}

function allSpans(plan: SpanPlan, into: SpanPlan[] = []): SpanPlan[] {
  into.push(plan);
  for (const child of plan.children) allSpans(child, into);
  return into;
}

/**
 * The mix (shares of invocations). Health checks and status polls are the most frequent invocations but
 * one or two spans each; validations and analyses are rarer but carry most spans.
 */
function nextInvocation(random: () => number, opportunityRate: number): InvocationPlan {
  const roll = random();
  if (roll < 0.15) return recordPrices(random);
  if (roll < 0.2) return recordPredictions(random);
  if (roll < 0.26) return validateAll(random);
  if (roll < 0.32) return scheduledRankings(random, opportunityRate);
  if (roll < 0.35) return analyze(random, opportunityRate);
  if (roll < 0.37) return smallRead('trading-intelligence', 'rankings');
  if (roll < 0.385) return smallRead('dual-accuracy-tracker', 'report');
  if (roll < 0.4) return optimize();
  if (roll < 0.43) return smallRead('sampling-optimizer', 'status');
  return health(
    pick(random, ['dual-accuracy-tracker', 'trading-intelligence', 'sampling-optimizer'] as const),
  );
}

export function generateSpanMix(options: SpanMixOptions): InvocationPlan[] {
  const random = createPrng(options.seed);
  const errorRate = options.invocationErrorRate ?? 0.015;
  const opportunityRate = options.opportunityRate ?? 0.02;
  const invocations: InvocationPlan[] = [];
  let spans = 0;
  while (spans < options.minSpans) {
    const invocation = nextInvocation(random, opportunityRate);
    if (random() < errorRate) {
      const candidates = allSpans(invocation.root);
      const failing = pick(random, candidates);
      failing.error = true;
    }
    invocations.push(invocation);
    spans += countSpans(invocation.root);
  }
  return invocations;
}

/**
 * Runs a plan on a tracer with explicit parent contexts (no context manager needed). Returns whether
 * the plan's subtree failed, so that failures propagate to ancestors as a thrown error would.
 */
export function runInvocation(tracer: Tracer, plan: SpanPlan, parent: Context = context.active()): boolean {
  const current = tracer.startSpan(plan.name, { attributes: plan.startAttributes }, parent);
  const childContext = trace.setSpan(parent, current);
  let failed = false;
  for (const child of plan.children) {
    if (runInvocation(tracer, child, childContext)) failed = true;
  }
  if (plan.endAttributes) current.setAttributes(plan.endAttributes);
  if (plan.error) {
    current.recordException(new Error(`injected failure in ${plan.name}`));
    failed = true;
  }
  if (failed) current.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
  current.end();
  return failed;
}
