import { costOptimizationDashboard } from './cost-optimization';
import { marketOverviewDashboard } from './market-overview';
import { mlPerformanceDashboard } from './ml-performance';
import { tradingSignalsDashboard } from './trading-signals';
import type { SignozDashboard } from './types';

export * from './builder';
export * from './sql';
export * from './types';
export * from './variables';

/** Dashboard key → the file it is written to under `dashboards/` (and `cdk.out`). */
export const DASHBOARD_FILES = {
  'ml-performance': 'ml-performance.json',
  'trading-signals': 'trading-signals.json',
  'market-overview': 'market-overview.json',
  'cost-optimization': 'cost-optimization.json',
} as const;
export type DashboardKey = keyof typeof DASHBOARD_FILES;

/** The four SigNoz dashboards, built from their typed definitions (pure, deterministic). */
export function buildDashboards(): Record<DashboardKey, SignozDashboard> {
  return {
    'ml-performance': mlPerformanceDashboard(),
    'trading-signals': tradingSignalsDashboard(),
    'market-overview': marketOverviewDashboard(),
    'cost-optimization': costOptimizationDashboard(),
  };
}

/** The exact text committed to `dashboards/<file>` (2-space JSON, trailing newline). */
export const serializeDashboard = (dashboard: SignozDashboard): string =>
  `${JSON.stringify(dashboard, null, 2)}\n`;

/** File name → content for every dashboard: what `npm run dashboards` and the CDK app write. */
export function renderDashboardFiles(): Record<string, string> {
  const dashboards = buildDashboards();
  const files: Record<string, string> = {};
  for (const [key, file] of Object.entries(DASHBOARD_FILES) as [DashboardKey, string][]) {
    files[file] = serializeDashboard(dashboards[key]);
  }
  return files;
}
