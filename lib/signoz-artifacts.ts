import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderDashboardFiles } from '../lambdas/shared/dashboards';

/** Folder of the cloud assembly that holds the SigNoz dashboards (the deploy artifact analysts import). */
export const SIGNOZ_ARTIFACT_DIR = 'signoz-dashboards';

/** Writes the four SigNoz dashboards next to the synthesized templates; returns the files written. */
export function writeSignozDashboards(assemblyDir: string): string[] {
  const dir = path.join(assemblyDir, SIGNOZ_ARTIFACT_DIR);
  mkdirSync(dir, { recursive: true });
  return Object.entries(renderDashboardFiles()).map(([file, text]) => {
    const target = path.join(dir, file);
    writeFileSync(target, text);
    return target;
  });
}
