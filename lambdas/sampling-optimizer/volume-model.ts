/**
 * The optimizer's volume model per category (see optimizer.ts): from the window's started and exported
 * bytes B and X at the current probability p, the always-kept bytes K = (X − p·B) / (1 − p), clamped to
 * [0, B]; the projection at a new probability q is K + q·(B − K).
 */
import { SAMPLING_CATEGORIES, type SamplingCategory } from '@trading-observability/otel';
import type { OptimizerInput } from './optimizer';
import { clamp, isProbability, type OptimizerPolicy, type Probabilities } from './policy';

export interface Model {
  readonly started: number;
  readonly exported: number;
  readonly startedBytes: number;
  readonly exportedBytes: number;
  readonly kept: number;
  readonly controllable: number;
}

export const projected = (model: Model, q: number) => model.kept + q * model.controllable;

function nonNegative(value: unknown, label: string, warnings: string[]): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  warnings.push(`${label} ${String(value)} is not a non-negative number; read as 0`);
  return 0;
}

/** The current probabilities (bad ones read as the baseline, with a warning) and each category's model. */
export function volumeModels(
  input: Pick<OptimizerInput, 'current' | 'volumes'>,
  policy: OptimizerPolicy,
  warnings: string[],
): { from: Probabilities; models: Record<SamplingCategory, Model> } {
  const from = {} as Probabilities;
  const models = {} as Record<SamplingCategory, Model>;
  for (const category of SAMPLING_CATEGORIES) {
    const given: unknown = input.current.probabilities?.[category];
    const fallback = policy.baseline[category];
    if (isProbability(given)) from[category] = given;
    else {
      warnings.push(`current probability of ${category} ${String(given)} is invalid; read as ${fallback}`);
      from[category] = fallback;
    }
    const volume = input.volumes[category] ?? {};
    const started = nonNegative(volume.startedSpans, `${category}.startedSpans`, warnings);
    const exported = nonNegative(volume.exportedSpans, `${category}.exportedSpans`, warnings);
    const startedBytes = nonNegative(volume.startedBytes, `${category}.startedBytes`, warnings);
    // Exported spans carry a few more attributes than at start; for the model they cannot exceed B.
    const exportedBytes = nonNegative(volume.exportedBytes, `${category}.exportedBytes`, warnings);
    const p = from[category];
    const cappedExported = Math.min(exportedBytes, startedBytes);
    const kept = p >= 1 ? 0 : clamp((cappedExported - p * startedBytes) / (1 - p), 0, startedBytes);
    models[category] = {
      started,
      exported,
      startedBytes,
      exportedBytes,
      kept,
      controllable: startedBytes - kept,
    };
  }
  return { from, models };
}
