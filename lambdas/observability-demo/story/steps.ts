/**
 * The story's steps: each is one invocation of a function's action at a replayed instant, recorded for
 * the report (timings, details) and, when it failed or did something high-value, remembered by its id so
 * the report can look its trace up among the exported spans.
 */
import type { FunctionName } from '../../shared/names/functions';
import type { StepReport } from './types';

/** Span attributes the demo puts on each step's root span. */
export const DemoAttr = {
  /** The step's id, unique within a run: how the report finds the step's trace. */
  STEP: 'demo.step',
  /** The function whose action the step stands for (in the Lambda, where every step runs in-process). */
  FUNCTION: 'demo.function',
} as const;

/** One step: an action of a function, at the replayed instant whose telemetry it stamps. */
export interface StepCall {
  readonly fn: FunctionName;
  readonly action: string;
  readonly id: string;
  /** ISO instant the step stands for (spans, logs and metrics carry it). */
  readonly at: string;
}

/** Runs one step as its own invocation (local) or as the root of its own trace (Lambda). */
export type InvokeStep = <T>(call: StepCall, run: () => Promise<T>) => Promise<T>;

export interface StoryProgress {
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

export class StepRecorder {
  readonly steps: StepReport[] = [];
  constructor(private readonly onStep?: (step: StepReport) => void) {}

  /** Times a named part of the story (many invocations) and reports it with details. */
  async run<T>(
    name: string,
    fn: () => Promise<T>,
    details: (value: T) => Record<string, unknown> = () => ({}),
  ): Promise<T> {
    const started = performance.now();
    const value = await fn();
    const step = { name, ms: Math.round(performance.now() - started), ...details(value) };
    this.steps.push(step);
    this.onStep?.(step);
    return value;
  }
}

/** Steps whose traces must be exported whole: those that failed, and those with a high-value outcome. */
export class KeptStepLedger {
  readonly errors: string[] = [];
  readonly highValue: string[] = [];
  error(id: string): void {
    this.errors.push(id);
  }
  valuable(id: string): void {
    this.highValue.push(id);
  }
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
