/**
 * A ranking as the function answers and stores it: one entry per symbol (score, breakdown, the inputs
 * behind it, rounded for reading) and the compacted form when a ranking outgrows one DynamoDB item.
 */

import type { MarketSession } from '../shared/market';
import type { RankingRecord } from '../shared/store';
import type { FactorContribution, OpportunityInputs, OpportunityResult } from '../shared/trading';

export const round = (x: number | null, digits = 4): number | null =>
  x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits));

export interface RankingEntry {
  /** 1-based position among scored symbols; null for unscored ones. */
  readonly rank: number | null;
  readonly symbol: string;
  readonly score: number | null;
  readonly isOpportunity: boolean;
  /** Per-factor breakdown (scored symbols); contributions add up to the score exactly. */
  readonly breakdown?: readonly FactorContribution[];
  /** Why there is no score (unscored symbols). */
  readonly reason?: string;
  readonly codes?: readonly string[];
  /** Mean signal return (%) of the symbol's validated predictions in the window. */
  readonly signalReturnPct: number | null;
  /** The prediction the predicted move comes from. */
  readonly currentPrediction: {
    readonly model: string;
    readonly predictedAt: string;
    readonly targetTime: string;
    readonly confidence: number;
  } | null;
  readonly inputs: OpportunityInputs;
}

export interface Analysis {
  readonly asOf: string;
  /** NYSE session at asOf. */
  readonly session: MarketSession;
  readonly trigger: 'analyze' | 'scheduled';
  readonly threshold: number;
  readonly weights: Readonly<Record<string, number>>;
  readonly window: {
    readonly validationsFrom: string;
    readonly pricesFrom: string;
    readonly to: string;
    readonly tradingDays: number;
    readonly approximate: boolean;
  };
  readonly summary: {
    readonly symbols: number;
    readonly scored: number;
    readonly unscored: number;
    readonly opportunitiesFound: number;
    readonly topOpportunityScore: number | null;
    readonly topSymbol: string | null;
    /** The opportunities' symbols, best first. */
    readonly opportunities: readonly string[];
    /** Validation items that could not be read (missing or invalid fields); skipped, not guessed. */
    readonly unreadableValidations: number;
  };
  /** Opportunities first (score ≥ threshold), then the other scored symbols by score, then the unscored. */
  readonly ranking: readonly RankingEntry[];
}

/** One symbol's scored analysis, before it is ranked. */
export interface SymbolAnalysis {
  readonly result: OpportunityResult;
  readonly signalReturnPct: number | null;
  readonly current: RankingEntry['currentPrediction'];
  readonly unreadable: number;
}

function roundedInputs(inputs: OpportunityInputs): OpportunityInputs {
  return {
    ...inputs,
    ece: round(inputs.ece),
    meanConfidence: round(inputs.meanConfidence),
    predictedMovePct: round(inputs.predictedMovePct),
    volatilityPct: round(inputs.volatilityPct),
    momentumPct: round(inputs.momentumPct),
  };
}

export function toEntry(analysis: SymbolAnalysis, rank: number | null): RankingEntry {
  const { result } = analysis;
  const common = {
    rank,
    symbol: result.symbol,
    score: result.score,
    isOpportunity: result.isOpportunity,
  };
  const tail = {
    signalReturnPct: round(analysis.signalReturnPct),
    currentPrediction: analysis.current,
    inputs: roundedInputs(result.inputs),
  };
  if (result.score === null) return { ...common, reason: result.reason, codes: result.codes, ...tail };
  const breakdown = result.breakdown.map((c) => ({
    ...c,
    raw: round(c.raw) ?? 0,
    normalised: round(c.normalised) ?? 0,
  }));
  return { ...common, breakdown, ...tail };
}

/** DynamoDB's item limit is 400 KB; stay well below it (the item's keys and attribute names count too). */
export const MAX_STORED_RANKING_CHARS = 300_000;

/**
 * The ranking as stored: whole when it fits in one item; otherwise (hundreds of symbols) the per-symbol
 * inputs and the breakdowns of non-opportunities are left out, and the item says so (`compacted: true`).
 */
export function forStorage(analysis: Analysis): RankingRecord {
  if (JSON.stringify(analysis).length <= MAX_STORED_RANKING_CHARS)
    return analysis as unknown as RankingRecord;
  const ranking = analysis.ranking.map(
    ({ inputs: _inputs, currentPrediction: _current, breakdown, ...entry }) =>
      entry.isOpportunity && breakdown ? { ...entry, breakdown } : entry,
  );
  return { ...analysis, ranking, compacted: true } as unknown as RankingRecord;
}

/**
 * Scores every symbol (or `symbols`) as of `asOf` (default now), ranks them, stores the ranking under
 * asOf and emits `OpportunitiesFound` and `TopOpportunityScore`.
 */
