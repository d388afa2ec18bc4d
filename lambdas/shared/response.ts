import type * as z from './zod';

/** Error codes of `ok:false` results (the contract for scripts that call the functions). */
export const ErrorCode = {
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  UNKNOWN_ACTION: 'UNKNOWN_ACTION',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  NOT_FOUND: 'NOT_FOUND',
  DEPENDENCY_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
  /** A time in a year the NYSE calendar does not hold (it refuses to guess holidays). */
  CALENDAR_OUT_OF_RANGE: 'CALENDAR_OUT_OF_RANGE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
  readonly code: string;
}

export interface Failure {
  readonly ok: false;
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly issues: ValidationIssue[] };
}

export type Success<T extends object> = { readonly ok: true } & T;

export function ok<T extends object>(body: T): Success<T> {
  return { ok: true, ...body };
}

export function fail(code: ErrorCode, message: string, issues: ValidationIssue[] = []): Failure {
  return { ok: false, error: { code, message, issues } };
}

/** At most this many issues are returned, so a 5 000-item bad batch does not produce a 5 000-line answer. */
const MAX_ISSUES = 20;

export function toIssues(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
    code: issue.code,
  }));
}

/** A short rendering of a caller's value; never throws (a JavaScript caller may pass a BigInt or a cycle). */
function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 80) ?? 'nothing';
  } catch {
    return `a ${typeof value} that is not JSON`;
  }
}

/**
 * Validates a payload against its action's schema. Unknown actions are reported as such (with the list
 * of known ones), everything else as INVALID_PAYLOAD with the schema's issues.
 */
export function parsePayload<S extends z.ZodMiniType>(
  schema: S,
  event: unknown,
  knownActions: readonly string[],
  discriminator = 'action',
): { ok: true; value: z.output<S> } | Failure {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    return fail(ErrorCode.INVALID_PAYLOAD, 'the payload must be a JSON object', [
      {
        path: '(root)',
        message: `expected an object, got ${Array.isArray(event) ? 'array' : typeof event}`,
        code: 'invalid_type',
      },
    ]);
  }
  const action = (event as Record<string, unknown>)[discriminator];
  if (typeof action !== 'string' || !knownActions.includes(action)) {
    return fail(ErrorCode.UNKNOWN_ACTION, `"${discriminator}" must be one of: ${knownActions.join(', ')}`, [
      {
        path: discriminator,
        message: `got ${describeValue(action)}`,
        code: 'invalid_value',
      },
    ]);
  }
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    const issues = toIssues(parsed.error);
    // Only an oversized top-level list (a batch) makes the payload too large; any other upper bound
    // (lookback_days: 366, a long string) is an invalid value.
    const tooBig = parsed.error.issues.some(
      (issue) => issue.code === 'too_big' && issue.origin === 'array' && issue.path.length === 1,
    );
    return fail(
      tooBig ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.INVALID_PAYLOAD,
      `invalid ${action} payload: ${issues.length} problem${issues.length === 1 ? '' : 's'}, nothing was written`,
      issues,
    );
  }
  return { ok: true, value: parsed.data };
}
