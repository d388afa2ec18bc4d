import { type SignozDashboard, toClassic } from './classic';
import { costOptimizationDashboard } from './cost-optimization';
import { marketOverviewDashboard } from './market-overview';
import { mlPerformanceDashboard } from './ml-performance';
import { type NativeDashboard, toNative } from './native';
import { tradingSignalsDashboard } from './trading-signals';
import type { DashboardDefinition } from './types';

export * from './builder';
export * from './classic';
export * from './native';
export * from './sql';
export * from './types';
export * from './variables';

/** Dashboard key → its file name, under `dashboards/v5/` (classic) and `dashboards/v6/` (native). */
export const DASHBOARD_FILES = {
  'ml-performance': 'ml-performance.json',
  'trading-signals': 'trading-signals.json',
  'market-overview': 'market-overview.json',
  'cost-optimization': 'cost-optimization.json',
} as const;
export type DashboardKey = keyof typeof DASHBOARD_FILES;

/** The two formats written, each in its own folder. */
export const DashboardFormat = { CLASSIC: 'v5', NATIVE: 'v6' } as const;
export type DashboardFormat = (typeof DashboardFormat)[keyof typeof DashboardFormat];

/** The four dashboards' definitions (pure, deterministic). */
export function buildDashboardDefinitions(): Record<DashboardKey, DashboardDefinition> {
  return {
    'ml-performance': mlPerformanceDashboard(),
    'trading-signals': tradingSignalsDashboard(),
    'market-overview': marketOverviewDashboard(),
    'cost-optimization': costOptimizationDashboard(),
  };
}

const mapValues = <T, U>(record: Record<DashboardKey, T>, fn: (value: T) => U): Record<DashboardKey, U> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value as T)])) as Record<
    DashboardKey,
    U
  >;

/** The four dashboards as SigNoz classic JSON (`"version": "v5"`). */
export function buildDashboards(): Record<DashboardKey, SignozDashboard> {
  return mapValues(buildDashboardDefinitions(), toClassic);
}

/** The four dashboards as SigNoz native v6 (Perses) bodies. */
export function buildNativeDashboards(): Record<DashboardKey, NativeDashboard> {
  return mapValues(buildDashboardDefinitions(), toNative);
}

/** The exact text committed (2-space JSON, trailing newline). */
export const serializeDashboard = (dashboard: SignozDashboard | NativeDashboard): string =>
  `${JSON.stringify(dashboard, null, 2)}\n`;

/** Relative path (`v5/<file>`, `v6/<file>`) → content: what `npm run dashboards` and the CDK app write. */
export function renderDashboardFiles(): Record<string, string> {
  const definitions = buildDashboardDefinitions();
  const files: Record<string, string> = {};
  for (const [key, file] of Object.entries(DASHBOARD_FILES) as [DashboardKey, string][]) {
    files[`${DashboardFormat.CLASSIC}/${file}`] = serializeDashboard(toClassic(definitions[key]));
  }
  for (const [key, file] of Object.entries(DASHBOARD_FILES) as [DashboardKey, string][]) {
    files[`${DashboardFormat.NATIVE}/${file}`] = serializeDashboard(toNative(definitions[key]));
  }
  return files;
}
