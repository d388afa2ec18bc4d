import { mapWithConcurrency } from '../../../../lambdas/dual-accuracy-tracker/concurrency';
import { headline, lookbackText } from '../../../../lambdas/dual-accuracy-tracker/headline';
import { validationWindow } from '../../../../lambdas/dual-accuracy-tracker/service';
import { limitSummary } from '../../../../lambdas/dual-accuracy-tracker/summary-limits';
import { alertingCounts } from '../../../../lambdas/dual-accuracy-tracker/summary-metrics';
import { storableSummary } from '../../../../lambdas/dual-accuracy-tracker/summary-store';
import type { AccuracyOnlySummary, TrackerSummary } from '../../../../lambdas/dual-accuracy-tracker/types';
import { outcomesToStore, validationItem } from '../../../../lambdas/dual-accuracy-tracker/validations';
import { calibrationAlerts, type MatchedPrediction, summarize } from '../../../../lambdas/shared/accuracy';
import { predictionOutcome } from '../../../../lambdas/shared/accuracy/match';
import { MarketKey } from '../../../../lambdas/shared/store';

const matched = (i: number, actualPrice: number): MatchedPrediction => ({
  symbol: 'AAPL',
  model: 'lstm-v3',
  predictedAt: `2026-11-24T14:${String(i).padStart(2, '0')}:00.000Z`,
  targetTime: `2026-11-24T15:${String(i).padStart(2, '0')}:00.000Z`,
  basePrice: 100,
  predictedPrice: 102,
  confidence: 0.7,
  actualPrice,
  actualTime: `2026-11-24T15:${String(i).padStart(2, '0')}:30.000Z`,
  session: 'regular',
});

/** The summary as validate_all answers it (no group left out for these small samples). */
function answered(summary: AccuracyOnlySummary): TrackerSummary {
  const calibration = calibrationAlerts(summary);
  return limitSummary(summary, calibration, alertingCounts({ accuracy: summary.alerts, calibration }));
}

describe('validationWindow', () => {
  it('is [now − lookback days, now]', () => {
    expect(validationWindow(new Date('2026-11-24T15:00:00.000Z'), 7)).toEqual({
      from: '2026-11-17T15:00:00.000Z',
      to: '2026-11-24T15:00:00.000Z',
      lookbackDays: 7,
    });
  });

  it("takes the scheduled run's 30 minutes as a fraction of a day", () => {
    expect(validationWindow(new Date('2026-11-24T15:00:00.000Z'), 30 / (24 * 60)).from).toBe(
      '2026-11-24T14:30:00.000Z',
    );
  });
});

describe('headline', () => {
  const window = validationWindow(new Date('2026-11-24T16:00:00.000Z'), 7);
  it('says n, pending, hit rate with its interval, error, ECE and the alerts in one sentence', () => {
    const summary = answered(
      summarize(
        [matched(1, 101), matched(2, 101), matched(3, 99), matched(4, 101)],
        [{ symbol: 'AAPL', model: 'lstm-v3', targetTime: window.to, session: 'regular' }],
        { window },
      ),
    );
    const ci = summary.overall.hitRateCi as readonly [number, number];
    expect(headline(summary)).toBe(
      `4 predictions validated, 1 pending, over 7 days; hit rate 75.0 % (95 % CI ${(ci[0] * 100).toFixed(1)} %–` +
        `${(ci[1] * 100).toFixed(1)} %), mean price error ${(summary.overall.meanPriceErrorPct as number).toFixed(2)} %, ` +
        `ECE ${(summary.overall.ece as number).toFixed(3)}; no accuracy alert.`,
    );
  });

  it('reads well with nothing to validate', () => {
    expect(headline(answered(summarize([], [], { window })))).toBe(
      '0 predictions validated, 0 pending, over 7 days; no accuracy alert.',
    );
  });

  it("says which partition an empty answer read, and how to read the demo's", () => {
    expect(headline(summarize([], [], { window }), 'live')).toBe(
      '0 predictions validated, 0 pending, over 7 days; no accuracy alert; nothing in the "live" data ' +
        'partition\'s window (the observability-demo writes to "demo": read it with DATA_NAMESPACE=demo).',
    );
    expect(headline(summarize([], [], { window }), 'demo')).toMatch(
      /nothing in the "demo" data partition's window\.$/,
    );
  });

  it("gives the scheduled run's window in minutes, not as a fraction of a day", () => {
    const scheduled = validationWindow(new Date('2026-11-24T16:00:00.000Z'), 30 / (24 * 60));
    expect(headline(summarize([], [], { window: scheduled }))).toMatch(
      /^0 predictions validated, 0 pending, over 30 minutes;/,
    );
    expect(lookbackText(30 / 1440)).toBe('30 minutes');
    expect(lookbackText(1 / 1440)).toBe('1 minute');
    expect(lookbackText(6 / 24)).toBe('6 hours');
    expect(lookbackText(1)).toBe('1 day');
    expect(lookbackText(7)).toBe('7 days');
    expect(lookbackText(1.25)).toBe('30 hours');
    expect(lookbackText(2.5)).toBe('2.5 days');
  });

  it('names an overall alert once ("overall 30.0 %", not "overall overall")', () => {
    const misses = Array.from({ length: 40 }, (_, i) => matched(i + 1, i % 10 < 3 ? 101 : 99));
    const summary = summarize(misses, [], { window, minSampleForAlert: 30, alertThreshold: 0.6 });
    expect(summary.alerts.find((alert) => alert.scope === 'overall')).toBeDefined();
    expect(headline(summary)).toContain('overall 30.0 %');
    expect(headline(summary)).not.toContain('overall overall');
  });
});

describe('outcomesToStore', () => {
  const outcomes = [matched(1, 101), matched(2, 99)].map(predictionOutcome);
  const stored = outcomes.map((o) => ({ ...validationItem(o), sk: MarketKey.predictionSort(o) }));

  it('skips outcomes stored exactly as they are, and counts none of them as new', () => {
    expect(outcomesToStore(outcomes, stored)).toEqual({ changed: [], fresh: [] });
  });

  it('rewrites new outcomes and those whose matched price or prediction changed; only the new are fresh', () => {
    const later = [...outcomes, predictionOutcome(matched(3, 100.5))];
    const changedPrice = [
      { ...(stored[0] as object), actualPrice: 100 },
      stored[1] as Record<string, unknown>,
    ];
    const { changed, fresh } = outcomesToStore(later, changedPrice);
    expect(changed.map((o) => o.targetTime)).toEqual([outcomes[0]?.targetTime, later[2]?.targetTime]);
    // The re-matched one was counted when it was first validated.
    expect(fresh.map((o) => o.targetTime)).toEqual([later[2]?.targetTime]);
  });
});

describe('mapWithConcurrency', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const result = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (value) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running -= 1;
      return value * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('handles an empty list and rejects with the first failure', async () => {
    await expect(mapWithConcurrency([], 8, async () => 1)).resolves.toEqual([]);
    await expect(
      mapWithConcurrency([1, 2], 2, async (v) => {
        if (v === 2) throw new Error('boom');
        return v;
      }),
    ).rejects.toThrow('boom');
  });
});

describe('storableSummary', () => {
  const window = validationWindow(new Date('2026-11-24T16:00:00.000Z'), 7);
  const many = Array.from({ length: 40 }, (_, i) => ({ ...matched(i % 50, 101), symbol: `S${i}` }));
  const summary = answered(summarize(many, [], { window }));
  const size = (value: unknown) => JSON.stringify(value).length;

  it('stores the full summary when it fits', () => {
    expect(storableSummary(summary)).toBe(summary);
  });

  it('drops per-group reliability tables first, then per-symbol and per-model groups, and says so', () => {
    const full = size(summary);
    const withoutTables = storableSummary(summary, full - 1);
    expect(withoutTables.omitted).toEqual(['bySymbol.*.reliability', 'byModel.*.reliability']);
    expect((withoutTables.bySymbol as Record<string, Record<string, unknown>>).S0).not.toHaveProperty(
      'reliability',
    );
    expect((withoutTables.bySymbol as Record<string, Record<string, unknown>>).S0?.n).toBe(1);
    expect(withoutTables.overall).toEqual(summary.overall);
    const minimal = storableSummary(summary, 10_000);
    expect(minimal.omitted).toEqual(['bySymbol', 'byModel']);
    expect(minimal.bySymbol).toEqual({});
    expect(minimal.byModel).toEqual({});
    expect(minimal.overall).toEqual(summary.overall);
  });
});
