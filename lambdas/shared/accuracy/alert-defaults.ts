/**
 * The defaults of the evidence-gated alerts, in a module of their own (no imports): the configuration schema and
 * the alert rules (lib) read them without pulling the accuracy maths into every function's bundle.
 */

export const AccuracyAlertDefaults = {
  /**
   * Below this many matched predictions a group never alerts. Per group (a model, a symbol) the rule is tested
   * many times a day: at 30, a healthy symbol's last, half-empty window of the session (42 validations) paged
   * once in the backtest's 60 days; at 60 none did over six seeds, and every degradation is still paged as fast
   * (its windows hold 90–540) — docs/alert-quality.md.
   */
  minSampleForAlert: 60,
  /** Hit rate the models must (significantly) stay above. */
  alertThreshold: 0.6,
} as const;

export const CalibrationAlertDefaults = {
  /** ECE above this (0–1) is drift: confidence no longer matches how often the model is right. */
  eceThreshold: 0.15,
  /**
   * Below this many matched predictions a group never raises a calibration alert. The ECE of a small sample is
   * biased upwards (≈ 0.08 for a calibrated group of 60 in 10 bins, now and then above 0.15): with a minimum of
   * 50 the backtest's per-symbol groups raised 10 false warnings in 15 days, with 100–200 none
   * (docs/alert-quality.md); 150 keeps a margin for many groups.
   */
  minSampleForAlert: 150,
} as const;
