/**
 * Error-budget and burn-rate arithmetic (Google SRE workbook, "Alerting on SLOs"). Pure: the CDK alarms and
 * the backtest both call these, so a threshold in the template is the threshold the backtest evaluates.
 */
import { StackError, StackErrorCode } from '../errors';

/** Rounds away binary noise (14.4 × 0.001 = 0.014400000000000001), so 1.44 % compares as 1.44 %. */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

export class SloObjectiveError extends StackError {
  override readonly name: string = 'SloObjectiveError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(StackErrorCode.SLO_OBJECTIVE_INVALID, message, options);
  }
}

function checkObjective(objective: number): void {
  if (!(objective > 0 && objective < 1)) {
    throw new SloObjectiveError(`SLO objective must lie strictly between 0 and 1, got ${objective}`);
  }
}

/** The error budget of an SLO: the fraction of events allowed to be bad (0.001 for 99.9 %). */
export function errorBudget(objective: number): number {
  checkObjective(objective);
  return clean(1 - objective);
}

/** The bad-event ratio at which a tier fires: factor × (1 − SLO), e.g. 14.4 × 0.001 = 1.44 %. */
export function burnRateThreshold(objective: number, factor: number): number {
  return clean(factor * errorBudget(objective));
}

/** The burn rate of an observed bad ratio (1 = spending the budget exactly over the SLO period). */
export function burnRate(badRatio: number, objective: number): number {
  return clean(badRatio / errorBudget(objective));
}

/** Share of the whole period's budget a tier consumes before it fires (14.4× over 1 h of 30 days = 2 %). */
export function budgetConsumed(factor: number, windowMinutes: number, sloPeriodDays: number): number {
  return clean((factor * windowMinutes) / (sloPeriodDays * 24 * 60));
}

/** Bad and total events observed in one window. */
export interface WindowCounts {
  readonly bad: number;
  readonly total: number;
}

/** Bad ratio of a window, or null when it holds fewer than `minSamples` events (too little evidence). */
export function windowBadRatio(counts: WindowCounts, minSamples: number): number | null {
  if (counts.total <= 0 || counts.total < minSamples) return null;
  return counts.bad / counts.total;
}

/** Whether one window breaches a tier: ratio ≥ factor × budget, with enough samples. */
export function windowBreaches(
  counts: WindowCounts,
  objective: number,
  factor: number,
  minSamples: number,
): boolean {
  const ratio = windowBadRatio(counts, minSamples);
  return ratio !== null && ratio >= burnRateThreshold(objective, factor);
}

/** The windows and minimum samples of one tier (see `BurnRateTier` in rules.ts). */
export interface TierWindows {
  readonly factor: number;
  readonly minSamples: { readonly long: number; readonly short: number };
}

/** A tier fires when both its long and its short window breach (the composite alarm's AND). */
export function tierFires(
  tier: TierWindows,
  objective: number,
  windows: { readonly long: WindowCounts; readonly short: WindowCounts },
): boolean {
  return (
    windowBreaches(windows.long, objective, tier.factor, tier.minSamples.long) &&
    windowBreaches(windows.short, objective, tier.factor, tier.minSamples.short)
  );
}
