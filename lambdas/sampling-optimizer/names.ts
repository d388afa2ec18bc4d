/** Attribute names of the sampling-optimizer's spans (the dashboards read them; span names: shared/names/spans). */
export const OptimizerAttr = {
  ESTIMATED_COST_PER_DAY: 'sampling.estimated_cost_per_day',
  COST_PER_DAY_BEFORE: 'sampling.cost_per_day_before',
  BUDGET_PER_DAY: 'sampling.budget_per_day',
  CONFIG_VERSION: 'sampling.config_version',
  CHANGED: 'sampling.changed',
  DRY_RUN: 'sampling.dry_run',
  VOLUME_REDUCTION_PCT: 'sampling.volume_reduction_pct',
  ACCURACY_DEGRADED: 'sampling.accuracy_degraded',
  MODE: 'sampling.optimizer_mode',
} as const;
