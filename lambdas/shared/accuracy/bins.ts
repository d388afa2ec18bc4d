/**
 * Calibration bins and the log-loss clip, shared by the per-group sums and the figures
 * (conventions in metrics.ts).
 */

export const CALIBRATION_BIN_COUNT = 10;
/** np.finfo(np.float64).eps, scikit-learn's clip for log loss. */
export const LOG_LOSS_EPSILON = Number.EPSILON;

/** Inner bin edges as float64 `np.linspace(0, 1, 11)` produces them (i * 0.1, not i / 10). */
const EDGES: readonly number[] = Array.from({ length: CALIBRATION_BIN_COUNT + 1 }, (_, i) =>
  i === CALIBRATION_BIN_COUNT ? 1 : i * 0.1,
);

/**
 * Calibration bin of a confidence: the number of inner edges strictly below it (searchsorted
 * 'left'), so bins are (edge_b, edge_b+1] and 0 → bin 0, 0.1 → bin 0, 1 → bin 9.
 */
export function calibrationBin(confidence: number): number {
  // ceil(10c) − 1 is right up to one step of rounding; the exact edges settle it.
  let b = Math.ceil(confidence * CALIBRATION_BIN_COUNT) - 1;
  if (b < 0) b = 0;
  else if (b > CALIBRATION_BIN_COUNT - 1) b = CALIBRATION_BIN_COUNT - 1;
  if (b > 0 && confidence <= (EDGES[b] as number)) b--;
  else if (b < CALIBRATION_BIN_COUNT - 1 && confidence > (EDGES[b + 1] as number)) b++;
  return b;
}
