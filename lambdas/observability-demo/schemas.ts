import * as z from '../shared/zod';

/** What the demo runs: everything, or one part of the story. */
export const DemoType = {
  FULL: 'full_demo',
  ACCURACY: 'accuracy',
  TRADING: 'trading',
  SAMPLING: 'sampling',
  DASHBOARDS: 'dashboards',
} as const;
export type DemoType = (typeof DemoType)[keyof typeof DemoType];
export const DEMO_TYPES: readonly DemoType[] = Object.values(DemoType);
/** The payload field that names the part (the demo's `action`). */
export const DEMO_TYPE_FIELD = 'demo_type' as const;

export const DemoLimits = {
  MAX_SEED: 0xffffffff,
  MIN_TRADING_DAYS: 6,
  MAX_TRADING_DAYS: 20,
} as const;

/** Options every part accepts: the workload's seed and size (defaults: seed 42, 10 trading days). */
const common = {
  seed: z.optional(z.number().check(z.int(), z.gte(0), z.lte(DemoLimits.MAX_SEED))),
  trading_days: z.optional(
    z.number().check(z.int(), z.gte(DemoLimits.MIN_TRADING_DAYS), z.lte(DemoLimits.MAX_TRADING_DAYS)),
  ),
};

export const demoPayloadSchema = z.discriminatedUnion(DEMO_TYPE_FIELD, [
  z.strictObject({ demo_type: z.literal(DemoType.FULL), ...common }),
  z.strictObject({ demo_type: z.literal(DemoType.ACCURACY), ...common }),
  z.strictObject({ demo_type: z.literal(DemoType.TRADING), ...common }),
  z.strictObject({ demo_type: z.literal(DemoType.SAMPLING), ...common }),
  z.strictObject({ demo_type: z.literal(DemoType.DASHBOARDS) }),
]);
export type DemoRequest = z.output<typeof demoPayloadSchema>;
