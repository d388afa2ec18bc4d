/**
 * `npm run dashboards [outDir]`: writes the four SigNoz dashboards (generated from
 * lambdas/shared/dashboards) to `dashboards/` or the given directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildDashboards, renderDashboardFiles } from '../lambdas/shared/dashboards';

function main(): void {
  const outDir = resolve(process.argv[2] ?? join(__dirname, '..', 'dashboards'));
  mkdirSync(outDir, { recursive: true });
  const files = renderDashboardFiles();
  for (const [file, content] of Object.entries(files)) writeFileSync(join(outDir, file), content);
  const dashboards = Object.values(buildDashboards());
  const widgets = dashboards.reduce((n, d) => n + d.widgets.length, 0);
  const where = relative(process.cwd(), outDir) || '.';
  console.log(`Wrote ${dashboards.length} SigNoz dashboards (${widgets} widgets) to ${where}/:`);
  for (const d of dashboards) console.log(`  ${d.title.padEnd(20)} ${d.widgets.length} widgets`);
}

main();
