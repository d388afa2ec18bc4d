/** What the story returns: the readable result of a demo run (the Lambda's answer, the report's input). */
import type { ReliabilityBin } from '../../shared/accuracy';
import type { DemoRequest } from '../schemas';

export interface StepReport {
  readonly name: string;
  readonly ms: number;
  readonly [detail: string]: unknown;
}

/** A group's figures, unrounded: the report rounds once, where it prints them. */
export interface CompactGroup {
  readonly n: number;
  readonly pending: number;
  readonly hitRate: number | null;
  readonly hitRateCi: readonly [number, number] | null;
  readonly meanPriceErrorPct: number | null;
  readonly ece: number | null;
  readonly brier: number | null;
  readonly auroc: number | null;
}

export interface AccuracyReport {
  readonly window: { readonly from: string; readonly to: string; readonly lookbackDays: number };
  readonly headline: string;
  readonly overall: CompactGroup & {
    readonly mape: number | null;
    readonly mce: number | null;
    readonly logLoss: number | null;
    readonly spearman: number | null;
    readonly pointBiserial: number | null;
  };
  readonly bySymbol: Record<string, CompactGroup>;
  readonly byModel: Record<string, CompactGroup>;
  /** The non-empty bins of the 7-day reliability table. */
  readonly reliability: readonly ReliabilityBin[];
  readonly alerts: ReadonlyArray<{ readonly scope: string; readonly key: string; readonly message: string }>;
  /** The scheduled validate_all runs of each replayed day (what the accuracy alarm reads). */
  readonly daily: ReadonlyArray<{
    readonly date: string;
    readonly runs: number;
    /** Runs that failed (an error trace each; the next run covers their window). */
    readonly failedRuns: number;
    /** Validations over the day's runs (a prediction is in up to three 30-minute windows). */
    readonly validations: number;
    readonly hitRate: number | null;
    /** Pending predictions seen by the day's runs (a price-feed gap shows here). */
    readonly pending: number;
    readonly alerts: readonly string[];
  }>;
}

export interface OpportunityReport {
  readonly rank: number | null;
  readonly symbol: string;
  readonly score: number | null;
  readonly isOpportunity: boolean;
  readonly breakdown: ReadonlyArray<{
    readonly factor: string;
    readonly raw: number;
    readonly weight: number;
    readonly contribution: number;
  }>;
  readonly reason?: string;
}

export interface TradingReport {
  readonly asOf: string;
  readonly threshold: number;
  readonly scored: number;
  readonly opportunitiesFound: number;
  /** The first entries of the last ranking (`scored` says how many there were). */
  readonly top: readonly OpportunityReport[];
  /** The scheduled rankings of the last replayed day: the leader at each run. */
  readonly rankings: ReadonlyArray<{
    readonly asOf: string;
    readonly topSymbol: string | null;
    readonly topScore: number | null;
    readonly opportunities: number;
  }>;
  /** Scheduled rankings replayed over all days, and how many found an opportunity. */
  readonly runs: number;
  readonly runsWithOpportunity: number;
}

export interface SessionRow {
  readonly n: number;
  readonly hitRate: number | null;
  readonly hitRateCi: readonly [number, number] | null;
  readonly meanPriceErrorPct: number | null;
  readonly signals: number;
  readonly meanSignalReturnPct: number | null;
}

export interface SessionsReport {
  readonly lookbackDays: number;
  readonly validations: number;
  readonly bestSession: string | null;
  readonly bySession: Record<string, SessionRow>;
}

/** A failure a real day has, injected into the replay, and what the product did about it. */
export interface FailureReport {
  readonly kind: 'throttled_write' | 'bad_payload' | 'price_feed_gap' | 'validation_exception';
  readonly at: string;
  readonly what: string;
  readonly outcome: string;
  /** The step whose trace holds the failure (its root span's `demo.step`), when it is an error trace. */
  readonly errorStep?: string;
}

/** Spans and bytes of one sampling category (or all), as exported and estimated back with Σ 1/p. */
export interface VolumeFigures {
  readonly spans: number;
  readonly estimatedSpans: number;
  readonly reductionPct: number | null;
}

/** The traces the story knows must be exported whole, and how many of them were. */
export interface KeptTraces {
  readonly expected: number;
  readonly exported: number;
  readonly missing: readonly string[];
}

/** Measured from the exported spans themselves (locally `.local/spans.jsonl`). */
export interface MeasuredExport {
  readonly source: string;
  readonly spans: number;
  /** Σ 1/sampling.probability over the exported spans: spans started, estimated. */
  readonly estimatedSpans: number;
  /** The spans the layer counted as started (its SpansStarted metric), beside the estimate. */
  readonly countedSpans: number | null;
  readonly reductionPct: number | null;
  /** OTLP/JSON bytes as written (whole export requests). */
  readonly bytes: number;
  readonly bytesReductionPct: number | null;
  readonly replayedDays: number;
  readonly pricePerGb: number;
  /** At the measured rate: the bytes exported per replayed trading day, × the price per GB. */
  readonly costPerDay: number;
  /** The same with nothing sampled (bytes estimated with Σ bytes/p). */
  readonly costPerDayUnsampled: number;
  readonly categories: Record<string, VolumeFigures>;
  readonly errorTraces: KeptTraces;
  readonly highValueTraces: KeptTraces;
  /** Exported traces with an error span that the layer did not keep whole (must be none). */
  readonly errorTracesNotKept: number;
  readonly etDates: readonly string[];
  /** Exported spans per data.partition value ('' = none). */
  readonly partitions: Record<string, number>;
}

export interface SamplingReport {
  /** Present where the exported spans can be read back (local runs). */
  readonly measured?: MeasuredExport;
  /** Modelled: started × p per category at the current probabilities, nothing kept whole. */
  readonly expectedReductionPct: number | null;
  readonly optimizer: {
    readonly source: string;
    readonly windowMinutes: number;
    readonly spansStarted: number;
    readonly spansExported: number;
    readonly costPerDayUnsampled: number | null;
    readonly costPerDayBefore: number | null;
    readonly costPerDayAfter: number | null;
    readonly budgetPerDay: number;
    readonly withinBudget: boolean | null;
    readonly dryRun: boolean;
    readonly reason: string;
    readonly categories: Record<
      string,
      {
        readonly spansStarted: number;
        readonly spansExported: number;
        readonly from: number;
        readonly to: number;
        readonly action: string;
      }
    >;
  };
}

export interface DashboardsReport {
  readonly count: number;
  readonly widgets: number;
  readonly files: ReadonlyArray<{ readonly file: string; readonly title: string; readonly widgets: number }>;
  /** The SigNoz JSON itself (only for `demo_type: dashboards`): classic v5 and native v6 per dashboard. */
  readonly json?: Record<string, unknown>;
}

export interface WorkloadReport {
  readonly symbols: readonly string[];
  readonly models: readonly string[];
  readonly tradingDays: number;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly prices: number;
  readonly predictions: number;
  readonly sources: ReadonlyArray<{
    readonly symbol: string;
    readonly file: string;
    readonly realDates: string;
  }>;
}

export interface DemoResult {
  readonly ok: true;
  readonly demo_type: DemoRequest['demo_type'];
  readonly namespace: string;
  readonly seed: number;
  readonly clock: { readonly endDate: string; readonly now: string };
  readonly workload?: WorkloadReport;
  readonly steps: StepReport[];
  readonly failures?: readonly FailureReport[];
  readonly accuracy?: AccuracyReport;
  readonly trading?: TradingReport;
  readonly sessions?: SessionsReport;
  readonly sampling?: SamplingReport;
  readonly dashboards?: DashboardsReport;
}
