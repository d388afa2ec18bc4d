/**
 * The `validate_all` summary: accuracy overall, per symbol, per model and per market session,
 * plus accuracy alerts that only fire on evidence (Wilson upper bound below the threshold on a
 * sample of at least `minSampleForAlert`), so a small unlucky sample pages nobody.
 */
import { AccuracyAlertDefaults } from './alert-defaults';
import { confidenceOrder, type PredictionColumns, rowFigures } from './columns';
import { AccuracyOptionsError } from './errors';
import { groupFromColumns, groupFromSums } from './metrics';
import { indexRecords, packable, packedSummarySums } from './packed';
import { type GroupTotals, groupedSums } from './sums';
import {
  type AccuracyAlert,
  type AccuracyGroup,
  type AccuracySummary,
  type AccuracyWindow,
  AlertScope,
  type MarketSession,
  type MatchedPrediction,
  type PendingPrediction,
} from './types';

export { AccuracyAlertDefaults } from './alert-defaults';

export interface SummarizeOptions<W = AccuracyWindow> {
  readonly window: W;
  readonly minSampleForAlert?: number;
  readonly alertThreshold?: number;
}

type KeyOf = (p: {
  readonly symbol: string;
  readonly model: string;
  readonly session: MarketSession;
}) => string;
const bySymbolKey: KeyOf = (p) => p.symbol;
const byModelKey: KeyOf = (p) => p.model;
const bySessionKey: KeyOf = (p) => p.session;

const NO_ROWS: PredictionColumns = {
  n: 0,
  confidence: new Float64Array(0),
  hit: new Uint8Array(0),
  error: new Float64Array(0),
  errorPct: new Float64Array(0),
  source: new Int32Array(0),
};

/** One group per key that has matched or pending predictions, keys sorted for a stable, readable result. */
function groupsOf(
  matchedKeys: readonly string[],
  totals: readonly GroupTotals[],
  pending: readonly PendingPrediction[],
  keyOf: KeyOf,
): Record<string, AccuracyGroup> {
  const waiting = new Map<string, number>();
  for (const p of pending) {
    const key = keyOf(p);
    waiting.set(key, (waiting.get(key) ?? 0) + 1);
  }
  const idOf = new Map(matchedKeys.map((key, id) => [key, id]));
  const keys = [...new Set([...matchedKeys, ...waiting.keys()])].sort();
  return Object.fromEntries(
    keys.map((key) => {
      const id = idOf.get(key);
      const waitingHere = waiting.get(key) ?? 0;
      if (id === undefined) return [key, groupFromColumns(NO_ROWS, waitingHere)];
      const { sums, pointBiserial } = totals[id] as GroupTotals;
      return [key, groupFromSums(sums, pointBiserial, waitingHere)];
    }),
  );
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function alertFor(
  scope: AlertScope,
  key: string,
  group: AccuracyGroup,
  threshold: number,
  minSample: number,
): AccuracyAlert | null {
  const { n, hitRate, hitRateCi } = group;
  if (n < minSample || hitRate === null || hitRateCi === null || !(hitRateCi[1] < threshold)) return null;
  const subject =
    scope === AlertScope.Overall ? 'Overall directional accuracy' : `Directional accuracy of ${scope} ${key}`;
  return {
    scope,
    key,
    hitRate,
    hitRateCi,
    n,
    threshold,
    message:
      `${subject} is ${percent(hitRate)} (95 % Wilson interval ${percent(hitRateCi[0])}–${percent(hitRateCi[1])}, ` +
      `n = ${n}), significantly below the ${percent(threshold)} threshold.`,
  };
}

function resolveOptions(options: SummarizeOptions<unknown>): { minSample: number; threshold: number } {
  const minSample = options.minSampleForAlert ?? AccuracyAlertDefaults.minSampleForAlert;
  const threshold = options.alertThreshold ?? AccuracyAlertDefaults.alertThreshold;
  if (!Number.isInteger(minSample) || minSample < 1) {
    throw new AccuracyOptionsError(`minSampleForAlert ${minSample} is not a positive integer`);
  }
  if (!(threshold > 0 && threshold < 1)) {
    throw new AccuracyOptionsError(`alertThreshold ${threshold} is not in (0, 1)`);
  }
  return { minSample, threshold };
}

/**
 * Summarises matched and pending predictions. Throws AccuracyInputError on a prediction that
 * cannot be scored and AccuracyOptionsError on nonsensical options.
 */
export function summarize<W = AccuracyWindow>(
  matched: readonly MatchedPrediction[],
  pending: readonly PendingPrediction[],
  options: SummarizeOptions<W>,
): AccuracySummary<W> {
  const { minSample, threshold } = resolveOptions(options);
  // Every group of every grouping from one pass over the rows in confidence order: no per-group
  // copies of the rows. The packed path lays the rows out in that order up front (sequential
  // reads); the general one (huge model × session counts) visits them through a sorted index.
  const indexed = indexRecords(matched);
  const { symbols, models, sessions } = indexed;
  const rows = packable(models.keys.length, sessions.keys.length) ? null : rowFigures(matched);
  const [overallTotals, symbolTotals, modelTotals, sessionTotals] =
    rows === null
      ? packedSummarySums(matched, indexed)
      : (groupedSums(rows, confidenceOrder(rows.confidence), [
          { ids: null, count: 1 },
          { ids: symbols.ids, count: symbols.keys.length },
          { ids: models.ids, count: models.keys.length },
          { ids: sessions.ids, count: sessions.keys.length },
        ]) as [GroupTotals[], GroupTotals[], GroupTotals[], GroupTotals[]]);
  const { sums, pointBiserial } = overallTotals[0] as GroupTotals;
  const overall = groupFromSums(sums, pointBiserial, pending.length);
  const bySymbol = groupsOf(symbols.keys, symbolTotals, pending, bySymbolKey);
  const byModel = groupsOf(models.keys, modelTotals, pending, byModelKey);
  const bySession = groupsOf(sessions.keys, sessionTotals, pending, bySessionKey) as Partial<
    Record<MarketSession, AccuracyGroup>
  >;

  const alerts: AccuracyAlert[] = [];
  const overallAlert = alertFor(AlertScope.Overall, 'overall', overall, threshold, minSample);
  if (overallAlert) alerts.push(overallAlert);
  for (const [scope, groups] of [
    [AlertScope.Symbol, bySymbol],
    [AlertScope.Model, byModel],
  ] as const) {
    for (const [key, group] of Object.entries(groups)) {
      const alert = alertFor(scope, key, group, threshold, minSample);
      if (alert) alerts.push(alert);
    }
  }
  return { window: options.window, overall, bySymbol, byModel, bySession, alerts };
}
