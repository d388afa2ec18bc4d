import fc from 'fast-check';
import { CalendarRangeError } from '../../../../lambdas/shared/market';
import type { StoredPrediction } from '../../../../lambdas/shared/store';
import {
  currentPrediction,
  knownAt,
  lookbackWindow,
  opportunityInputs,
} from '../../../../lambdas/trading-intelligence/inputs';
import { sessionCorrelation } from '../../../../lambdas/trading-intelligence/session-correlation';
import {
  signalReturnPct,
  toValidationRecord,
  toValidationRecords,
  type ValidationRecord,
} from '../../../../lambdas/trading-intelligence/validations';

function validation(
  targetTime: string,
  basePrice: number,
  predictedPrice: number,
  actualPrice: number,
  extra: Record<string, unknown> = {},
): ValidationRecord {
  const record = toValidationRecord({
    symbol: 'AAPL',
    model: 'lstm-v3',
    predictedAt: new Date(Date.parse(targetTime) - 3_600_000).toISOString(),
    targetTime,
    actualTime: targetTime,
    basePrice,
    predictedPrice,
    actualPrice,
    confidence: 0.7,
    ...extra,
  });
  if (!record) throw new Error('test record did not parse');
  return record;
}

describe('validation records', () => {
  it('derives hit, price error, returns and the signal return from the prices when not stored', () => {
    const r = validation('2026-11-30T15:00:00.000Z', 100, 98, 95);
    expect(r.hit).toBe(true);
    expect(r.priceErrorPct).toBeCloseTo((3 / 95) * 100, 12);
    expect(r.predictedReturnPct).toBeCloseTo(-2, 12);
    expect(r.actualReturnPct).toBeCloseTo(-5, 12);
    // Predicted fall, price fell 5 %: the short signal earned +5 %.
    expect(r.signalReturnPct).toBeCloseTo(5, 12);
    expect(r.session).toBe('regular');
  });

  it('prefers stored figures and the stored session', () => {
    const r = validation('2026-11-30T13:00:00.000Z', 100, 102, 101, {
      hit: false,
      priceErrorPct: 7,
      predictedReturnPct: 2,
      actualReturnPct: 1,
      session: 'regular',
    });
    expect([r.hit, r.priceErrorPct, r.signalReturnPct, r.session]).toEqual([false, 7, 1, 'regular']);
  });

  it('signal return: sign(predicted) × actual; a flat prediction is no signal', () => {
    expect(signalReturnPct(1.5, -2)).toBe(-2);
    expect(signalReturnPct(-0.1, -2)).toBe(2);
    expect(signalReturnPct(0, 3)).toBeNull();
    expect(signalReturnPct(Number.NaN, 3)).toBeNull();
    expect(Object.is(signalReturnPct(-1, 0), -0)).toBe(false);
  });

  it('unreadable items are counted, not guessed', () => {
    const good = { symbol: 'A', model: 'm', predictedAt: 'x', targetTime: '2026-11-30T15:00:00.000Z' };
    const { records, unreadable } = toValidationRecords([
      { ...good, basePrice: 1, predictedPrice: 1, actualPrice: 1, confidence: 0.5 },
      { ...good, basePrice: 0, predictedPrice: 1, actualPrice: 1, confidence: 0.5 },
      { ...good, basePrice: 1, predictedPrice: 1, actualPrice: 1, confidence: 1.5 },
      { ...good, basePrice: 1, predictedPrice: '1', actualPrice: 1, confidence: 0.5 },
    ]);
    expect([records.length, unreadable]).toEqual([1, 3]);
  });
});

describe('session correlation on a hand-made set', () => {
  // 10:00 ET and 10:30 ET (regular), 08:00 ET (pre-market), 17:00 ET (after-hours), Monday 2026-11-30 (EST).
  const records = [
    validation('2026-11-30T15:00:00.000Z', 100, 102, 101), // hit, err 0.990099 %, signal +1
    validation('2026-11-30T15:30:00.000Z', 100, 98, 101), // miss, err 2.970297 %, signal −1
    validation('2026-11-30T13:00:00.000Z', 50, 49, 48), // hit, err 2.083333 %, signal +4
    validation('2026-11-30T22:00:00.000Z', 10, 10, 10.5), // flat prediction: miss, no signal, err 4.761905 %
  ];
  const result = sessionCorrelation(records);

  it('groups by the session of the target time with n, hits, Wilson CI, mean error and mean signal return', () => {
    const regular = result.bySession.regular;
    expect(regular.n).toBe(2);
    expect(regular.hits).toBe(1);
    expect(regular.hitRate).toBe(0.5);
    expect(regular.hitRateCi?.[0]).toBeCloseTo(0.0945, 4);
    expect(regular.hitRateCi?.[1]).toBeCloseTo(0.9055, 4);
    expect(regular.meanPriceErrorPct).toBeCloseTo((100 / 101 + 300 / 101) / 2, 10);
    expect(regular.signals).toBe(2);
    expect(regular.meanSignalReturnPct).toBeCloseTo(0, 12);

    expect(result.bySession.pre_market).toMatchObject({ n: 1, hits: 1, hitRate: 1, signals: 1 });
    expect(result.bySession.pre_market.meanSignalReturnPct).toBeCloseTo(4, 10);
    expect(result.bySession.pre_market.hitRateCi?.[1]).toBe(1);

    expect(result.bySession.after_hours).toMatchObject({
      n: 1,
      hits: 0,
      hitRate: 0,
      signals: 0,
      meanSignalReturnPct: null,
    });
    expect(result.bySession.after_hours.meanPriceErrorPct).toBeCloseTo((0.5 / 10.5) * 100, 10);
    expect(result.bySession.closed).toEqual({
      n: 0,
      hits: 0,
      hitRate: null,
      hitRateCi: null,
      meanPriceErrorPct: null,
      signals: 0,
      meanSignalReturnPct: null,
    });
  });

  it('groups by ET hour 0–23, empty hours included', () => {
    expect(result.byHour.map((h) => h.hour)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const counts = Object.fromEntries(result.byHour.filter((h) => h.n > 0).map((h) => [h.hour, h.n]));
    expect(counts).toEqual({ 8: 1, 10: 2, 17: 1 });
    expect(result.byHour[10]?.hitRate).toBe(0.5);
    expect(result.byHour[3]?.meanSignalReturnPct).toBeNull();
  });

  it('overall figures and the best session', () => {
    expect(result.overall).toMatchObject({ n: 4, hits: 2, hitRate: 0.5, signals: 3 });
    expect(result.overall.meanSignalReturnPct).toBeCloseTo(4 / 3, 10);
    expect(result.bestSession).toBe('pre_market');
    expect(sessionCorrelation(records, 2).bestSession).toBe('regular');
    expect(result.unplaced).toBe(0);
  });

  it('counts always add up: Σ sessions + unplaced = Σ hours + unplaced = overall (property)', () => {
    const times = fc.integer({
      min: Date.parse('2024-12-20T00:00:00Z'),
      max: Date.parse('2028-01-10T00:00:00Z'),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            times,
            fc.double({ min: 1, max: 500, noNaN: true }),
            fc.double({ min: 1, max: 500, noNaN: true }),
          ),
          {
            maxLength: 30,
          },
        ),
        (rows) => {
          const rs = rows.map(([t, p, a]) => validation(new Date(t).toISOString(), 100, p, a));
          const c = sessionCorrelation(rs);
          const bySession = Object.values(c.bySession).reduce((s, g) => s + g.n, 0);
          const byHour = c.byHour.reduce((s, g) => s + g.n, 0);
          return (
            bySession + c.unplaced === rs.length &&
            byHour + c.unplaced === rs.length &&
            c.overall.n === rs.length
          );
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe('lookback window in trading days', () => {
  it('counts NYSE trading days back from asOf, skipping Thanksgiving and the weekend', () => {
    // 11-30, 27, 25, 24, 23, 20, 19, 18, 17, 16 (11-26 is Thanksgiving): starts 2026-11-16 00:00 EST.
    expect(lookbackWindow('2026-11-30T15:00:00.000Z', 10)).toEqual({
      from: '2026-11-16T05:00:00.000Z',
      to: '2026-11-30T15:00:00.000Z',
      tradingDays: 10,
      approximate: false,
    });
    // A Saturday asOf: its own date does not count; 1 day → Friday 00:00 EST.
    expect(lookbackWindow('2026-11-28T15:00:00.000Z', 1).from).toBe('2026-11-27T05:00:00.000Z');
  });

  it('before the calendar starts, weekdays size the window (flagged approximate)', () => {
    const w = lookbackWindow('2025-01-06T15:00:00.000Z', 10);
    expect(w.from).toBe('2024-12-23T05:00:00.000Z');
    expect(w.approximate).toBe(true);
  });

  it('an asOf outside the calendar is an error, not a guess', () => {
    expect(() => lookbackWindow('2031-03-03T15:00:00.000Z', 10)).toThrow(CalendarRangeError);
  });
});

describe('current prediction and look-ahead', () => {
  const p = (
    model: string,
    predictedAt: string,
    targetTime: string,
    confidence: number,
  ): StoredPrediction => ({
    symbol: 'AAPL',
    model,
    predictedAt,
    targetTime,
    basePrice: 100,
    predictedPrice: 103,
    confidence,
    recordedAt: predictedAt,
  });
  const asOf = '2026-11-30T15:00:00.000Z';

  it('takes the latest prediction made by asOf whose target is after asOf; ties by confidence', () => {
    const chosen = currentPrediction(
      [
        p('a', '2026-11-30T14:00:00.000Z', '2026-11-30T21:00:00.000Z', 0.9),
        p('b', '2026-11-30T14:45:00.000Z', '2026-11-30T21:00:00.000Z', 0.6),
        p('c', '2026-11-30T14:45:00.000Z', '2026-11-30T21:00:00.000Z', 0.7),
        p('future', '2026-11-30T15:15:00.000Z', '2026-11-30T21:00:00.000Z', 0.99),
        p('expired', '2026-11-30T14:50:00.000Z', '2026-11-30T15:00:00.000Z', 0.99),
      ],
      asOf,
    );
    expect(chosen?.model).toBe('c');
    expect(currentPrediction([], asOf)).toBeNull();
  });

  it('ignores validations whose price was not known at asOf', () => {
    const early = validation('2026-11-30T14:00:00.000Z', 100, 101, 102);
    const late = validation('2026-11-30T14:30:00.000Z', 100, 101, 102, {
      actualTime: '2026-11-30T15:05:00.000Z',
    });
    expect(knownAt([early, late], asOf)).toEqual([early]);
  });

  it('builds the scorer inputs from validations, the current prediction and prices', () => {
    const vs = [
      validation('2026-11-27T15:00:00.000Z', 100, 101, 102, { confidence: 0.8 }),
      validation('2026-11-27T16:00:00.000Z', 100, 101, 99, { confidence: 0.6 }),
    ];
    const prices = Array.from({ length: 25 }, (_, i) => 100 + i);
    const evidence = opportunityInputs(
      'AAPL',
      vs,
      p('a', '2026-11-30T14:00:00.000Z', '2026-11-30T21:00:00.000Z', 0.9),
      prices,
      20,
    );
    expect(evidence.inputs).toMatchObject({
      symbol: 'AAPL',
      validatedPredictions: 2,
      correctDirections: 1,
      priceCount: 25,
    });
    expect(evidence.inputs.meanConfidence).toBeCloseTo(0.7, 12);
    expect(evidence.inputs.predictedMovePct).toBeCloseTo(3, 12);
    expect(evidence.inputs.momentumPct).toBeCloseTo((124 / 104 - 1) * 100, 10);
    // ECE over 10 bins: bin (0.7, 0.8] conf 0.8 hit 1 → 0.2; bin (0.5, 0.6] conf 0.6 hit 0 → 0.6; weighted 0.4.
    expect(evidence.inputs.ece).toBeCloseTo(0.4, 12);
    expect(evidence.signalReturnPct).toBeCloseTo((2 - 1) / 2, 12);
    expect(opportunityInputs('X', [], null, [], 20).inputs).toMatchObject({
      ece: null,
      meanConfidence: null,
      predictedMovePct: null,
      volatilityPct: null,
    });
  });
});
