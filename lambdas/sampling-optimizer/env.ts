/** The optimizer's own environment variables (no imports: the CDK wiring reads these names too). */
export const OptimizerEnv = {
  /** Volume window in minutes (5..1440). @default 15 */
  WINDOW_MINUTES: 'SAMPLING_WINDOW_MINUTES',
  /** Window over which the accuracy signal is read (minutes, ≥ the volume window). @default 60 */
  ACCURACY_LOOKBACK_MINUTES: 'SAMPLING_ACCURACY_LOOKBACK_MINUTES',
  /** Share of the budget aimed at. @default 0.8 */
  TARGET_FRACTION: 'SAMPLING_TARGET_FRACTION',
  /** Dead band around the target. @default 0.1 */
  DEAD_BAND: 'SAMPLING_DEAD_BAND',
  /** Per-category floors, `trading=0.1,ml_validation=0.05,…` (the rest keep their defaults). */
  FLOORS: 'SAMPLING_FLOORS',
  /** `cloudwatch` (GetMetricData) or `file` (the layer's local EMF file). @default file when DYNAMODB_ENDPOINT is set */
  METRICS_SOURCE: 'SAMPLING_METRICS_SOURCE',
  /** The EMF file read by the `file` source. @default the layer's local metrics file (TELEMETRY_LOCAL_METRICS_FILE) */
  LOCAL_METRICS_FILE: 'LOCAL_METRICS_FILE',
} as const;

export const MetricsSource = { CLOUDWATCH: 'cloudwatch', FILE: 'file' } as const;
export type MetricsSource = (typeof MetricsSource)[keyof typeof MetricsSource];
