/**
 * dual-accuracy-tracker: record predictions and prices, validate them (dual accuracy, calibration,
 * alerts), report summaries. Thin: configuration and clients here, the actions in service.ts.
 */
import { instrument } from '@trading-observability/otel';
import type { Context } from 'aws-lambda';
import { type AppConfig, loadConfig } from '../shared/config';
import { INSTRUMENT_OPTIONS } from '../shared/instrumentation';
import { partitionScope } from '../shared/partition';
import { type StoreContext, storeContext } from '../shared/store';
import { TRACKER_ACTIONS } from './schemas';
import { handleTrackerEvent, type TrackerResult } from './service';

let environment: { config: AppConfig; store: StoreContext } | undefined;

/** Configuration and the store context, read once per execution environment (on the first invocation). */
function trackerEnvironment(): { config: AppConfig; store: StoreContext } {
  if (!environment) {
    const config = loadConfig();
    environment = {
      config,
      store: storeContext(config, config.marketTable),
    };
  }
  return environment;
}

export const handler = instrument(
  async (event: unknown, context: Context): Promise<TrackerResult> => {
    const { config, store } = trackerEnvironment();
    return handleTrackerEvent(
      { store, config, now: () => new Date(), requestId: context?.awsRequestId ?? `local-${Date.now()}` },
      event,
    );
  },
  {
    ...INSTRUMENT_OPTIONS,
    actions: TRACKER_ACTIONS,
    // The root span and everything under it say which data partition the invocation works in.
    scope: () => partitionScope(trackerEnvironment().store.namespace),
  },
);
