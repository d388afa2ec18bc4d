/** Result types of the dual-accuracy-tracker's actions (the contract of its JSON answers). */
import type { AccuracySummary } from '../shared/accuracy';

export interface ValidationWindow {
  readonly from: string;
  readonly to: string;
  readonly lookbackDays: number;
}

export type TrackerSummary = AccuracySummary<ValidationWindow>;

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
