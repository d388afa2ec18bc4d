import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handleTrackerEvent, type TrackerDeps } from '../../../../lambdas/dual-accuracy-tracker/service';
import { Limits } from '../../../../lambdas/shared/schemas';

/** A store that must never be reached: bad input is refused before any read or write. */
function untouchableDeps(): { deps: TrackerDeps; send: jest.Mock } {
  const send = jest.fn(() => {
    throw new Error('the store was called');
  });
  const deps: TrackerDeps = {
    store: {
      client: { send } as unknown as DynamoDBDocumentClient,
      table: 't',
      namespace: 'test',
      rawTtlDays: 30,
    },
    config: {
      matchToleranceMinutes: 60,
      minSampleForAlert: 30,
      accuracyAlertThreshold: 0.6,
      metricSymbolWatchlist: [],
      metricModelWatchlist: [],
      metricDimensionCap: 20,
      calibrationAlertEce: 0.15,
      minSampleForCalibrationAlert: 150,
      summaryTtlDays: 400,
    },
    now: () => new Date('2026-11-24T15:00:00.000Z'),
    requestId: 'req-1',
  };
  return { deps, send };
}

const validPrediction = {
  symbol: 'AAPL',
  model: 'lstm-v3',
  predictedAt: '2026-11-24T14:00:00Z',
  targetTime: '2026-11-24T15:00:00Z',
  basePrice: 187.2,
  predictedPrice: 189.9,
  confidence: 0.74,
};
const validPrice = { symbol: 'AAPL', timestamp: '2026-11-24T15:00:00Z', price: 188.4 };

async function refused(event: unknown) {
  const { deps, send } = untouchableDeps();
  const result = await handleTrackerEvent(deps, event);
  expect(send).not.toHaveBeenCalled();
  if (result.ok) throw new Error(`expected ok:false for ${JSON.stringify(event)}`);
  return result.error;
}

describe('dual-accuracy-tracker payload validation (nothing is read or written on bad input)', () => {
  it.each([
    ['no action', {}],
    ['unknown action', { action: 'delete_everything' }],
    ['action of the wrong type', { action: 7 }],
  ])('refuses %s as UNKNOWN_ACTION listing the known actions', async (_, event) => {
    const error = await refused(event);
    expect(error.code).toBe('UNKNOWN_ACTION');
    expect(error.message).toContain('record_predictions, record_prices, validate_all, report');
  });

  it.each([
    ['null', null],
    ['an array', [validPrediction]],
    ['a string', 'validate_all'],
  ])('refuses %s as a payload', async (_, event) => {
    expect((await refused(event)).code).toBe('INVALID_PAYLOAD');
  });

  const predictionCases: Array<[string, Record<string, unknown>, string]> = [
    ['a price given as a string', { basePrice: '187.2' }, 'predictions.0.basePrice'],
    [
      'NaN (a JS caller can send it, JSON cannot)',
      { predictedPrice: Number.NaN },
      'predictions.0.predictedPrice',
    ],
    ['Infinity', { basePrice: Number.POSITIVE_INFINITY }, 'predictions.0.basePrice'],
    ['a negative price', { predictedPrice: -1 }, 'predictions.0.predictedPrice'],
    ['a zero price', { basePrice: 0 }, 'predictions.0.basePrice'],
    ['confidence above 1', { confidence: 1.01 }, 'predictions.0.confidence'],
    ['negative confidence', { confidence: -0.1 }, 'predictions.0.confidence'],
    ['a lower-case symbol', { symbol: 'aapl' }, 'predictions.0.symbol'],
    ['a symbol with a space', { symbol: 'AA PL' }, 'predictions.0.symbol'],
    ['a timestamp without a zone', { targetTime: '2026-11-24T15:00:00' }, 'predictions.0.targetTime'],
    ['an impossible date', { targetTime: '2026-02-30T15:00:00Z' }, 'predictions.0.targetTime'],
    ['a target before the prediction', { targetTime: '2026-11-24T13:00:00Z' }, 'predictions.0.targetTime'],
    ['an extra field', { accountNumber: '12345678' }, 'predictions.0'],
  ];
  it.each(predictionCases)('refuses a prediction with %s', async (_, override, path) => {
    const error = await refused({
      action: 'record_predictions',
      predictions: [{ ...validPrediction, ...override }],
    });
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.issues.map((issue) => issue.path)).toContain(path);
    expect(error.message).toContain('nothing was written');
  });

  it('refuses a whole batch when one item is bad (no partial write)', async () => {
    const predictions = [validPrediction, validPrediction, { ...validPrediction, confidence: 2 }];
    const error = await refused({ action: 'record_predictions', predictions });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'predictions.2.confidence' })]);
  });

  it('refuses an extra top-level field', async () => {
    const error = await refused({ action: 'validate_all', lookback_days: 7, dryRun: true });
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.issues[0]?.code).toBe('unrecognized_keys');
  });

  it.each([
    [{ action: 'validate_all', lookback_days: 0 }, 'lookback_days'],
    [{ action: 'validate_all', lookback_days: 7.5 }, 'lookback_days'],
    [{ action: 'validate_all', lookback_days: '7' }, 'lookback_days'],
    [{ action: 'validate_all', lookback_days: Limits.MAX_LOOKBACK_DAYS + 1 }, 'lookback_days'],
    [{ action: 'validate_all', symbols: [] }, 'symbols'],
    [{ action: 'validate_all', symbols: ['aapl'] }, 'symbols.0'],
    [{ action: 'validate_all', models: ['bad model'] }, 'models.0'],
    [{ action: 'report', limit: 0 }, 'limit'],
    [{ action: 'report', limit: 51 }, 'limit'],
    [{ action: 'record_prices', prices: [{ ...validPrice, price: -5 }] }, 'prices.0.price'],
    [{ action: 'record_prices', prices: [{ ...validPrice, volume: 10 }] }, 'prices.0'],
    [{ action: 'record_prices', prices: [] }, 'prices'],
    [{ action: 'record_prices' }, 'prices'],
  ])('refuses %j at %s as INVALID_PAYLOAD', async (event, path) => {
    const error = await refused(event);
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.issues.map((issue) => issue.path)).toContain(path);
  });

  it('takes lookback_minutes (the scheduled run that feeds the alarms) or lookback_days, not both', async () => {
    expect((await refused({ action: 'validate_all', lookback_days: 1, lookback_minutes: 30 })).code).toBe(
      'INVALID_PAYLOAD',
    );
    expect((await refused({ action: 'validate_all', lookback_minutes: 14 })).code).toBe('INVALID_PAYLOAD');
  });

  it('refuses an oversized batch as PAYLOAD_TOO_LARGE', async () => {
    const predictions = Array.from({ length: Limits.MAX_PREDICTIONS_PER_CALL + 1 }, () => validPrediction);
    const error = await refused({ action: 'record_predictions', predictions });
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    const prices = Array.from({ length: Limits.MAX_PRICES_PER_CALL + 1 }, () => validPrice);
    expect((await refused({ action: 'record_prices', prices })).code).toBe('PAYLOAD_TOO_LARGE');
    // Any over-long top-level list is an oversized payload (the shared rule), filters included.
    const symbols = Array.from({ length: 101 }, () => 'A');
    expect((await refused({ action: 'validate_all', symbols })).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('caps the number of issues so a bad 5 000-item batch gives a short answer', async () => {
    const predictions = Array.from({ length: 500 }, () => ({ ...validPrediction, confidence: 3 }));
    const error = await refused({ action: 'record_predictions', predictions });
    expect(error.issues.length).toBeLessThanOrEqual(20);
  });
});
