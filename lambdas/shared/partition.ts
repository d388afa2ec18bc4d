/**
 * Data partitions: `live` is production's data; any other (the demo's `demo`) is kept apart in the store
 * (key prefix), in telemetry (spans and log lines say which partition, metrics of a non-live partition
 * carry their own dimension) and in alerting (no alarm reads a non-live metric).
 */
import { type TelemetryScope, withTelemetryScope } from '@trading-observability/otel';

export const DataPartition = { LIVE: 'live', DEMO: 'demo' } as const;
export type DataPartition = (typeof DataPartition)[keyof typeof DataPartition];

/** Span attribute and log field naming the partition, on live telemetry too (the dashboards filter by it). */
export const PARTITION_ATTRIBUTE = 'data.partition';
/**
 * Metric dimension naming a non-live partition. Live metrics do not carry it, so they keep the exact
 * dimension sets the alarms read, and no datapoint of another partition can fall on them.
 */
export const PARTITION_DIMENSION = 'DataPartition';

export function isLivePartition(namespace: string): boolean {
  return namespace === DataPartition.LIVE;
}

/** The telemetry scope of work done in `namespace`'s partition. */
export function partitionScope(namespace: string): TelemetryScope {
  return isLivePartition(namespace)
    ? { attributes: { [PARTITION_ATTRIBUTE]: namespace } }
    : {
        attributes: { [PARTITION_ATTRIBUTE]: namespace },
        metricDimensions: { [PARTITION_DIMENSION]: namespace },
      };
}

/**
 * An action that runs in its data partition's telemetry scope, whoever calls it (the handler, the demo's story,
 * a test): its spans and log lines say which partition, and a non-live partition's metrics carry
 * `DataPartition`, so no alarm reads them.
 */
export function inPartitionOf<D, A extends unknown[], R>(
  namespaceOf: (deps: D) => string,
  action: (deps: D, ...args: A) => R,
): (deps: D, ...args: A) => R {
  return (deps, ...args) =>
    withTelemetryScope(partitionScope(namespaceOf(deps)), () => action(deps, ...args));
}
