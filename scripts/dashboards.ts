/**
 * `npm run dashboards [outDir]`: writes the four SigNoz dashboards (generated from
 * lambdas/shared/dashboards) to `dashboards/` or the given directory, in both formats:
 * `v5/` (classic JSON) and `v6/` (native Perses).
 */
import { join, relative, resolve } from 'node:path';
import { buildDashboardDefinitions } from '../lambdas/shared/dashboards';
import { writeDashboardFiles } from '../lib/signoz-artifacts';

function main(): void {
  const outDir = resolve(process.argv[2] ?? join(__dirname, '..', 'dashboards'));
  const written = writeDashboardFiles(outDir);
  const dashboards = Object.values(buildDashboardDefinitions());
  const widgets = dashboards.reduce((n, d) => n + d.widgets.length, 0);
  const where = relative(process.cwd(), outDir) || '.';
  console.log(
    `Wrote ${dashboards.length} SigNoz dashboards (${widgets} widgets) to ${where}/ as ${written.length} files:`,
  );
  for (const d of dashboards) console.log(`  ${d.title.padEnd(20)} ${d.widgets.length} widgets`);
  for (const file of written) console.log(`  ${relative(process.cwd(), file)}`);
}

main();
