/**
 * The incidents the backtest injects, at known times, and what should detect them. Placed on trading days spread
 * evenly over the replay (healthy days between them), at fixed ET times inside the regular session.
 */
import { DateTime } from 'luxon';
import type { MarketDayInfo } from '../../lambdas/shared/market';
import { RuleId } from '../../lib/alerting/rules';
import { ScriptError, ScriptErrorCode } from '../errors';

export const IncidentKind = {
  MODEL_DEGRADATION: 'model-degradation',
  /** Thousands of model ids appear (shadow models, a caller's id per request): nothing to page, cost bounded. */
  MODEL_ID_GROWTH: 'model-id-growth',
  CALIBRATION_DRIFT: 'calibration-drift',
  TRACING_COST_SPIKE: 'tracing-cost-spike',
  ERROR_BURST: 'error-burst',
  STALE_MARKET_DATA: 'stale-market-data',
  MARKET_DATA_FEED_DOWN: 'market-data-feed-down',
} as const;
export type IncidentKind = (typeof IncidentKind)[keyof typeof IncidentKind];

export interface IncidentTemplate {
  readonly name: string;
  readonly kind: IncidentKind;
  /** ET wall-clock start, HH:mm. */
  readonly startEt: string;
  readonly durationMinutes: number;
  /** Rules whose alerts count as detecting it. */
  readonly detectedBy: readonly string[];
  /** Error-burst share of failing invocations; stale (or degraded) symbols; span-volume factor; confidence inflation. */
  readonly errorRate?: number;
  readonly symbols?: readonly string[];
  /** The models a degradation hits. @default every model */
  readonly models?: readonly string[];
  /** Extra model ids per validation window (model-id growth). */
  readonly extraModelIds?: number;
  /**
   * `detect` (default): the rules in `detectedBy` must notify. `quiet`: nothing may notify during the incident
   * (e.g. thousands of new model ids with too few validations each to judge).
   */
  readonly expect?: 'detect' | 'quiet';
  readonly volumeFactor?: number;
  readonly confidenceBias?: number;
  readonly degradedSkill?: number;
  /**
   * A detection-time goal, minutes after injection, checked by the report (scoring.ts): `minimum-sample` must be
   * met; `aim-horizon-plus-window` is the same bound, reported but not binding (a single model's 50 % is only
   * probably significant in the first fully degraded window, see docs/alert-quality.md).
   */
  readonly goal?: 'fast-burn-5-minutes' | 'minimum-sample' | 'aim-horizon-plus-window';
  /**
   * Minutes after injection before which no alert can be evidence of it: predictions made after the injection are
   * validated only after the horizon. An expected rule's alert before this is early (not a detection).
   */
  readonly evidenceAfterMinutes?: number;
}

export interface Incident extends IncidentTemplate {
  readonly day: string;
  /** UTC instants (ms). */
  readonly startMs: number;
  readonly endMs: number;
}

/** The prediction horizon of the replayed models: nothing about a model's quality shows before it. */
export const HORIZON_MINUTES = 60;

/** The injected incidents, in the order they are placed on the replay's days. */
export const INCIDENT_TEMPLATES: readonly IncidentTemplate[] = [
  {
    name: 'model degradation, all models (hit rate 70 % → 50 %)',
    kind: IncidentKind.MODEL_DEGRADATION,
    startEt: '10:30',
    durationMinutes: 180,
    degradedSkill: 0.5,
    detectedBy: [RuleId.ACCURACY],
    goal: 'minimum-sample',
    evidenceAfterMinutes: HORIZON_MINUTES,
  },
  {
    name: 'one model of several degrades (70 % → 50 %)',
    kind: IncidentKind.MODEL_DEGRADATION,
    startEt: '10:30',
    durationMinutes: 180,
    degradedSkill: 0.5,
    models: ['xgb-v2'],
    detectedBy: [RuleId.ACCURACY],
    goal: 'aim-horizon-plus-window',
    evidenceAfterMinutes: HORIZON_MINUTES,
  },
  {
    name: 'one symbol degrades (IBM, every model 70 % → 50 %)',
    kind: IncidentKind.MODEL_DEGRADATION,
    startEt: '11:00',
    durationMinutes: 180,
    degradedSkill: 0.5,
    symbols: ['IBM'],
    detectedBy: [RuleId.ACCURACY],
    evidenceAfterMinutes: HORIZON_MINUTES,
  },
  {
    name: 'model count grows to thousands of ids (3 000 new ids, a few validations each)',
    kind: IncidentKind.MODEL_ID_GROWTH,
    startEt: '10:00',
    durationMinutes: 240,
    extraModelIds: 3_000,
    detectedBy: [],
    expect: 'quiet',
  },
  {
    name: 'error burst 20 % for 1 h',
    kind: IncidentKind.ERROR_BURST,
    startEt: '11:00',
    durationMinutes: 60,
    errorRate: 0.2,
    detectedBy: [RuleId.AVAILABILITY_SLO, RuleId.FUNCTION_ERRORS],
    goal: 'fast-burn-5-minutes',
  },
  {
    name: 'calibration drift (confidence +0.2)',
    kind: IncidentKind.CALIBRATION_DRIFT,
    startEt: '11:00',
    durationMinutes: 180,
    confidenceBias: 0.2,
    detectedBy: [RuleId.CALIBRATION],
    evidenceAfterMinutes: HORIZON_MINUTES,
  },
  {
    name: 'tracing-cost spike (3× span volume)',
    kind: IncidentKind.TRACING_COST_SPIKE,
    startEt: '10:05',
    durationMinutes: 120,
    volumeFactor: 3,
    detectedBy: [RuleId.TRACING_COST],
  },
  {
    name: 'error burst 2 % for 1 h',
    kind: IncidentKind.ERROR_BURST,
    startEt: '13:00',
    durationMinutes: 60,
    errorRate: 0.02,
    detectedBy: [RuleId.AVAILABILITY_SLO, RuleId.FUNCTION_ERRORS],
  },
  {
    name: 'stale market data (AAPL, MSFT frozen)',
    kind: IncidentKind.STALE_MARKET_DATA,
    startEt: '10:15',
    durationMinutes: 60,
    symbols: ['AAPL', 'MSFT'],
    detectedBy: [RuleId.MARKET_DATA_STALE],
  },
  {
    name: 'market data feed down (no prices)',
    kind: IncidentKind.MARKET_DATA_FEED_DOWN,
    startEt: '14:00',
    durationMinutes: 45,
    detectedBy: [RuleId.MARKET_DATA_STALE],
  },
];

/**
 * An alert up to this long after an incident ends is still the incident's (its data stays in the rules' windows:
 * the accuracy alarm looks back an hour of quarter-hours over a validation window, the burn-rate ticket tier's
 * short window is 6 h). Outside every [start, end + grace) an alert is a false positive.
 */
export const INCIDENT_GRACE_MINUTES = 360;

export class ScenarioError extends ScriptError {
  override readonly name: string = 'ScenarioError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ScriptErrorCode.BACKTEST_SCENARIO_INVALID, message, options);
  }
}

/** Places the templates on days ⌊(k+1)·D/(K+1)⌋ of the replay, skipping early-close days' afternoons. */
export function scheduleIncidents(
  days: readonly MarketDayInfo[],
  templates: readonly IncidentTemplate[] = INCIDENT_TEMPLATES,
): Incident[] {
  if (days.length < templates.length + 2) {
    throw new ScenarioError(
      `${days.length} trading days cannot hold ${templates.length} incidents and healthy days`,
    );
  }
  return templates.map((template, k) => {
    const index = Math.floor(((k + 1) * days.length) / (templates.length + 1));
    let day = days[index] as MarketDayInfo;
    const at = (d: MarketDayInfo) =>
      DateTime.fromISO(`${d.date}T${template.startEt}`, { zone: 'America/New_York' }).toMillis();
    // The incident must end inside the regular session (an early close would cut it).
    for (
      let shift = 1;
      day.close !== null && at(day) + template.durationMinutes * 60_000 > Date.parse(day.close);
      shift++
    ) {
      const next = days[index + shift] ?? days[index - shift];
      if (!next) throw new ScenarioError(`no full session for ${template.name}`);
      day = next;
    }
    const startMs = at(day);
    return { ...template, day: day.date, startMs, endMs: startMs + template.durationMinutes * 60_000 };
  });
}
