/** Result types of the dual-accuracy-tracker's actions (the contract of its JSON answers). */
import type { AccuracySummary, CalibrationAlert } from '../shared/accuracy';
import type { AlertingCounts } from './summary-metrics';

export interface ValidationWindow {
  readonly from: string;
  readonly to: string;
  readonly lookbackDays: number;
}

/** What `summarize` computes for the tracker's window. */
export type AccuracyOnlySummary = AccuracySummary<ValidationWindow>;

/** What a shortened summary left out (see summary-limits.ts). */
export interface SummaryShortening {
  /** Groups kept per grouping. */
  readonly maxGroups: number;
  /** Groups left out of bySymbol / byModel, with their validated and pending predictions. */
  readonly bySymbol?: { readonly groups: number; readonly n: number; readonly pending: number };
  readonly byModel?: { readonly groups: number; readonly n: number; readonly pending: number };
  /** Alerts of left-out groups (their count is in `alertingGroups`). */
  readonly alertsLeftOut: number;
  readonly calibrationAlertsLeftOut: number;
  readonly hint: string;
}

/**
 * The summary validate_all answers and stores: the accuracy summary (at most a bounded number of groups per
 * grouping), the calibration alerts, how many models and symbols each rule holds for (all of them), and
 * `shortened` when groups were left out.
 */
export interface TrackerSummary extends AccuracyOnlySummary {
  readonly calibrationAlerts: readonly CalibrationAlert[];
  readonly alertingGroups: AlertingCounts;
  readonly shortened?: SummaryShortening;
}

export interface RecordResult {
  readonly recorded: number;
  readonly symbols: string[];
}

export interface ValidateAllResult {
  /** One sentence for the person reading the invoke output; the figures are in `summary`. */
  readonly headline: string;
  readonly summaryId: string;
  readonly summary: TrackerSummary;
}

/** A summary as `report` returns it. */
export interface StoredSummary {
  readonly summaryId: string;
  readonly computedAt: string;
  readonly headline: string;
  readonly summary: TrackerSummary;
}
