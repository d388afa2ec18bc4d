/**
 * The two ways a step runs. Either way its telemetry is in the demo's data partition (partitionScope)
 * and stamped with the replayed instant it stands for (the scope's time shift), so SigNoz shows the
 * replayed days, and its root span names the step (`demo.step`).
 */
import {
  Attr,
  getTelemetry,
  instrument,
  type Span,
  SpanStatusCode,
  type TelemetryScope,
  withTelemetryScope,
} from '@trading-observability/otel';
import type { Context } from 'aws-lambda';
import { categoryAttributes, INSTRUMENT_OPTIONS } from '../../shared/instrumentation';
import { partitionScope } from '../../shared/partition';
import { createRng } from '../replay/rng';
import { DemoAttr, type InvokeStep, type StepCall } from './steps';

/** The scope of a step: the partition, and the shift that moves "now" to the replayed instant. */
export function stepScope(namespace: string, call: StepCall, now: number = Date.now()): TelemetryScope {
  return { ...partitionScope(namespace), timeShiftMs: Date.parse(call.at) - now };
}

/**
 * Locally (`npm run demo`): each step is one invocation of its function — its own root span, trace,
 * sampling decision and flush — as production's would be. The OpenTelemetry SDK draws trace ids from
 * Math.random and the sampler decides from the trace id: reseeded per invocation (the root span draws
 * first), the same seed samples the same traces whatever else draws in between, so the spans file is
 * reproducible too.
 */
export function stepAsInvocation(options: {
  readonly namespace: string;
  readonly seed: number;
  readonly context: (functionName: string) => Context;
}): InvokeStep {
  let invocations = 0;
  return (call, run) => {
    const rng = createRng(options.seed).fork('trace-ids', invocations++);
    Math.random = () => rng.next();
    const handler = instrument(async (_event: unknown) => run(), {
      ...INSTRUMENT_OPTIONS,
      // The step's action is the code's own (the story's), so it is recorded as app.action as the function's is.
      actions: [call.action],
      scope: () => stepScope(options.namespace, call),
      attributesFromEvent: () => ({ [DemoAttr.STEP]: call.id }),
    });
    return handler({ action: call.action }, options.context(call.fn));
  };
}

/**
 * In the observability-demo Lambda: each step is the root of its own trace, named after the action it
 * stands for, as if it were its own invocation: the sampler decides per step (as in production), so one
 * high-value ranking does not force thousands of validation spans of the same demo invocation into the
 * export, and a step's failure is recorded on its span.
 */
export function stepAsTrace(namespace: string): InvokeStep {
  return (call, run) =>
    withTelemetryScope(stepScope(namespace, call), () =>
      getTelemetry().tracer.startActiveSpan(
        `demo.${call.action}`,
        { root: true, attributes: { ...stepAttributes(call), ...categoryAttributes(call.action) } },
        async (span: Span) => {
          try {
            return await run();
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
          } finally {
            span.end();
          }
        },
      ),
    );
}

/** Root-span attributes of a step run in-process (the Lambda): which function's action it stands for. */
export function stepAttributes(call: Pick<StepCall, 'fn' | 'action' | 'id'>): Record<string, string> {
  return { [Attr.ACTION]: call.action, [DemoAttr.FUNCTION]: call.fn, [DemoAttr.STEP]: call.id };
}
