import { TrackerDefaults } from '../../lambdas/dual-accuracy-tracker/schemas';
import {
  AccuracyAlertDefaults,
  CalibrationAlertDefaults,
} from '../../lambdas/shared/accuracy/alert-defaults';
import { WatchlistDefaults } from '../../lambdas/shared/config';
/** The knobs of the alert rules (stack settings and context supply them; the backtest uses the defaults). */

export interface AlertParams {
  readonly serviceName: string;
  readonly tracingBudgetPerDay: number;
  /** Watched symbols: per-symbol metrics (dashboard) and the stale-market-data alarm per symbol. */
  readonly watchlist: readonly string[];
  /** Watched models: per-model metrics on the dashboard (every model pages through the alerting counts). */
  readonly modelWatchlist: readonly string[];
  /** No price for a watched symbol for longer than this in the regular session → warning. */
  readonly marketDataMaxLagMinutes: number;
  readonly accuracyThresholdPct: number;
  readonly accuracyMinSamples: number;
  readonly eceThreshold: number;
  readonly eceMinSamples: number;
  readonly keyMaxAgeDays: number;
  readonly latencyThresholdMs: number;
  readonly availabilityObjective: number;
  readonly latencyObjective: number;
}

/** Secrets Manager rotates the SigNoz ingestion key every this many days (lib/ingestion-key-rotation.ts). */
export const INGESTION_KEY_ROTATION_DAYS = 90;

export const DEFAULT_ALERT_PARAMS: AlertParams = {
  serviceName: 'stock_analytics',
  tracingBudgetPerDay: 60,
  watchlist: WatchlistDefaults.SYMBOLS,
  modelWatchlist: WatchlistDefaults.MODELS,
  marketDataMaxLagMinutes: 15,
  // The tracker's own defaults: the alarms and the tracker's `alerts` apply the same rule.
  accuracyThresholdPct: AccuracyAlertDefaults.alertThreshold * 100,
  accuracyMinSamples: AccuracyAlertDefaults.minSampleForAlert,
  eceThreshold: CalibrationAlertDefaults.eceThreshold,
  eceMinSamples: CalibrationAlertDefaults.minSampleForAlert,
  // Secrets Manager rotates on the due day at a random hour, so a key rotated on time can be up to a day older
  // than the interval; past that, the scheduled rotation has failed.
  keyMaxAgeDays: INGESTION_KEY_ROTATION_DAYS + 1,
  latencyThresholdMs: 500,
  availabilityObjective: 0.999,
  latencyObjective: 0.95,
};

/**
 * The accuracy and calibration rules' validation window (`lookbackMinutes`), the scheduled validate_all's
 * (≈ 360 validations at 12 a minute): only a run over this window without filters feeds the alarms' metrics.
 */
export const VALIDATION_LOOKBACK_MINUTES = TrackerDefaults.ALARM_LOOKBACK_MINUTES;

/** p95 Duration above this share of the function's timeout warns that invocations are close to timing out. */
export const DURATION_TIMEOUT_FRACTION = 0.8;
