/** sampling-optimizer Lambda: parse → service → result. Configuration is read on the first invocation. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { instrument } from '@trading-observability/otel';
import { INSTRUMENT_OPTIONS } from '../shared/instrumentation';
import { partitionScope } from '../shared/partition';
import { parsePayload } from '../shared/response';
import { storeContext } from '../shared/store';
import { loadOptimizerConfig, MetricsSource } from './config';
import { OPTIMIZER_ACTIONS, optimizerPayloadSchema } from './schemas';
import { type OptimizerDeps, runAction } from './service';
import { cloudWatchVolumeReader, fileVolumeReader } from './volumes';

// One client per execution environment (the region comes from the Lambda runtime), built on the first
// CloudWatch read: `status` and `history` never read CloudWatch.
let cloudWatch: CloudWatchClient | undefined;
const cloudWatchClient = (): CloudWatchClient => {
  cloudWatch ??= new CloudWatchClient({ maxAttempts: 3 });
  return cloudWatch;
};

let deps: OptimizerDeps | undefined;

function getDeps(): OptimizerDeps {
  if (!deps) {
    const config = loadOptimizerConfig(process.env);
    const { app } = config;
    const accuracyThresholdPct = app.accuracyAlertThreshold * 100;
    deps = {
      store: storeContext(app, app.samplingConfigTable),
      settings: config,
      volumes:
        config.metricsSource === MetricsSource.FILE
          ? fileVolumeReader({
              file: config.localMetricsFile,
              serviceName: config.serviceName,
              accuracyThresholdPct,
              partition: app.namespace,
            })
          : cloudWatchVolumeReader({
              client: cloudWatchClient,
              serviceName: config.serviceName,
              accuracyThresholdPct,
              partition: app.namespace,
            }),
      now: () => new Date(),
    };
  }
  return deps;
}

export const handler = instrument(
  async (event: unknown) => {
    const parsed = parsePayload(optimizerPayloadSchema, event, OPTIMIZER_ACTIONS);
    if (!parsed.ok) return parsed;
    return runAction(getDeps(), parsed.value);
  },
  {
    ...INSTRUMENT_OPTIONS,
    actions: OPTIMIZER_ACTIONS,
    // The root span and everything under it say which data partition the invocation works in.
    scope: () => partitionScope(getDeps().store.namespace),
  },
);
