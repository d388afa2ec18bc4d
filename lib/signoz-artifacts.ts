import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderDashboardFiles } from '../lambdas/shared/dashboards';

/** Folder of the cloud assembly that holds the SigNoz dashboards (the deploy artifact analysts import). */
export const SIGNOZ_ARTIFACT_DIR = 'signoz-dashboards';

/** Writes every dashboard file (`v5/*.json`, `v6/*.json`) under `dir`; returns the files written. */
export function writeDashboardFiles(dir: string): string[] {
  return Object.entries(renderDashboardFiles()).map(([file, text]) => {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    return target;
  });
}

/** Writes the four SigNoz dashboards, in both formats, next to the synthesized templates. */
export function writeSignozDashboards(assemblyDir: string): string[] {
  return writeDashboardFiles(path.join(assemblyDir, SIGNOZ_ARTIFACT_DIR));
}
