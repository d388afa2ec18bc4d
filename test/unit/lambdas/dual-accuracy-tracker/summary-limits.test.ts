import { limitSummary, SUMMARY_MAX_GROUPS } from '../../../../lambdas/dual-accuracy-tracker/summary-limits';
import { alertingCounts } from '../../../../lambdas/dual-accuracy-tracker/summary-metrics';
import {
  MAX_STORED_SUMMARY_CHARS,
  storableSummary,
} from '../../../../lambdas/dual-accuracy-tracker/summary-store';
import { calibrationAlerts, type MatchedPrediction, summarize } from '../../../../lambdas/shared/accuracy';

const window = { from: '2026-11-24T15:00:00.000Z', to: '2026-11-24T15:30:00.000Z', lookbackDays: 30 / 1440 };

/** `count` predictions of one model on one symbol, hitting `hits` of them (the price goes up to 101). */
function predictions(model: string, symbol: string, count: number, hits: number, confidence = 0.7) {
  return Array.from(
    { length: count },
    (_, i): MatchedPrediction => ({
      symbol,
      model,
      predictedAt: '2026-11-24T14:10:00.000Z',
      targetTime: `2026-11-24T15:${String(10 + (i % 20)).padStart(2, '0')}:00.000Z`,
      basePrice: 100,
      predictedPrice: i < hits ? 102 : 98,
      confidence,
      actualPrice: 101,
      actualTime: '2026-11-24T15:29:00.000Z',
      session: 'regular',
    }),
  );
}

function answered(rows: MatchedPrediction[], max = SUMMARY_MAX_GROUPS) {
  // The rule's minimum at its former 30, so that small groups of these fixtures can alert.
  const whole = summarize(rows, [], { window, minSampleForAlert: 30 });
  const calibration = calibrationAlerts(whole);
  return {
    whole,
    limited: limitSummary(whole, calibration, alertingCounts({ accuracy: whole.alerts, calibration }), max),
  };
}

describe('limitSummary', () => {
  it('keeps a summary within the limit whole, without `shortened`', () => {
    const { whole, limited } = answered([
      ...predictions('a', 'AAPL', 40, 30),
      ...predictions('b', 'IBM', 40, 30),
    ]);
    expect(limited.byModel).toEqual(whole.byModel);
    expect(limited.bySymbol).toEqual(whole.bySymbol);
    expect(limited.shortened).toBeUndefined();
    expect(limited.alertingGroups).toEqual({
      accuracyModels: 0,
      accuracySymbols: 0,
      calibrationModels: 0,
      calibrationSymbols: 0,
    });
  });

  it('keeps alerting groups first, then the largest by n, and counts what it left out', () => {
    const rows = [
      // A small model that alerts (30 validations, 3 hits: Wilson upper bound far below 60 %).
      ...predictions('tiny-bad', 'AAPL', 30, 3),
      ...predictions('big', 'AAPL', 90, 70),
      ...predictions('mid', 'AAPL', 50, 40),
      ...predictions('small', 'AAPL', 31, 25),
    ];
    const { whole, limited } = answered(rows, 2);
    expect(Object.keys(limited.byModel)).toEqual(['big', 'tiny-bad']);
    expect(limited.shortened).toMatchObject({
      maxGroups: 2,
      byModel: { groups: 2, n: 81, pending: 0 },
      alertsLeftOut: 0,
    });
    expect(limited.shortened?.hint).toMatch(/"models"/);
    expect(limited.alerts.map((a) => `${a.scope}:${a.key}`)).toEqual(
      whole.alerts.map((a) => `${a.scope}:${a.key}`),
    );
    expect(limited.alertingGroups.accuracyModels).toBe(1);
    // The overall figures are never cut.
    expect(limited.overall).toEqual(whole.overall);
  });

  it('drops the alerts of left-out groups from the lists but counts them', () => {
    const rows = Array.from({ length: 6 }, (_, i) => predictions(`bad-${i}`, 'IBM', 30 + i, 2)).flat();
    const { limited } = answered(rows, 4);
    expect(Object.keys(limited.byModel)).toEqual(['bad-2', 'bad-3', 'bad-4', 'bad-5']);
    expect(limited.alerts.filter((a) => a.scope === 'model')).toHaveLength(4);
    expect(limited.shortened?.alertsLeftOut).toBe(2);
    expect(limited.alertingGroups.accuracyModels).toBe(6);
  });

  it('stays under the stored-item budget by design with 5 000 models of the longest id and 5 000 symbols', () => {
    const rows: MatchedPrediction[] = [];
    for (let i = 0; i < 5_000; i++) {
      const model = `m${String(i).padStart(5, '0')}`.padEnd(64, 'x');
      const symbol = `S${i.toString(36).toUpperCase()}`.padEnd(10, '-');
      // Every group alerts on accuracy and calibration: the longest possible alert lists.
      rows.push(...predictions(model, symbol, 50, 1, 0.99));
    }
    const { whole, limited } = answered(rows);
    expect(whole.alerts.length).toBe(10_001);
    expect(Object.keys(limited.byModel)).toHaveLength(SUMMARY_MAX_GROUPS);
    expect(Object.keys(limited.bySymbol)).toHaveLength(SUMMARY_MAX_GROUPS);
    const size = JSON.stringify(limited).length;
    expect(size).toBeLessThan(MAX_STORED_SUMMARY_CHARS);
    // Stored as answered: the fallback of storableSummary is not needed.
    expect(storableSummary(limited)).toBe(limited);
    process.stdout.write(
      `worst-case summary: ${size} JSON characters (budget ${MAX_STORED_SUMMARY_CHARS})\n`,
    );
  });
});
