/**
 * Tracing cost projection (pure). SigNoz Cloud bills traces by GB ingested; the default price is its
 * list price for traces with 30-day retention, $0.40 per GB (https://signoz.io/pricing/, 2025; the
 * `TRACING_PRICE_PER_GB` setting overrides it). A GB is 10^9 bytes, as SigNoz bills it; the bytes are the
 * layer's estimate of each span's OTLP/JSON size (`SpanBytesStarted` / `SpanBytesExported`).
 */

export const SECONDS_PER_DAY = 86_400;
export const BYTES_PER_GB = 1e9;

/** SigNoz Cloud, traces, 30-day retention: $ per GB ingested (signoz.io/pricing). */
export const DEFAULT_PRICE_PER_GB = 0.4;
/** The spec's daily tracing budget (the cost alarm's threshold too). */
export const DEFAULT_BUDGET_PER_DAY = 60;

/**
 * Bytes per day at the rate observed in a window: bytes × 86 400 / windowSeconds. Null when the window
 * is not a positive finite length (no rate can be derived); negative or non-finite bytes count as 0.
 */
export function bytesPerDay(bytesInWindow: number, windowSeconds: number): number | null {
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) return null;
  const bytes = Number.isFinite(bytesInWindow) && bytesInWindow > 0 ? bytesInWindow : 0;
  return (bytes * SECONDS_PER_DAY) / windowSeconds;
}

/** $ per day: bytes/window × (86 400 / windowSeconds) / 10^9 × $/GB. Null when undefined (see `bytesPerDay`). */
export function projectedCostPerDay(
  bytesInWindow: number,
  windowSeconds: number,
  pricePerGb: number,
): number | null {
  const perDay = bytesPerDay(bytesInWindow, windowSeconds);
  if (perDay === null || !Number.isFinite(pricePerGb) || pricePerGb < 0) return null;
  return (perDay / BYTES_PER_GB) * pricePerGb;
}

/** Bytes a window may export so that the daily cost equals `costPerDay` (the inverse of the projection). */
export function bytesInWindowForCost(
  costPerDay: number,
  windowSeconds: number,
  pricePerGb: number,
): number | null {
  if (!Number.isFinite(costPerDay) || costPerDay < 0) return null;
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) return null;
  if (!Number.isFinite(pricePerGb) || pricePerGb <= 0) return null;
  return ((costPerDay / pricePerGb) * BYTES_PER_GB * windowSeconds) / SECONDS_PER_DAY;
}

/** Rounds money for reports: to the cent from $1, to 3 significant digits below (local runs cost fractions of a cent). */
export function roundMoney(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (Math.abs(value) >= 1) return Math.round(value * 100) / 100;
  return Number(value.toPrecision(3));
}

/** `$12.34/day`, or `$0.000123/day` below a cent. */
export function formatCostPerDay(value: number | null): string {
  const rounded = roundMoney(value);
  if (rounded === null) return 'n/a';
  return `$${Math.abs(rounded) >= 0.01 || rounded === 0 ? rounded.toFixed(2) : String(rounded)}/day`;
}
