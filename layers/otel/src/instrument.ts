import { type Attributes, context as otelContext, SpanKind, trace } from '@opentelemetry/api';
import type { Context } from 'aws-lambda';
import { Attr } from './constants';
import { runWithLogContext } from './logger';
import type { SamplingCategory } from './sampling/types';
import { type TelemetryScope, withTelemetryScope } from './scope';
import { getTelemetry, markError } from './telemetry';

let coldStart = true;

/** What `app.action` says when the event names no action of the function's (free text never reaches a span). */
export const UNKNOWN_ACTION = 'unknown' as const;

export interface InstrumentOptions {
  /** Span name of the invocation's root span. @default the function name from the Lambda context */
  readonly spanName?: string;
  /** Extra attributes derived from the event (must not contain PII; they are scrubbed anyway). */
  readonly attributesFromEvent?: (event: unknown) => Attributes;
  /**
   * The telemetry scope of the invocation (e.g. its data partition), root span included. Metrics the layer
   * records at flush (span volumes: what tracing really costs) stay outside it.
   */
  readonly scope?: (event: unknown) => TelemetryScope;
  /**
   * The function's action names. The event's `actionField` is recorded as `app.action` when it is one of
   * them, as `unknown` otherwise. @default none: no `app.action` is recorded
   */
  readonly actions?: readonly string[];
  /** The event field that names the action. @default 'action' */
  readonly actionField?: string;
  /**
   * The sampling category of the invocation span by its action (`app.action`): the function's vocabulary,
   * which the layer does not know. An action not listed is categorised by the layer's generic rules.
   */
  readonly categoryByAction?: Readonly<Record<string, SamplingCategory>>;
  /**
   * How the function's result reads as an outcome (`app.result.ok`, `app.error.code` on the invocation
   * span). @default no annotation: the layer does not know the function's result shape
   */
  readonly resultOutcome?: (result: unknown) => ResultOutcome | undefined;
}

/** An invocation's outcome as the function reports it. */
export interface ResultOutcome {
  readonly ok: boolean;
  /** The function's error code for a failed result (no PII: it is a span attribute). */
  readonly errorCode?: string;
}

export type LambdaHandler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

function eventAttributes(event: unknown, known: ReadonlySet<string> | undefined, field: string): Attributes {
  const record = event !== null && typeof event === 'object' ? (event as Record<string, unknown>) : undefined;
  const attributes: Attributes = {};
  if (known) {
    const action = record?.[field];
    attributes[Attr.ACTION] = typeof action === 'string' && known.has(action) ? action : UNKNOWN_ACTION;
  }
  attributes[Attr.FAAS_TRIGGER] =
    typeof record?.scheduledTime === 'string' || record?.source === 'aws.scheduler' ? 'timer' : 'other';
  return attributes;
}

/**
 * Wraps a Lambda handler: opens the invocation span (faas.* attributes, cold start), puts request
 * context on every log line, records a thrown error on the span, and flushes spans and metrics
 * before the invocation returns, within the export bound. Telemetry failures never reach the caller.
 */
export function instrument<TEvent, TResult>(
  handler: LambdaHandler<TEvent, TResult>,
  options: InstrumentOptions = {},
): LambdaHandler<TEvent, TResult> {
  // Created now, so that the provider's set-up is paid at cold init rather than by the first call, and the
  // sampling configuration and ingestion key reads start while the rest of the function loads.
  getTelemetry().warmUp();
  const knownActions = options.actions ? new Set(options.actions) : undefined;
  const actionField = options.actionField ?? 'action';
  return async (event, lambdaContext) => {
    const active = getTelemetry();
    const isColdStart = coldStart;
    coldStart = false;
    await active.beginInvocation();
    const functionName = lambdaContext?.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'handler';
    let attributes: Attributes = {
      [Attr.FAAS_COLDSTART]: isColdStart,
      [Attr.FAAS_INVOCATION_ID]: lambdaContext?.awsRequestId ?? '',
      'faas.name': functionName,
      ...eventAttributes(event, knownActions, actionField),
    };
    if (lambdaContext?.invokedFunctionArn) attributes['cloud.resource_id'] = lambdaContext.invokedFunctionArn;
    const action = attributes[Attr.ACTION];
    const category = typeof action === 'string' ? options.categoryByAction?.[action] : undefined;
    if (category !== undefined) attributes[Attr.SAMPLING_CATEGORY] = category;
    try {
      attributes = { ...attributes, ...options.attributesFromEvent?.(event) };
    } catch {
      // A failing attribute extractor only loses attributes.
    }
    const logContext = {
      function_name: functionName,
      request_id: lambdaContext?.awsRequestId,
      cold_start: isColdStart,
    };
    let scope: TelemetryScope = {};
    try {
      scope = options.scope?.(event) ?? {};
    } catch {
      // A failing scope extractor only loses the scope.
    }
    return runWithLogContext(logContext, async () => {
      try {
        return await withTelemetryScope(scope, async () => {
          const span = active.tracer.startSpan(options.spanName ?? functionName, {
            kind: SpanKind.SERVER,
            attributes,
          });
          try {
            const result = await otelContext.with(trace.setSpan(otelContext.active(), span), () =>
              handler(event, lambdaContext),
            );
            annotateResult(span, result, options.resultOutcome);
            return result;
          } catch (error) {
            markError(span, error);
            active.logger.error('invocation failed', {}, error);
            throw error;
          } finally {
            span.end();
          }
        });
      } finally {
        await active.flush({ 'faas.name': functionName });
      }
    });
  };
}

function annotateResult(
  span: ReturnType<typeof trace.getActiveSpan> & object,
  result: unknown,
  outcomeOf: InstrumentOptions['resultOutcome'],
): void {
  if (!outcomeOf) return;
  try {
    const outcome = outcomeOf(result);
    if (!outcome) return;
    span.setAttribute(Attr.RESULT_OK, outcome.ok);
    if (!outcome.ok && outcome.errorCode !== undefined)
      span.setAttribute(Attr.ERROR_CODE, outcome.errorCode.slice(0, 64));
  } catch {
    // A failing outcome reader only loses the annotation.
  }
}
