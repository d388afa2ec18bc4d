/**
 * Shared set-up of the reliability suites: the embedded store with the handlers pointed at it, a count of
 * every item in every table, and a counter of the write commands the product's store client sends.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { documentClient } from '../../lambdas/shared/store';
import { TABLES } from '../../lambdas/shared/store/tables';
import { initTelemetry, MemorySink, type Telemetry } from '../../layers/otel/src';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../scripts/local/embedded-dynamo';
import { loadHandler, PROJECT_ROOT } from '../../scripts/local/runtime';
import { countPages } from './count-pages';

export type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

/** DynamoDB operations that change a table (as named in the middleware context: the low-level commands). */
const WRITE_COMMAND = /^(BatchWriteItem|PutItem|UpdateItem|DeleteItem|TransactWriteItems)Command$/;

export interface WriteCounter {
  /** Write commands sent since the counter was installed. */
  readonly writes: number;
  /** Every command sent (names), for diagnostics. */
  readonly commands: readonly string[];
  remove(): void;
}

/**
 * Counts the write commands going through `client` (inside the SDK's stack, so each retry attempt is not
 * counted twice: the counter sits before the retry middleware, one count per `send`).
 */
export function countWrites(client: DynamoDBDocumentClient, name = 'reliabilityWriteCounter'): WriteCounter {
  const state = { writes: 0, commands: [] as string[] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? '');
      state.commands.push(command);
      if (WRITE_COMMAND.test(command)) state.writes += 1;
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    get writes() {
      return state.writes;
    },
    get commands() {
      return state.commands;
    },
    remove: () => {
      client.middlewareStack.remove(name);
    },
  };
}

/** Every item in every product table (a test's scan, not the product's query path). */
export async function countItems(client: DynamoDBDocumentClient): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of Object.values(TABLES)) {
    counts[table.id] = await countPages((start) =>
      client.send(new ScanCommand({ TableName: table.localName, Select: 'COUNT', ExclusiveStartKey: start })),
    );
  }
  return counts;
}

/** Telemetry kept in memory (nothing written to .local/, no sampling-table reads against real AWS). */
export function memoryTelemetry(): {
  telemetry: Telemetry;
  spans: MemorySink;
  logs: MemorySink;
  metrics: MemorySink;
} {
  const spans = new MemorySink();
  const logs = new MemorySink();
  const metrics = new MemorySink();
  const telemetry = initTelemetry({
    config: { mode: 'off', samplingConfigTable: undefined, logLevel: 'WARN' },
    spanSink: spans,
    logSink: logs,
    metricsSink: metrics,
  });
  return { telemetry, spans, logs, metrics };
}

export interface ReliabilityStore {
  readonly store: EmbeddedDynamo;
  /** The product's own document client for the embedded endpoint (the one the handlers use). */
  readonly client: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/**
 * Starts the embedded store and points the handlers' configuration at it; call before loading handlers
 * (they read their configuration on the first invocation, the layer at import).
 */
export async function startReliabilityStore(env: Record<string, string> = {}): Promise<ReliabilityStore> {
  const store = await startEmbeddedDynamo();
  Object.assign(process.env, store.env, env);
  return { store, client: documentClient(store.endpoint), stop: () => store.stop() };
}

/** The function's handler if its module exists yet (functions land while others work). */
export async function handlerIfPresent(name: string): Promise<AnyHandler | undefined> {
  if (!existsSync(path.join(PROJECT_ROOT, 'lambdas', name, 'handler.ts'))) return undefined;
  return (await loadHandler(name)) as AnyHandler;
}
