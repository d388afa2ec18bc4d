/**
 * What invokes the function, validated at the edge: Secrets Manager's rotation steps
 * (`{Step, SecretId, ClientRequestToken, RotationToken?}`, as its Lambda rotation templates read them) and the
 * scheduled revocation sweep (`{"action":"revoke_retired"}`, from the EventBridge rule).
 */
import * as z from '../shared/zod';

export const RotationStep = {
  CREATE: 'createSecret',
  SET: 'setSecret',
  TEST: 'testSecret',
  FINISH: 'finishSecret',
} as const;
export type RotationStep = (typeof RotationStep)[keyof typeof RotationStep];

export const SWEEP_ACTION = 'revoke_retired' as const;

const rotationEvent = z.object({
  Step: z.enum([RotationStep.CREATE, RotationStep.SET, RotationStep.TEST, RotationStep.FINISH]),
  SecretId: z.string().check(z.minLength(1), z.maxLength(2048)),
  // Secrets Manager's version ids are 32–64 characters (a UUID when it generates them).
  ClientRequestToken: z.string().check(z.minLength(32), z.maxLength(64), z.regex(/^[A-Za-z0-9-]+$/)),
  RotationToken: z.optional(z.string().check(z.maxLength(1024))),
});
export type RotationEvent = z.infer<typeof rotationEvent>;

const sweepEvent = z.object({ action: z.literal(SWEEP_ACTION) });
export type SweepEvent = z.infer<typeof sweepEvent>;

export type InvocationEvent = RotationEvent | SweepEvent;

/**
 * The event, or the issues of the shape it claims to be (an `action` is a sweep, anything else a rotation
 * step), so the error names the field that is wrong rather than "no union member matched".
 */
export function parseInvocation(
  event: unknown,
): { success: true; data: InvocationEvent } | { success: false; issues: string[] } {
  const claimsSweep = typeof event === 'object' && event !== null && 'action' in event;
  const parsed = (claimsSweep ? sweepEvent : rotationEvent).safeParse(event);
  if (parsed.success) return { success: true, data: parsed.data };
  return {
    success: false,
    issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  };
}

export function isSweep(event: InvocationEvent): event is SweepEvent {
  return 'action' in event;
}
