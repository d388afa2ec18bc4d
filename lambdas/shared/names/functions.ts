/** The product's functions (deployed names, before the optional `namePrefix`). */
export const FUNCTION_NAMES = [
  'dual-accuracy-tracker',
  'trading-intelligence',
  'sampling-optimizer',
  'observability-demo',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];
