import {
  type Attributes,
  type Context,
  isSpanContextValid,
  type Link,
  type SpanContext,
  type SpanKind,
  TraceFlags,
  type TraceState,
  trace,
} from '@opentelemetry/api';
import { type Sampler, SamplingDecision, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import { Attr } from '../constants';
import { categorizeSpan, isHighValue } from './categorize';
import {
  DEFAULT_THRESHOLD_PRECISION,
  minPreparedThreshold,
  normalizeProbability,
  PREPARED_MIN_THRESHOLD,
  type PreparedOt,
  type PreparedThreshold,
  preparedThresholdFor,
  randomHexFromTraceId,
  readPreparedOt,
  shouldKeepHex,
  withPreparedThreshold,
} from './consistent-probability';
import type { SamplingCategory, SamplingConfig } from './types';

export interface BusinessAwareSamplerOptions {
  /** The current configuration (synchronous: the config source's cached value). */
  readonly getConfig: () => SamplingConfig;
  /** `false`: AlwaysOn behaviour (every span sampled at probability 1, `th:0`). */
  readonly enabled: boolean;
  /** Significant hex digits of written thresholds (the spec's recommended 4 by default). */
  readonly precision?: number;
  /** Trace ids whose local root had a remote parent, remembered for its local children (bounded). */
  readonly maxRememberedTraces?: number;
}

/** How a remote parent governs the local part of its trace. */
interface RemoteGovernance {
  readonly sampled: boolean;
  /** The remote threshold (null: sampled without a usable `th`, probability unknown, read as 1). */
  readonly threshold: PreparedThreshold | null;
}

/*
 * Imported bindings read once, at load. Compiled to CommonJS (jest, tsx, the bench) every use of an
 * imported name is a call to an export getter: a measurable share of a decision made for every span.
 */
const getSpanContext = trace.getSpanContext;
const isValidSpanContext = isSpanContextValid;
const SAMPLED_FLAG = TraceFlags.SAMPLED;
const KEEP = SamplingDecision.RECORD_AND_SAMPLED;
const RECORD_ONLY = SamplingDecision.RECORD;
const CATEGORY_KEY = Attr.SAMPLING_CATEGORY;
const PROBABILITY_KEY = Attr.SAMPLING_PROBABILITY;
const categorize = categorizeSpan;
const highValue = isHighValue;
const PROBABILITY_ONE = PREPARED_MIN_THRESHOLD;
const thresholdFor = preparedThresholdFor;
const lowerThreshold = minPreparedThreshold;
const traceRandomness = randomHexFromTraceId;
const otOf = readPreparedOt;
const keeps = shouldKeepHex;
const traceStateWith = withPreparedThreshold;

const NOT_SAMPLED: RemoteGovernance = Object.freeze({ sampled: false, threshold: null });
const MAX_CACHED_PROBABILITIES = 64;

/**
 * Business-aware, consistent probability sampler. Every span is at least RECORDed, so the layer can
 * buffer the whole invocation and rescue errors and high-value traces at flush (`selectForExport`).
 *
 * Decision for a span with category probability p_own (threshold T_own; 1 for high-value start
 * attributes), randomness R (explicit `rv` or trace id):
 * - no parent (local root): sampled iff R ≥ T_own; th = T_own;
 * - local parent, sampled with th T_p: sampled (the parent's decision is respected, so subtrees stay
 *   whole); th = min(T_own, T_p), which is exactly this span's inclusion threshold because the child of
 *   an unsampled parent is sampled iff R ≥ T_own (below);
 * - local parent, not sampled: sampled iff R ≥ T_own (a trading child may be kept under a dropped
 *   invocation root; `selectForExport` then also exports its ancestors, with corrected probabilities);
 * - remote parent (another service decided): its decision is followed for the whole local part of the
 *   trace: sampled → sampled with the parent's th (erased if absent or inconsistent with R);
 *   not sampled → RECORD only (errors can still be rescued locally).
 *
 * Returned attributes: `sampling.category`, `sampling.probability` (this span's inclusion probability
 * as known at start; `selectForExport` finalises it). Sampled spans get `ot=th:<hex>` in their trace
 * state; unsampled spans get no `th`; every other tracestate entry and `ot` sub-key is preserved.
 */
export class BusinessAwareSampler implements Sampler {
  private readonly getConfig: () => SamplingConfig;
  private readonly enabled: boolean;
  private readonly precision: number;
  private readonly maxRemembered: number;
  private readonly remoteGoverned = new Map<string, RemoteGovernance>();
  private readonly attributeCache = new Map<SamplingCategory, Map<number, Attributes>>();
  private lastWarnedConfig: SamplingConfig | undefined;

  constructor(options: BusinessAwareSamplerOptions) {
    this.getConfig = options.getConfig;
    this.enabled = options.enabled;
    this.precision = options.precision ?? DEFAULT_THRESHOLD_PRECISION;
    this.maxRemembered = options.maxRememberedTraces ?? 1024;
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    _spanKind: SpanKind,
    attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    const parent = getSpanContext(context);
    const validParent = parent !== undefined && isValidSpanContext(parent) ? parent : undefined;
    const parentTraceState = validParent?.traceState;
    // Parsed once per decision (cached per distinct value: most parents carry no or the same `ot`).
    const parentOt = otOf(parentTraceState);
    const category = categorize(spanName, attributes);

    if (!this.enabled) return this.result(true, PROBABILITY_ONE, category, parentTraceState);

    const config = this.getConfig();
    const ownThreshold = highValue(attributes, config)
      ? PROBABILITY_ONE
      : thresholdFor(this.categoryProbability(config, category), this.precision);
    const randomHex = parentOt.randomHex ?? traceRandomness(traceId);

    if (validParent?.isRemote) {
      const governance = this.governanceOf(validParent, parentOt, randomHex);
      this.remember(traceId, governance);
      return this.governed(governance, ownThreshold, category, parentTraceState);
    }
    const governance = validParent ? this.remoteGoverned.get(traceId) : undefined;
    if (governance) return this.governed(governance, ownThreshold, category, parentTraceState);

    if (validParent && (validParent.traceFlags & SAMPLED_FLAG) !== 0) {
      const parentThreshold = parentOt.threshold;
      const threshold =
        parentThreshold === null || ownThreshold === null
          ? (parentThreshold ?? ownThreshold)
          : lowerThreshold(parentThreshold, ownThreshold);
      return this.result(true, threshold, category, parentTraceState);
    }
    // Root, or a local unsampled parent: an independent consistent decision on the shared R.
    const sampled = randomHex !== null && keeps(randomHex, ownThreshold);
    return this.result(sampled, ownThreshold, category, parentTraceState);
  }

  toString(): string {
    if (!this.enabled) return 'BusinessAwareSampler{disabled: AlwaysOn}';
    const config = this.getConfig();
    const probabilities = Object.entries(config.probabilities)
      .map(([category, p]) => `${category}=${p}`)
      .join(', ');
    return (
      `BusinessAwareSampler{version=${config.version}, ${probabilities}, ` +
      `highValueScore>=${config.highValueScore}, highValueNotional>=${config.highValueNotional}, ` +
      `precision=${this.precision}}`
    );
  }

  private categoryProbability(config: SamplingConfig, category: SamplingCategory): number {
    const raw: unknown = config.probabilities[category];
    if (typeof raw === 'number' && raw >= 0 && raw <= 1) return raw;
    // The config source normalises; this guards hand-built configs, warning once per config object.
    const warn = this.lastWarnedConfig !== config;
    this.lastWarnedConfig = config;
    return warn
      ? normalizeProbability(raw, 1, `sampling probability of ${category}`).probability
      : clamp01(raw);
  }

  private governanceOf(
    parent: SpanContext,
    parentOt: PreparedOt,
    randomHex: string | null,
  ): RemoteGovernance {
    if ((parent.traceFlags & SAMPLED_FLAG) === 0) return NOT_SAMPLED;
    const threshold = parentOt.threshold;
    // The spec: a sampled context whose th is inconsistent with R has its threshold erased.
    const consistent = threshold !== null && randomHex !== null && randomHex >= threshold.hex;
    return { sampled: true, threshold: consistent ? threshold : null };
  }

  private governed(
    governance: RemoteGovernance,
    ownThreshold: PreparedThreshold | null,
    category: SamplingCategory,
    parentTraceState: TraceState | undefined,
  ): SamplingResult {
    if (!governance.sampled) return this.result(false, ownThreshold, category, parentTraceState);
    return this.result(true, governance.threshold, category, parentTraceState);
  }

  private result(
    sampled: boolean,
    threshold: PreparedThreshold | null,
    category: SamplingCategory,
    parentTraceState: TraceState | undefined,
  ): SamplingResult {
    // Sampled without a threshold (remote parent without a usable th): the probability is unknown and
    // read as 1, the default upstream ParentBased(AlwaysOn); no th is written. Unsampled, p = 0: 0.
    const probability = threshold === null ? (sampled ? 1 : 0) : threshold.probability;
    const attributes = this.samplingAttributes(category, probability);
    const traceState = traceStateWith(parentTraceState, sampled ? threshold : null);
    const decision = sampled ? KEEP : RECORD_ONLY;
    return traceState === undefined ? { decision, attributes } : { decision, attributes, traceState };
  }

  /** The result's attributes, one frozen object per (category, probability): the SDK only copies them. */
  private samplingAttributes(category: SamplingCategory, probability: number): Attributes {
    let byProbability = this.attributeCache.get(category);
    if (!byProbability) {
      byProbability = new Map<number, Attributes>();
      this.attributeCache.set(category, byProbability);
    }
    const cached = byProbability.get(probability);
    if (cached) return cached;
    // Probabilities follow the configuration: few per category, but bound them anyway.
    if (byProbability.size >= MAX_CACHED_PROBABILITIES) byProbability.clear();
    const attributes: Attributes = Object.freeze({
      [CATEGORY_KEY]: category,
      [PROBABILITY_KEY]: probability,
    });
    byProbability.set(probability, attributes);
    return attributes;
  }

  private remember(traceId: string, governance: RemoteGovernance): void {
    this.remoteGoverned.delete(traceId);
    this.remoteGoverned.set(traceId, governance);
    if (this.remoteGoverned.size > this.maxRemembered) {
      const oldest = this.remoteGoverned.keys().next().value;
      if (oldest !== undefined) this.remoteGoverned.delete(oldest);
    }
  }
}

function clamp01(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return 1;
  return Math.min(1, Math.max(0, value));
}

export function createBusinessAwareSampler(options: BusinessAwareSamplerOptions): BusinessAwareSampler {
  return new BusinessAwareSampler(options);
}
