/**
 * The sampling optimizer's decision (pure): from one window's span volumes per category, the current
 * configuration, the budget and the accuracy signal, the next per-category probabilities and why.
 *
 * Volume model per category c (B = started bytes, X = exported bytes, p = current probability):
 * exported spans are the always-kept ones K (errors, high-value traces, and ancestors pulled in by a
 * sampled descendant, which the sampler keeps whatever p is) plus a Bernoulli(p) share of the rest, so
 * X = K + p·(B − K), hence K = (X − p·B) / (1 − p), clamped to [0, B] (K = 0 when p = 1: nothing tells
 * the two apart). All spans of a trace share one randomness, so a window with few large traces can export
 * far less than p·B by luck; then K clamps to 0 and the projection is the expected p·B, not the lucky X
 * (the reason reports both: "observed" and "expected at the current probabilities"). At a new probability q the projection is K + q·(B − K); at q = p it reproduces the
 * observed X exactly. K is held constant, which over-estimates a lowered projection slightly (pulled-in
 * ancestors shrink too when other categories are lowered): the optimizer errs toward staying under budget.
 *
 * Rules (each step relative to the probabilities at the start of the run):
 * - hard limits: a probability is always within [floor, ceiling] of its category;
 * - accuracy degraded → ml_validation × `mlBoostFactor` (up to its ceiling), and the others pay for it;
 *   accuracy fine and ml_validation above its baseline → it steps back down toward the baseline;
 * - projection above target × (1 + deadBand) → lower categories by value, lowest first (noise,
 *   market_data, invocation, ml_validation, trading; ml_validation is skipped while accuracy is degraded),
 *   each at most ÷ `maxStepFactor`, never below its floor, stopping as soon as the target is reached;
 * - projection below target × (1 − deadBand) → raise categories below their baseline (the built-in
 *   defaults), most valuable first, each at most × `raiseStepFactor` (slowly), never above the target,
 *   and never into the room a more valuable category still needs to reach its own baseline;
 * - otherwise (within the dead band) nothing changes: runs on a steady workload do not flap.
 * Errors and high-value events are not probabilities at all: the layer always exports them.
 */
import { SAMPLING_CATEGORIES, SamplingCategory, type SamplingConfig } from '@trading-observability/otel';
import { bytesInWindowForCost, formatCostPerDay as money, projectedCostPerDay } from './cost';
import { clamp, normalizePolicy, type OptimizerPolicy, type Probabilities, positive } from './policy';
import { type Model, projected, volumeModels } from './volume-model';

export {
  DEFAULT_FLOORS,
  DEFAULT_POLICY,
  normalizePolicy,
  type OptimizerPolicy,
  type Probabilities,
} from './policy';

/** One window's volume of a category (the layer's SpansStarted/SpansExported/SpanBytesStarted/SpanBytesExported). */
export interface CategoryVolume {
  readonly startedSpans: number;
  readonly exportedSpans: number;
  readonly startedBytes: number;
  readonly exportedBytes: number;
}
export type WindowVolumes = Partial<Record<SamplingCategory, Partial<CategoryVolume>>>;

/** Model accuracy as the tracker reported it in the window (AccuracyAlert, DirectionalAccuracyUpperBound). */
export interface AccuracySignal {
  readonly degraded: boolean;
  /** Maximum of AccuracyAlert (1 = fired) in the window; null without data. */
  readonly alert: number | null;
  /** Minimum of DirectionalAccuracyUpperBound (%) in the window; null without data. */
  readonly upperBoundPct: number | null;
}
export const NO_ACCURACY_SIGNAL: AccuracySignal = Object.freeze({
  degraded: false,
  alert: null,
  upperBoundPct: null,
});

/** Lower categories in this order when over budget (lowest business value first). */
export const LOWERING_ORDER: readonly SamplingCategory[] = [
  SamplingCategory.NOISE,
  SamplingCategory.MARKET_DATA,
  SamplingCategory.INVOCATION,
  SamplingCategory.ML_VALIDATION,
  SamplingCategory.TRADING,
];
/** Raise categories back in this order when under budget (highest value first). */
export const RAISING_ORDER: readonly SamplingCategory[] = [...LOWERING_ORDER].reverse();

export type CategoryAction = 'lowered' | 'raised' | 'boosted' | 'released' | 'clamped' | 'unchanged';

export interface CategoryDecision {
  readonly from: number;
  readonly to: number;
  readonly action: CategoryAction;
  readonly floor: number;
  readonly ceiling: number;
  readonly startedSpans: number;
  readonly exportedSpans: number;
  readonly startedBytes: number;
  readonly exportedBytes: number;
  /** Estimated bytes exported whatever the probability (errors, high-value, pulled-in ancestors). */
  readonly alwaysKeptBytes: number;
  /** Projected exported bytes in a window like this one at `to`. */
  readonly projectedBytes: number;
}

export interface Projection {
  readonly windowSeconds: number;
  readonly pricePerGb: number;
  readonly budgetPerDay: number;
  /** budget × targetFraction. */
  readonly targetPerDay: number;
  /** Share of the budget kept free (%), i.e. (1 − targetFraction) × 100. */
  readonly headroomPct: number;
  /** What tracing would cost with sampling off (every started byte exported). */
  readonly costPerDayUnsampled: number | null;
  /** At the rate observed in the window (current probabilities). */
  readonly costPerDayBefore: number | null;
  /** Projected at the chosen probabilities. */
  readonly costPerDayAfter: number | null;
  readonly startedSpans: number;
  readonly exportedSpans: number;
  readonly startedBytes: number;
  readonly exportedBytes: number;
  readonly projectedBytes: number;
  /** Observed: 1 − exported / started spans, in % (null without spans). */
  readonly volumeReductionPct: number | null;
  /** Projected: 1 − projected / started bytes, in % (null without bytes). */
  readonly projectedByteReductionPct: number | null;
  readonly withinBudget: boolean | null;
}

export type OptimizerMode = 'no_data' | 'hold' | 'lower' | 'raise' | 'accuracy' | 'clamp';

export interface OptimizerResult {
  readonly changed: boolean;
  readonly mode: OptimizerMode;
  readonly probabilities: Probabilities;
  /** What happened, in plain words. */
  readonly reason: string;
  readonly categories: Record<SamplingCategory, CategoryDecision>;
  readonly projection: Projection;
  readonly accuracy: AccuracySignal;
  /** Inputs that were normalised (NaN, negative, zero window, bad policy values). */
  readonly warnings: readonly string[];
}

export interface OptimizerInput {
  readonly volumes: WindowVolumes;
  readonly windowSeconds: number;
  readonly current: SamplingConfig;
  readonly accuracy?: AccuracySignal;
  readonly policy?: Partial<OptimizerPolicy>;
}

export const DEFAULT_WINDOW_SECONDS = 900;
/** Probabilities are kept to 4 decimals (the sampler writes thresholds with 4 significant hex digits). */
const PRECISION = 1e4;
const roundProbability = (p: number) => Math.round(p * PRECISION) / PRECISION;

const pct = (x: number) => `${Math.round(x * 100)} %`;

export function optimizeSampling(input: OptimizerInput): OptimizerResult {
  const warnings: string[] = [];
  const policy = normalizePolicy(input.policy, warnings);
  const accuracy = input.accuracy ?? NO_ACCURACY_SIGNAL;
  const windowSeconds = positive(input.windowSeconds, DEFAULT_WINDOW_SECONDS, 'windowSeconds', warnings);

  const { from, models } = volumeModels(input, policy, warnings);

  const total = (qs: Probabilities) =>
    SAMPLING_CATEGORIES.reduce((sum, c) => sum + projected(models[c], qs[c]), 0);
  const sum = (key: keyof Model) => SAMPLING_CATEGORIES.reduce((s, c) => s + models[c][key], 0);
  const startedSpans = sum('started');
  const exportedSpans = sum('exported');
  const startedBytes = sum('startedBytes');
  const exportedBytes = sum('exportedBytes');
  const targetPerDay = policy.budgetPerDay * policy.targetFraction;
  const targetBytes = bytesInWindowForCost(targetPerDay, windowSeconds, policy.pricePerGb);
  const cost = (bytes: number) => projectedCostPerDay(bytes, windowSeconds, policy.pricePerGb);

  const q: Probabilities = { ...from };
  const actions = {} as Record<SamplingCategory, CategoryAction>;
  for (const c of SAMPLING_CATEGORIES) actions[c] = 'unchanged';
  const notes: string[] = [];
  let mode: OptimizerMode = 'hold';

  const finish = (reason: string, keep = false): OptimizerResult => {
    const categories = {} as Record<SamplingCategory, CategoryDecision>;
    let changed = false;
    for (const c of SAMPLING_CATEGORIES) {
      let to = keep ? from[c] : clamp(roundProbability(q[c]), policy.floors[c], policy.ceilings[c]);
      // Rounding alone (a hand-written 0.123456) is not a change worth a new version.
      if (Math.abs(to - from[c]) < 0.5 / PRECISION && to >= policy.floors[c] && to <= policy.ceilings[c]) {
        to = from[c];
      }
      q[c] = to;
      if (to !== from[c]) changed = true;
      else actions[c] = 'unchanged';
      const m = models[c];
      categories[c] = {
        from: from[c],
        to,
        action: actions[c],
        floor: policy.floors[c],
        ceiling: policy.ceilings[c],
        startedSpans: m.started,
        exportedSpans: m.exported,
        startedBytes: m.startedBytes,
        exportedBytes: m.exportedBytes,
        alwaysKeptBytes: Math.round(m.kept),
        projectedBytes: Math.round(projected(m, to)),
      };
    }
    const projectedBytes = total(q);
    const after = cost(projectedBytes);
    return {
      changed,
      mode: changed ? mode : mode === 'no_data' ? 'no_data' : 'hold',
      probabilities: { ...q },
      reason,
      categories,
      accuracy,
      warnings,
      projection: {
        windowSeconds,
        pricePerGb: policy.pricePerGb,
        budgetPerDay: policy.budgetPerDay,
        targetPerDay,
        headroomPct: Math.round((1 - policy.targetFraction) * 1000) / 10,
        costPerDayUnsampled: cost(startedBytes),
        costPerDayBefore: cost(exportedBytes),
        costPerDayAfter: after,
        startedSpans,
        exportedSpans,
        startedBytes,
        exportedBytes,
        projectedBytes: Math.round(projectedBytes),
        volumeReductionPct:
          startedSpans > 0 ? (1 - Math.min(exportedSpans, startedSpans) / startedSpans) * 100 : null,
        projectedByteReductionPct: startedBytes > 0 ? (1 - projectedBytes / startedBytes) * 100 : null,
        withinBudget: after === null ? null : after <= policy.budgetPerDay,
      },
    };
  };

  if (startedSpans === 0 && startedBytes === 0) {
    mode = 'no_data';
    return finish(
      `No span volume in the last ${Math.round(windowSeconds / 60)} minutes (no SpansStarted/SpanBytesStarted data): ` +
        `kept version ${input.current.version} unchanged, since nothing tells what it costs.`,
      true,
    );
  }

  // Hard limits first: a configuration outside its floor/ceiling (written by hand) is brought inside.
  for (const c of SAMPLING_CATEGORIES) {
    const limited = clamp(q[c], policy.floors[c], policy.ceilings[c]);
    if (limited !== q[c]) {
      notes.push(`${c} ${q[c]}→${limited} (outside its limits [${policy.floors[c]}, ${policy.ceilings[c]}])`);
      q[c] = limited;
      actions[c] = 'clamped';
      mode = 'clamp';
    }
  }

  // Performance-driven sampling: more ML validation traces while the models are wrong.
  const ml = SamplingCategory.ML_VALIDATION;
  let accuracyNote = '';
  if (accuracy.degraded) {
    const boosted = Math.min(policy.ceilings[ml], q[ml] * policy.mlBoostFactor);
    const why =
      accuracy.alert !== null && accuracy.alert >= 1
        ? 'the accuracy alert fired'
        : `the directional accuracy upper bound is ${accuracy.upperBoundPct?.toFixed(1) ?? '?'} % (< 60 %)`;
    if (boosted > q[ml]) {
      accuracyNote = `Model accuracy is degraded (${why}): raised ml_validation ${from[ml]}→${roundProbability(boosted)} to trace more validations.`;
      q[ml] = boosted;
      actions[ml] = 'boosted';
      mode = 'accuracy';
    } else {
      accuracyNote = `Model accuracy is degraded (${why}); ml_validation is already at its ceiling ${policy.ceilings[ml]}.`;
    }
  } else if (q[ml] > policy.baseline[ml]) {
    const released = Math.max(policy.baseline[ml], q[ml] / policy.maxStepFactor);
    accuracyNote = `Model accuracy is not degraded: ml_validation steps back ${from[ml]}→${roundProbability(released)} toward its baseline ${policy.baseline[ml]}.`;
    q[ml] = released;
    actions[ml] = 'released';
    mode = 'accuracy';
  }

  const before = cost(exportedBytes);
  const projectedNow = cost(total(q));
  // After an accuracy boost or a clamp the budget rules start from the adjusted probabilities.
  const that = SAMPLING_CATEGORIES.some((c) => q[c] !== from[c])
    ? `With that, ${money(projectedNow)} is`
    : 'That is';
  const band = `${pct(1 - policy.deadBand)}–${pct(1 + policy.deadBand)} of the ${money(targetPerDay)} target (${pct(policy.targetFraction)} of the ${money(policy.budgetPerDay)} budget)`;
  const lead =
    `Window ${Math.round(windowSeconds / 60)} min: ${startedSpans} spans started, ${exportedSpans} exported; ` +
    `observed ${money(before)}, ${money(cost(startedBytes))} unsampled; expected ${money(cost(total(from)))} at the current probabilities.`;
  const describe = (cs: readonly SamplingCategory[]) =>
    cs.map((c) => `${c} ${from[c]}→${roundProbability(q[c])}`).join(', ');

  if (targetBytes === null) {
    // Price 0 (free ingestion): cost does not constrain; only the accuracy rule and the baseline apply.
    const raised: SamplingCategory[] = [];
    for (const c of RAISING_ORDER) {
      if (q[c] >= policy.baseline[c] || actions[c] !== 'unchanged') continue;
      q[c] = Math.min(policy.baseline[c], from[c] * policy.raiseStepFactor);
      actions[c] = 'raised';
      raised.push(c);
    }
    if (raised.length) mode = 'raise';
    const tail = raised.length ? ` Raised ${describe(raised)} toward the baseline.` : '';
    return finish(
      `${lead} The price per GB is ${policy.pricePerGb}: cost does not constrain sampling.${tail} ${accuracyNote}`.trim(),
    );
  }

  const upper = targetBytes * (1 + policy.deadBand);
  const lower = targetBytes * (1 - policy.deadBand);
  const current = total(q);
  let budgetNote: string;

  if (current > upper) {
    mode = mode === 'accuracy' ? 'accuracy' : 'lower';
    const lowered: SamplingCategory[] = [];
    for (const c of LOWERING_ORDER) {
      if (total(q) <= targetBytes) break;
      if (c === ml && accuracy.degraded) continue;
      const model = models[c];
      const minimum = Math.max(policy.floors[c], from[c] / policy.maxStepFactor);
      if (model.controllable <= 0 || q[c] <= minimum) continue;
      const needed = q[c] - (total(q) - targetBytes) / model.controllable;
      const next = Math.max(minimum, needed);
      if (next < q[c]) {
        q[c] = next;
        if (actions[c] === 'unchanged') actions[c] = 'lowered';
        lowered.push(c);
      }
    }
    const after = cost(total(q));
    const reached = total(q) <= upper;
    const blocked = LOWERING_ORDER.filter((c) => !(c === ml && accuracy.degraded));
    const atFloor = blocked.every((c) => q[c] <= policy.floors[c] + 1e-12 || models[c].controllable <= 0);
    budgetNote =
      `${that} above ${band}` +
      (lowered.length
        ? `: lowered ${describe(lowered)} (lowest business value first), projected ${money(after)}.`
        : '.') +
      (reached
        ? ''
        : atFloor
          ? ` Every category that may be lowered is at its floor: the projection stays ${after !== null && after > policy.budgetPerDay ? 'above the budget' : 'above the target'} (the cost alarm will tell).`
          : ` Each probability moves at most ÷${policy.maxStepFactor} per run: the next run continues.`);
  } else if (current < lower) {
    const raised: SamplingCategory[] = [];
    // Room a more valuable category still needs to reach its baseline is reserved for it: a cheaper
    // category never takes budget that trading (say) will want on the next runs.
    let reserved = 0;
    for (const c of RAISING_ORDER) {
      const model = models[c];
      const reserve = () => {
        reserved += Math.max(0, policy.baseline[c] - q[c]) * Math.max(0, model.controllable);
      };
      if (q[c] >= policy.baseline[c] || actions[c] !== 'unchanged') {
        reserve();
        continue;
      }
      const room = targetBytes - total(q) - reserved;
      if (room <= 0) {
        reserve();
        continue;
      }
      const maximum = Math.min(policy.baseline[c], from[c] * policy.raiseStepFactor, policy.ceilings[c]);
      const allowed = model.controllable > 0 ? q[c] + room / model.controllable : maximum;
      const next = Math.min(maximum, allowed);
      if (next > q[c]) {
        q[c] = next;
        actions[c] = 'raised';
        raised.push(c);
      }
      reserve();
    }
    if (raised.length && mode === 'hold') mode = 'raise';
    budgetNote = raised.length
      ? `${that} well under ${band}: raised ${describe(raised)} toward the baseline (at most ×${policy.raiseStepFactor} per run), projected ${money(cost(total(q)))}.`
      : `${that} under ${band}, and every category is at its baseline.`;
  } else {
    budgetNote = `${that} within ${band}: no budget change.`;
  }

  const clampNote = notes.length ? ` Brought inside limits: ${notes.join(', ')}.` : '';
  return finish(
    `${lead} ${accuracyNote ? `${accuracyNote} ` : ''}${budgetNote}${clampNote} Errors and high-value spans are always kept.`,
  );
}
