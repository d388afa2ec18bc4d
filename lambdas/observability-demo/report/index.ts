/**
 * The demo's readable text report: aligned tables, formatted numbers, no timings (so two runs with the
 * same seed print the same report; timings go to the progress lines).
 */
import type { DemoResult } from '../story/types';
import { accuracySection, sessionsSection } from './accuracy';
import { failuresSection, samplingSection } from './sampling';
import { fmt, section, table } from './text';
import { tradingSection } from './trading';

export { fmt, table, wrap } from './text';

export interface ReportFiles {
  readonly dashboardsDir?: string;
  readonly spansFile?: string;
  readonly metricsFile?: string;
  readonly logsFile?: string;
  readonly storeDir?: string;
}

function headerSection(result: DemoResult): string {
  const w = result.workload;
  return section(
    'trading-observability demo',
    [
      `  demo_type ${result.demo_type}, data partition "${result.namespace}", seed ${result.seed}`,
      `  clock fixed at ${fmt.et(result.clock.now)} (end of the last completed NYSE trading day)`,
      ...(w
        ? [
            `  ${w.symbols.length} symbols (${w.symbols.join(', ')}), models ${w.models.join(', ')}`,
            `  ${w.tradingDays} trading days ${w.firstDay} … ${w.lastDay}: ${fmt.int(w.prices)} prices, ${fmt.int(w.predictions)} predictions`,
            '',
            table(w.sources, [
              { header: 'symbol', value: (s) => s.symbol, align: 'left' },
              { header: 'real prices from', value: (s) => s.file, align: 'left' },
              { header: 'real dates replayed', value: (s) => s.realDates, align: 'left' },
            ]),
          ]
        : []),
    ].join('\n'),
  );
}

/** The whole report as text (sections present in the result only). */
export function formatReport(result: DemoResult, files: ReportFiles = {}): string {
  const out: string[] = [headerSection(result)];
  if (result.failures && result.failures.length > 0) out.push(failuresSection(result.failures));
  if (result.accuracy) out.push(accuracySection(result.accuracy));
  if (result.trading) out.push(tradingSection(result.trading));
  if (result.sessions) out.push(sessionsSection(result.sessions));
  if (result.sampling) out.push(samplingSection(result.sampling));
  const d = result.dashboards;
  if (d) {
    const dir = files.dashboardsDir ? `${files.dashboardsDir}/` : '';
    out.push(
      section(
        'Can analysts see it? (SigNoz dashboards)',
        [
          `  ${d.count} dashboards, ${d.widgets} widgets, each as native v6 (SigNoz ≥ v0.135) and classic v5`,
          table(d.files, [
            { header: 'native v6', value: (f) => `${dir}v6/${f.file}`, align: 'left' },
            { header: 'classic v5', value: (f) => `${dir}v5/${f.file}`, align: 'left' },
            { header: 'title', value: (f) => f.title, align: 'left' },
            { header: 'widgets', value: (f) => fmt.int(f.widgets) },
          ]),
          `  In SigNoz, set the partition variable to "${result.namespace}" to see this run's replayed days.`,
        ].join('\n'),
      ),
    );
  }
  const written = [
    files.spansFile && `  spans (OTLP JSON lines, as the layer exports them, sampled): ${files.spansFile}`,
    files.metricsFile && `  metrics (CloudWatch EMF lines): ${files.metricsFile}`,
    files.logsFile && `  log lines (JSON, the replayed time and data partition on each): ${files.logsFile}`,
    files.storeDir && `  embedded DynamoDB (data partition "${result.namespace}"): ${files.storeDir}`,
    files.dashboardsDir &&
      `  SigNoz dashboards: ${files.dashboardsDir}/{v6,v5}/*.json (import in SigNoz, or npm run dashboards:verify)`,
  ].filter((line): line is string => typeof line === 'string');
  if (written.length > 0) out.push(section('Files', written.join('\n')));
  return `${out.join('\n\n')}\n`;
}
