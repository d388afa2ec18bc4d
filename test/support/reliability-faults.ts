/**
 * Fault injection helpers: AWS service errors shaped as the SDK raises them, a middleware that throttles
 * the real client's wire calls (inside the SDK's retry loop, so its retries are exercised), and a data set
 * of predictions with a price exactly at each target time (every one validates).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** An AWS error as the SDK's deserializer produces it (name = the service's error code). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, attempts: 1, totalRetryDelay: 0 },
  });
}

export const throttled = () =>
  awsError(
    'ProvisionedThroughputExceededException',
    'The level of configured provisioned throughput was exceeded',
  );

export interface WireThrottle {
  /** Attempts seen per command name (every attempt of the SDK's retry loop). */
  readonly attempts: Record<string, number>;
  /** Throttle errors thrown. */
  readonly thrown: number;
  remove(): void;
}

/**
 * Throws `error()` for the first `times` attempts of `commandName` on the wire: the middleware sits in the
 * deserialize step, inside the SDK's retry middleware, so the client's own retry strategy (maxAttempts 6)
 * sees a throttled response and retries with back-off.
 */
export function throttleOnWire(
  client: DynamoDBDocumentClient,
  commandName: string,
  times: number,
  error: () => Error = throttled,
  name = 'reliabilityWireThrottle',
): WireThrottle {
  const state = { attempts: {} as Record<string, number>, thrown: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? '');
      state.attempts[command] = (state.attempts[command] ?? 0) + 1;
      if (command === commandName && state.thrown < times) {
        state.thrown += 1;
        throw error();
      }
      return next(args);
    },
    { step: 'deserialize', name, priority: 'high' },
  );
  return {
    attempts: state.attempts,
    get thrown() {
      return state.thrown;
    },
    remove: () => {
      client.middlewareStack.remove(name);
    },
  };
}

export interface SettledPrediction {
  symbol: string;
  model: string;
  predictedAt: string;
  targetTime: string;
  basePrice: number;
  predictedPrice: number;
  confidence: number;
}

/**
 * `count` predictions due in the last days (distinct identities: symbol × model × hour) and one price at
 * each target time, so validate_all over 7 days counts every prediction exactly once and leaves none pending.
 */
export function settledWorkload(
  count: number,
  now = Date.now(),
  symbols: readonly string[] = ['AAPL', 'MSFT', 'IBM'],
): { predictions: SettledPrediction[]; prices: Array<{ symbol: string; timestamp: string; price: number }> } {
  const hour = 3_600_000;
  const base = Math.floor(now / hour) * hour - 2 * hour;
  const predictions: SettledPrediction[] = [];
  const prices = new Map<string, { symbol: string; timestamp: string; price: number }>();
  for (let i = 0; i < count; i++) {
    const symbol = symbols[i % symbols.length] as string;
    const model = `model-${Math.floor(i / symbols.length) % 2}`;
    const slot = Math.floor(i / (symbols.length * 2));
    const target = base - slot * hour;
    const targetTime = new Date(target).toISOString();
    const basePrice = 100 + (i % 7);
    predictions.push({
      symbol,
      model,
      predictedAt: new Date(target - 30 * 60_000).toISOString(),
      targetTime,
      basePrice,
      predictedPrice: basePrice + (i % 2 === 0 ? 1 : -1),
      confidence: 0.5 + (i % 5) / 10,
    });
    prices.set(`${symbol}@${targetTime}`, { symbol, timestamp: targetTime, price: basePrice + 0.5 });
  }
  return { predictions, prices: [...prices.values()] };
}
