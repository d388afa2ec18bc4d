/** Trading: the scheduled rankings replayed each day, the last one shown, and the session correlation. */
import { analyze, type RankingEntry, sessionCorrelationReport } from '../../trading-intelligence/service';
import { StepFailedError } from '../errors';
import { STORY_DEFAULTS, type StoryContext, tradingDeps } from './context';
import type { OpportunityReport, SessionsReport, TradingReport } from './types';

type Analysis = Extract<Awaited<ReturnType<typeof analyze>>, { ok: true }>;

export interface RankingRun {
  readonly at: string;
  readonly analysis: Analysis;
}

/** One scheduled ranking; a run that finds an opportunity is a high-value trace. */
export async function rankAt(ctx: StoryContext, at: string): Promise<RankingRun> {
  const { deps, kept } = ctx;
  const id = `analyze@${at}`;
  const result = await deps.invoke({ fn: 'trading-intelligence', action: 'analyze', id, at }, () =>
    analyze(tradingDeps(deps, at), { asOf: at, trigger: 'scheduled' }),
  );
  if (!result.ok) throw new StepFailedError(`analyze failed at ${at}: ${result.error.message}`);
  if (result.summary.opportunitiesFound > 0) kept.valuable(id);
  return { at, analysis: result };
}

function opportunity(entry: RankingEntry): OpportunityReport {
  return {
    rank: entry.rank,
    symbol: entry.symbol,
    score: entry.score,
    isOpportunity: entry.isOpportunity,
    breakdown: (entry.breakdown ?? []).map((factor) => ({
      factor: factor.factor,
      raw: factor.raw,
      weight: factor.weight,
      contribution: factor.contribution,
    })),
    ...(entry.reason ? { reason: entry.reason } : {}),
  };
}

/** The last day's rankings as the report shows them, over all the runs replayed. */
export function tradingReport(runs: readonly RankingRun[], lastDay: string): TradingReport {
  const last = runs[runs.length - 1];
  if (!last) throw new StepFailedError(`no regular session on ${lastDay} to rank`);
  const lastDayRuns = runs.filter((run) => run.at.slice(0, 10) === last.at.slice(0, 10));
  return {
    asOf: last.analysis.asOf,
    threshold: last.analysis.threshold,
    scored: last.analysis.summary.scored,
    opportunitiesFound: last.analysis.summary.opportunitiesFound,
    top: last.analysis.ranking.slice(0, STORY_DEFAULTS.topOpportunities).map(opportunity),
    rankings: lastDayRuns.map((run) => ({
      asOf: run.analysis.asOf,
      topSymbol: run.analysis.summary.topSymbol,
      topScore: run.analysis.summary.topOpportunityScore,
      opportunities: run.analysis.summary.opportunitiesFound,
    })),
    runs: runs.length,
    runsWithOpportunity: runs.filter((run) => run.analysis.summary.opportunitiesFound > 0).length,
  };
}

/** session_correlation over the replayed days, as of the end of the last one. */
export async function sessionsReport(ctx: StoryContext): Promise<SessionsReport> {
  const { deps, recorder, clock } = ctx;
  const lookbackDays = STORY_DEFAULTS.sessionLookbackDays;
  const result = await recorder.run(
    `session_correlation (lookback ${lookbackDays} days)`,
    () =>
      deps.invoke(
        {
          fn: 'trading-intelligence',
          action: 'session_correlation',
          id: `session_correlation@${clock.now}`,
          at: clock.now,
        },
        () =>
          sessionCorrelationReport(tradingDeps(deps, clock.now), {
            lookback_days: lookbackDays,
            asOf: clock.now,
          }),
      ),
    (value) => ({ validations: value.validations, bestSession: value.bestSession }),
  );
  return {
    lookbackDays,
    validations: result.validations,
    bestSession: result.bestSession,
    bySession: Object.fromEntries(
      Object.entries(result.bySession).map(([session, group]) => [
        session,
        {
          n: group.n,
          hitRate: group.hitRate,
          hitRateCi: group.hitRateCi,
          meanPriceErrorPct: group.meanPriceErrorPct,
          signals: group.signals,
          meanSignalReturnPct: group.meanSignalReturnPct,
        },
      ]),
    ),
  };
}
