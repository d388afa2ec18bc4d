import { AsyncLocalStorage } from 'node:async_hooks';
import { trace } from '@opentelemetry/api';
import { LogLevel } from './config';
import { scrubText, scrubValue } from './pii';
import { currentScope } from './scope';
import type { LineSink } from './sink';

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 100 };

/**
 * The invocation's log context (request id, function, cold start), scoped to its async call tree, so that
 * overlapping invocations in one process (the local endpoint) never stamp each other's request id.
 */
const invocationLogContext = new AsyncLocalStorage<Readonly<Record<string, unknown>>>();

export function runWithLogContext<T>(context: Readonly<Record<string, unknown>>, fn: () => T): T {
  return invocationLogContext.run(context, fn);
}

export interface LoggerOptions {
  readonly service: string;
  readonly level: LogLevel;
  readonly sink: LineSink;
  readonly scrub: boolean;
}

/**
 * A structured JSON logger: one JSON object per line with level, message, service, the invocation's
 * context (request id, cold start, function) and the active span's trace and span ids, so that a log
 * line links to its trace in SigNoz. Context and messages go through the PII scrubber.
 */
export class Logger {
  private persistent: Record<string, unknown> = {};

  constructor(private options: LoggerOptions) {}

  configure(options: Partial<LoggerOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** Keys added to every line until `clearContext()` (the handler wrapper sets request id etc.). */
  appendContext(context: Record<string, unknown>): void {
    this.persistent = { ...this.persistent, ...context };
  }

  clearContext(): void {
    this.persistent = {};
  }

  debug(message: string, context?: Record<string, unknown>): void {
    this.log(LogLevel.DEBUG, message, context);
  }
  info(message: string, context?: Record<string, unknown>): void {
    this.log(LogLevel.INFO, message, context);
  }
  warn(message: string, context?: Record<string, unknown>): void {
    this.log(LogLevel.WARN, message, context);
  }
  error(message: string, context?: Record<string, unknown> | Error, error?: unknown): void {
    if (context instanceof Error) this.log(LogLevel.ERROR, message, undefined, context);
    else this.log(LogLevel.ERROR, message, context, error);
  }

  isEnabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.options.level] && this.options.level !== LogLevel.SILENT;
  }

  private log(level: LogLevel, message: string, context?: Record<string, unknown>, error?: unknown): void {
    if (!this.isEnabled(level)) return;
    try {
      const spanContext = trace.getActiveSpan()?.spanContext();
      const scope = currentScope();
      const entry: Record<string, unknown> = {
        timestamp: new Date(Date.now() + (scope.timeShiftMs ?? 0)).toISOString(),
        level,
        service: this.options.service,
        message,
        ...this.persistent,
        ...invocationLogContext.getStore(),
        ...context,
        // Last, so a line written inside a scope (e.g. a data partition) always says so.
        ...scope.attributes,
      };
      if (error !== undefined) entry.error = describeError(error);
      const safe = this.options.scrub ? (scrubValue(entry) as Record<string, unknown>) : entry;
      if (this.options.scrub && typeof safe.message === 'string') safe.message = scrubText(safe.message);
      // Ids the SDK generated are never personal data: added after scrubbing, so they always link to the trace.
      if (spanContext) {
        safe.trace_id = spanContext.traceId;
        safe.span_id = spanContext.spanId;
      }
      this.options.sink.write(JSON.stringify(safe));
    } catch {
      // Logging must never throw into business code.
    }
  }
}

export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const described: Record<string, unknown> = {
      type: error.name,
      message: error.message,
      stack: error.stack,
    };
    if (error.cause !== undefined) described.cause = describeError(error.cause);
    return described;
  }
  return { message: String(error) };
}
