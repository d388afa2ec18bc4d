/** Accuracy: the 7-day validate_all the seed's steps run, as the report shows it (figures unrounded). */
import { validateAll } from '../../dual-accuracy-tracker/service';
import { STORY_DEFAULTS, type StoryContext, trackerDeps } from './context';
import type { AccuracyReport, CompactGroup } from './types';

function compact(group: CompactGroup): CompactGroup {
  return {
    n: group.n,
    pending: group.pending,
    hitRate: group.hitRate,
    hitRateCi: group.hitRateCi,
    meanPriceErrorPct: group.meanPriceErrorPct,
    ece: group.ece,
    brier: group.brier,
    auroc: group.auroc,
  };
}

/** validate_all over the last 7 days at the end of the replay; alerts make its trace high-value. */
export async function weeklyAccuracy(
  ctx: StoryContext,
  daily: AccuracyReport['daily'],
): Promise<AccuracyReport> {
  const { deps, recorder, clock, seed, kept } = ctx;
  const lookbackDays = STORY_DEFAULTS.lookbackDays;
  const id = `validate_all@${clock.now}#weekly`;
  const validated = await recorder.run(
    `validate_all (lookback ${lookbackDays} days)`,
    () =>
      deps.invoke({ fn: 'dual-accuracy-tracker', action: 'validate_all', id, at: clock.now }, () =>
        validateAll(trackerDeps(deps, clock.now, `demo-${seed}-${clock.endDate}`), {
          action: 'validate_all',
          lookback_days: lookbackDays,
        }),
      ),
    (result) => ({
      validated: result.summary.overall.n,
      pending: result.summary.overall.pending,
      alerts: result.summary.alerts.length,
    }),
  );
  const { summary } = validated;
  if (summary.alerts.length > 0) kept.valuable(id);
  const overall = summary.overall;
  return {
    window: { from: summary.window.from, to: summary.window.to, lookbackDays: summary.window.lookbackDays },
    headline: validated.headline,
    overall: {
      ...compact(overall),
      mape: overall.mape,
      mce: overall.mce,
      logLoss: overall.logLoss,
      spearman: overall.spearman,
      pointBiserial: overall.pointBiserial,
    },
    bySymbol: Object.fromEntries(
      Object.entries(summary.bySymbol).map(([key, group]) => [key, compact(group)]),
    ),
    byModel: Object.fromEntries(Object.entries(summary.byModel).map(([key, group]) => [key, compact(group)])),
    reliability: overall.reliability.filter((bin) => bin.count > 0),
    alerts: summary.alerts.map((alert) => ({ scope: alert.scope, key: alert.key, message: alert.message })),
    daily,
  };
}
