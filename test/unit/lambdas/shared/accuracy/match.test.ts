import fc from 'fast-check';
import { AccuracyOptionsError } from '../../../../../lambdas/shared/accuracy';
import {
  calendarSession,
  lowerBound,
  matchPredictions,
  type PredictionToMatch,
  type PriceToMatch,
  predictionOutcome,
  priceSeriesBySymbol,
} from '../../../../../lambdas/shared/accuracy/match';

const T0 = Date.parse('2026-11-24T15:00:00.000Z'); // Tuesday 10:00 ET: regular session
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function prediction(overrides: Partial<PredictionToMatch> = {}): PredictionToMatch {
  return {
    symbol: 'AAPL',
    model: 'lstm-v3',
    predictedAt: at(-60),
    targetTime: at(0),
    basePrice: 100,
    predictedPrice: 102,
    confidence: 0.7,
    ...overrides,
  };
}
const price = (minutes: number, value: number, symbol = 'AAPL'): PriceToMatch => ({
  symbol,
  timestamp: at(minutes),
  price: value,
});

describe('matchPredictions', () => {
  it('takes the FIRST price at or after the target time, whatever the input order', () => {
    const prices = [price(30, 105), price(-5, 90), price(10, 103), price(45, 107)];
    const { matched, pending } = matchPredictions([prediction()], prices);
    expect(pending).toEqual([]);
    expect(matched).toHaveLength(1);
    expect(matched[0]).toMatchObject({ actualPrice: 103, actualTime: at(10), session: 'regular' });
  });

  it('takes a price exactly at the target time', () => {
    const { matched } = matchPredictions([prediction()], [price(0, 101), price(1, 99)]);
    expect(matched[0]?.actualPrice).toBe(101);
    expect(matched[0]?.actualTime).toBe(at(0));
  });

  it('never takes a price before the target time', () => {
    const { matched, pending } = matchPredictions([prediction()], [price(-1, 101)]);
    expect(matched).toEqual([]);
    expect(pending).toEqual([{ symbol: 'AAPL', model: 'lstm-v3', targetTime: at(0), session: 'regular' }]);
  });

  it('pins the tolerance bound as inclusive: target + tolerance matches, one millisecond later is pending', () => {
    const onBound = [{ symbol: 'AAPL', timestamp: at(60), price: 104 }];
    expect(matchPredictions([prediction()], onBound, { toleranceMinutes: 60 }).matched).toHaveLength(1);
    const past = [{ symbol: 'AAPL', timestamp: new Date(T0 + 60 * 60_000 + 1).toISOString(), price: 104 }];
    const outcome = matchPredictions([prediction()], past, { toleranceMinutes: 60 });
    expect(outcome.matched).toHaveLength(0);
    expect(outcome.pending).toHaveLength(1);
  });

  it('uses 60 minutes as the default tolerance', () => {
    expect(matchPredictions([prediction()], [price(60, 104)]).matched).toHaveLength(1);
    expect(matchPredictions([prediction()], [price(61, 104)]).pending).toHaveLength(1);
  });

  it('with tolerance 0 only an exact timestamp matches', () => {
    expect(matchPredictions([prediction()], [price(0, 104)], { toleranceMinutes: 0 }).matched).toHaveLength(
      1,
    );
    expect(matchPredictions([prediction()], [price(1, 104)], { toleranceMinutes: 0 }).pending).toHaveLength(
      1,
    );
  });

  it('matches within the symbol only; a symbol without prices is pending', () => {
    const { matched, pending } = matchPredictions(
      [prediction(), prediction({ symbol: 'MSFT' }), prediction({ symbol: 'IBM' })],
      [price(5, 101, 'MSFT'), price(5, 201, 'AAPL')],
    );
    expect(matched.map((m) => [m.symbol, m.actualPrice])).toEqual([
      ['AAPL', 201],
      ['MSFT', 101],
    ]);
    expect(pending.map((p) => p.symbol)).toEqual(['IBM']);
  });

  it('ignores predictions whose target time is outside the window (bounds inclusive)', () => {
    const predictions = [-10, 0, 10, 20, 30].map((m) =>
      prediction({ targetTime: at(m), predictedAt: at(m - 60) }),
    );
    const result = matchPredictions(predictions, [price(100, 1)], { window: { from: at(0), to: at(20) } });
    expect(result.outsideWindow).toBe(2);
    expect(result.pending.map((p) => p.targetTime)).toEqual([at(0), at(10), at(20)]);
  });

  it('assigns the NYSE session at the target time', () => {
    expect(calendarSession('2026-11-24T13:00:00.000Z')).toBe('pre_market'); // 08:00 ET
    expect(calendarSession('2026-11-24T20:30:00.000Z')).toBe('regular'); // 15:30 ET
    expect(calendarSession('2026-11-24T21:30:00.000Z')).toBe('after_hours'); // 16:30 ET
    expect(calendarSession('2026-11-26T15:00:00.000Z')).toBe('closed'); // Thanksgiving
    expect(calendarSession('2026-11-28T15:00:00.000Z')).toBe('closed'); // Saturday
    const { pending } = matchPredictions([prediction({ targetTime: '2026-11-24T21:30:00.000Z' })], []);
    expect(pending[0]?.session).toBe('after_hours');
  });

  it('falls back to closed outside the calendar years and counts it', () => {
    const p = prediction({ predictedAt: '2031-01-06T14:00:00.000Z', targetTime: '2031-01-06T15:00:00.000Z' });
    const result = matchPredictions([p], []);
    expect(result.pending[0]?.session).toBe('closed');
    expect(result.outsideCalendar).toBe(1);
  });

  it('refuses a negative or non-finite tolerance and an unreadable window', () => {
    expect(() => matchPredictions([], [], { toleranceMinutes: -1 })).toThrow(AccuracyOptionsError);
    expect(() => matchPredictions([], [], { toleranceMinutes: Number.NaN })).toThrow(AccuracyOptionsError);
    expect(() => matchPredictions([], [], { toleranceMinutes: Number.POSITIVE_INFINITY })).toThrow(
      AccuracyOptionsError,
    );
    expect(() => matchPredictions([], [], { window: { from: 'yesterday', to: at(0) } })).toThrow(
      AccuracyOptionsError,
    );
  });

  it('agrees with a linear scan on random series (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: -50, max: 550 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 120 }),
        (priceMinutes, targetMinutes, tolerance) => {
          const prices = priceMinutes.map((m) => price(m, 100 + m));
          const predictions = targetMinutes.map((m) =>
            prediction({ targetTime: at(m), predictedAt: at(m - 60) }),
          );
          const { matched, pending } = matchPredictions(predictions, prices, {
            toleranceMinutes: tolerance,
            sessionOf: () => 'regular',
          });
          const sorted = [...priceMinutes].sort((a, b) => a - b);
          const expected = targetMinutes.map((t) => sorted.find((m) => m >= t && m - t <= tolerance));
          expect(matched.map((m) => m.actualTime)).toEqual(
            expected.filter((m) => m !== undefined).map((m) => at(m as number)),
          );
          expect(pending).toHaveLength(expected.filter((m) => m === undefined).length);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('lowerBound and priceSeriesBySymbol', () => {
  it('finds the first index at or after t', () => {
    const times = Float64Array.from([1, 3, 3, 5]);
    expect([0, 1, 2, 3, 4, 5, 6].map((t) => lowerBound(times, t))).toEqual([0, 0, 1, 1, 3, 3, 4]);
    expect(lowerBound(new Float64Array(0), 1)).toBe(0);
  });

  it('sorts each symbol once and skips unreadable points', () => {
    const series = priceSeriesBySymbol([
      price(10, 2),
      price(0, 1),
      { symbol: 'AAPL', timestamp: 'not a time', price: 5 },
      { symbol: 'AAPL', timestamp: at(5), price: Number.NaN },
    ]);
    const aapl = series.get('AAPL');
    expect(Array.from(aapl?.prices ?? [])).toEqual([1, 2]);
    expect(aapl?.timestamps).toEqual([at(0), at(10)]);
  });
});

describe('predictionOutcome', () => {
  it('derives hit, price error and returns from the matched price', () => {
    const [m] = matchPredictions(
      [prediction({ basePrice: 100, predictedPrice: 102 })],
      [price(1, 101)],
    ).matched;
    const outcome = predictionOutcome(m as NonNullable<typeof m>);
    expect(outcome.hit).toBe(true);
    expect(outcome.priceErrorPct).toBeCloseTo((1 / 101) * 100, 12);
    expect(outcome.predictedReturnPct).toBeCloseTo(2, 12);
    expect(outcome.actualReturnPct).toBeCloseTo(1, 12);
  });

  it('is a miss when the price moved against the prediction', () => {
    const [m] = matchPredictions(
      [prediction({ basePrice: 100, predictedPrice: 102 })],
      [price(1, 99)],
    ).matched;
    const outcome = predictionOutcome(m as NonNullable<typeof m>);
    expect(outcome.hit).toBe(false);
    expect(outcome.actualReturnPct).toBeCloseTo(-1, 12);
  });
});
