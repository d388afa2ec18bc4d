/**
 * The story's dependencies from the environment, read once: store contexts on the demo partition, the
 * tracker/trading/optimizer configuration, and where the optimizer reads span volumes. Shared by the
 * Lambda handler and `npm run demo`, which differ in how a step is invoked and in whether the exported
 * spans can be read back (locally they land in a file).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { loadOptimizerConfig, MetricsSource } from '../sampling-optimizer/config';
import { cloudWatchVolumeReader, fileVolumeReader } from '../sampling-optimizer/volumes';
import { DataPartition, isLivePartition } from '../shared/partition';
import { type StoreContext, storeContext } from '../shared/store';
import { loadTradingConfig } from '../trading-intelligence/config';
import type { InvokeStep, StoryDeps } from './story';

// One client per execution environment, created only where CloudWatch is read (not in local runs).
let cloudWatch: CloudWatchClient | undefined;

function cloudWatchClient(): CloudWatchClient {
  cloudWatch ??= new CloudWatchClient({ maxAttempts: 3 });
  return cloudWatch;
}

export interface StoryDepsOptions {
  /** How a step runs, given the partition the demo writes to. */
  readonly invoke: (namespace: string) => InvokeStep;
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: StoryDeps['onProgress'];
  readonly onStep?: StoryDeps['onStep'];
  readonly workload?: StoryDeps['workload'];
  readonly exportedSpans?: StoryDeps['exportedSpans'];
}

/** The partition the demo writes to: the configured one, never the live one. */
export function demoNamespace(configured: string): string {
  return isLivePartition(configured) ? DataPartition.DEMO : configured;
}

export function loadStoryDeps(options: StoryDepsOptions): StoryDeps {
  const env = options.env ?? process.env;
  const trading = loadTradingConfig(env);
  const optimizer = loadOptimizerConfig(env);
  const app = trading.app;
  // Never the live partition: the demo's data and sampling configuration stay apart from production's.
  const namespace = demoNamespace(app.namespace);
  const context = (table: string): StoreContext => storeContext(app, table, namespace);
  const accuracyThresholdPct = app.accuracyAlertThreshold * 100;
  const volumes =
    optimizer.metricsSource === MetricsSource.FILE
      ? fileVolumeReader({
          file: optimizer.localMetricsFile,
          serviceName: optimizer.serviceName,
          accuracyThresholdPct,
          partition: namespace,
        })
      : cloudWatchVolumeReader({
          client: cloudWatchClient,
          serviceName: optimizer.serviceName,
          accuracyThresholdPct,
          partition: namespace,
        });
  return {
    market: context(app.marketTable),
    rankings: context(app.rankingsTable),
    sampling: context(app.samplingConfigTable),
    tracker: app,
    trading,
    optimizer,
    volumes,
    clock: () => new Date(),
    invoke: options.invoke(namespace),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
    ...(options.workload ? { workload: options.workload } : {}),
    ...(options.exportedSpans ? { exportedSpans: options.exportedSpans } : {}),
  };
}
