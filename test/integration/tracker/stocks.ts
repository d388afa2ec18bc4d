/**
 * A real price series for the tracker's integration tests: vega-datasets' stocks.csv (monthly closes of
 * MSFT, AMZN, IBM, GOOG, AAPL, 2000–2010), each symbol's points laid onto recent times so that a
 * 7-day validation window holds them. Predictions come from a seeded generator, so runs are repeatable.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const STOCKS_CSV = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'node_modules',
  'vega-datasets',
  'data',
  'stocks.csv',
);

/** symbol → closes in file (time) order. */
export function readStocks(): Map<string, number[]> {
  const lines = readFileSync(STOCKS_CSV, 'utf8').trim().split(/\r?\n/);
  const header = lines.shift();
  if (header !== 'symbol,date,price') throw new Error(`unexpected stocks.csv header: ${header}`);
  const series = new Map<string, number[]>();
  for (const [index, line] of lines.entries()) {
    const [symbol, , text] = line.split(',');
    const price = Number(text);
    if (!symbol || !(price > 0)) throw new Error(`stocks.csv line ${index + 2} is not symbol,date,price`);
    let list = series.get(symbol);
    if (!list) {
      list = [];
      series.set(symbol, list);
    }
    list.push(price);
  }
  return series;
}

export interface PricePoint {
  symbol: string;
  timestamp: string;
  price: number;
}

export interface PredictionPoint {
  symbol: string;
  model: string;
  predictedAt: string;
  targetTime: string;
  basePrice: number;
  predictedPrice: number;
  confidence: number;
}

/** Park–Miller LCG: tiny, seeded, deterministic. */
export function lcg(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

/** Each symbol's closes, one point every `stepMinutes`, starting at `start` (ms). */
export function layPrices(series: Map<string, number[]>, start: number, stepMinutes: number): PricePoint[] {
  const prices: PricePoint[] = [];
  for (const [symbol, closes] of series) {
    closes.forEach((price, i) => {
      prices.push({ symbol, timestamp: new Date(start + i * stepMinutes * 60_000).toISOString(), price });
    });
  }
  return prices;
}

/**
 * For every price point but the last, a prediction made at that point for `horizonMinutes` later by each
 * model. `skill` is the probability that the model calls the next move's direction right (from the real
 * next close); confidence is noisy around the skill, so calibration figures are non-trivial.
 */
export function predictionsFor(
  prices: readonly PricePoint[],
  models: Readonly<Record<string, number>>,
  horizonMinutes: number,
  seed: number,
): PredictionPoint[] {
  const random = lcg(seed);
  const bySymbol = new Map<string, PricePoint[]>();
  for (const p of prices) bySymbol.set(p.symbol, [...(bySymbol.get(p.symbol) ?? []), p]);
  const predictions: PredictionPoint[] = [];
  for (const [symbol, points] of bySymbol) {
    for (let i = 0; i + 1 < points.length; i++) {
      const now = points[i] as PricePoint;
      const next = points[i + 1] as PricePoint;
      const up = next.price >= now.price;
      for (const [model, skill] of Object.entries(models)) {
        const right = random() < skill;
        const goesUp = right ? up : !up;
        const move = 0.002 + random() * 0.03;
        predictions.push({
          symbol,
          model,
          predictedAt: now.timestamp,
          targetTime: new Date(Date.parse(now.timestamp) + horizonMinutes * 60_000).toISOString(),
          basePrice: now.price,
          predictedPrice: Math.round(now.price * (goesUp ? 1 + move : 1 - move) * 100) / 100,
          confidence: Math.round(Math.min(1, Math.max(0, skill + (random() - 0.5) * 0.4)) * 1000) / 1000,
        });
      }
    }
  }
  return predictions;
}
