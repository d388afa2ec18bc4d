/** The four SigNoz dashboards: counts, and the JSON itself (both formats) when asked for. */
import {
  buildDashboardDefinitions,
  DASHBOARD_FILES,
  type DashboardKey,
  toClassic,
  toNative,
} from '../../shared/dashboards';
import type { DashboardsReport } from './types';

export function dashboardsReport(withJson: boolean): DashboardsReport {
  const definitions = buildDashboardDefinitions();
  const keys = Object.keys(DASHBOARD_FILES) as DashboardKey[];
  const files = keys.map((key) => ({
    file: DASHBOARD_FILES[key],
    title: definitions[key].title,
    widgets: definitions[key].widgets.length,
  }));
  return {
    count: files.length,
    widgets: files.reduce((sum, file) => sum + file.widgets, 0),
    files,
    ...(withJson
      ? {
          json: Object.fromEntries(
            keys.map((key) => [key, { v5: toClassic(definitions[key]), v6: toNative(definitions[key]) }]),
          ),
        }
      : {}),
  };
}
