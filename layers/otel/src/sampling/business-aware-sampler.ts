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
  MIN_THRESHOLD,
  minThreshold,
  normalizeProbability,
  probabilityToThreshold,
  randomnessOf,
  readOtTraceState,
  shouldKeep,
  thresholdToProbability,
  withThreshold,
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
  readonly threshold: bigint | null;
}

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
    const parent = trace.getSpanContext(context);
    const validParent = parent !== undefined && isSpanContextValid(parent) ? parent : undefined;
    const parentTraceState = validParent?.traceState;
    const category = categorizeSpan(spanName, attributes);

    if (!this.enabled) return this.result(true, MIN_THRESHOLD, category, parentTraceState);

    const config = this.getConfig();
    const ownThreshold = isHighValue(attributes, config)
      ? MIN_THRESHOLD
      : probabilityToThreshold(this.categoryProbability(config, category), this.precision);
    const randomness = randomnessOf(traceId, parentTraceState);

    if (validParent?.isRemote) {
      const governance = this.governanceOf(validParent, randomness);
      this.remember(traceId, governance);
      return this.governed(governance, ownThreshold, category, parentTraceState);
    }
    const governance = validParent ? this.remoteGoverned.get(traceId) : undefined;
    if (governance) return this.governed(governance, ownThreshold, category, parentTraceState);

    if (validParent && (validParent.traceFlags & TraceFlags.SAMPLED) !== 0) {
      const parentThreshold = readOtTraceState(parentTraceState).threshold;
      const threshold =
        parentThreshold === null || ownThreshold === null
          ? (parentThreshold ?? ownThreshold)
          : minThreshold(parentThreshold, ownThreshold);
      return this.result(true, threshold, category, parentTraceState);
    }
    // Root, or a local unsampled parent: an independent consistent decision on the shared R.
    const sampled = randomness !== null && shouldKeep(randomness, ownThreshold);
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

  private governanceOf(parent: SpanContext, randomness: bigint | null): RemoteGovernance {
    if ((parent.traceFlags & TraceFlags.SAMPLED) === 0) return { sampled: false, threshold: null };
    const threshold = readOtTraceState(parent.traceState).threshold;
    // The spec: a sampled context whose th is inconsistent with R has its threshold erased.
    const consistent = threshold !== null && randomness !== null && randomness >= threshold;
    return { sampled: true, threshold: consistent ? threshold : null };
  }

  private governed(
    governance: RemoteGovernance,
    ownThreshold: bigint | null,
    category: SamplingCategory,
    parentTraceState: TraceState | undefined,
  ): SamplingResult {
    if (!governance.sampled) return this.result(false, ownThreshold, category, parentTraceState);
    return this.result(true, governance.threshold, category, parentTraceState);
  }

  private result(
    sampled: boolean,
    threshold: bigint | null,
    category: SamplingCategory,
    parentTraceState: TraceState | undefined,
  ): SamplingResult {
    // Sampled without a threshold (remote parent without a usable th): the probability is unknown and
    // read as 1, the default upstream ParentBased(AlwaysOn); no th is written. Unsampled, p = 0: 0.
    const probability = threshold === null ? (sampled ? 1 : 0) : thresholdToProbability(threshold);
    const attributes: Attributes = {
      [Attr.SAMPLING_CATEGORY]: category,
      [Attr.SAMPLING_PROBABILITY]: probability,
    };
    const traceState = withThreshold(parentTraceState, sampled ? threshold : null);
    const decision = sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.RECORD;
    return traceState === undefined ? { decision, attributes } : { decision, attributes, traceState };
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
