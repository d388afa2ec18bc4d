/**
 * One embedded store, several local processes: the process holding the store (`npm run local`) publishes its
 * DynamoDB endpoint next to it, and `npm run invoke` started while it runs uses that endpoint
 * over loopback instead of opening the store a second time (LevelDB allows one process).
 *
 * The file `<store>.endpoint.json` says who holds the store and where it answers. A holder that died without
 * removing it (kill -9) leaves a stale file: it is only read when the store is locked, and then checked (the
 * process is alive and the endpoint answers) before it is used.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { StoreInUseError } from './embedded-dynamo';

export interface PublishedStore {
  /** The holder's process id. */
  readonly pid: number;
  /** Its embedded DynamoDB, http://127.0.0.1:<port>. */
  readonly dynamodb: string;
  /** Its Lambda Invoke API, when it serves one. */
  readonly invoke?: string;
}

/** How long a joining process waits for the holder's endpoint to answer. */
const PROBE_TIMEOUT_MS = 2_000;

export function publishedStoreFile(storePath: string): string {
  return `${path.resolve(storePath)}.endpoint.json`;
}

/** Publishes the store this process holds; the returned function removes the file (call it at stop). */
export function publishStore(storePath: string, store: Omit<PublishedStore, 'pid'>): () => void {
  const file = publishedStoreFile(storePath);
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, ...store })}\n`);
  return () => {
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as Partial<PublishedStore>;
      // Another holder may have published since (this one was presumed dead): leave its file alone.
      if (current.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What the holder of the store published, if anything (not checked: see `joinPublishedStore`). */
export function readPublishedStore(storePath: string): PublishedStore | undefined {
  try {
    const value = JSON.parse(readFileSync(publishedStoreFile(storePath), 'utf8')) as Partial<PublishedStore>;
    if (typeof value.pid !== 'number' || typeof value.dynamodb !== 'string') return undefined;
    if (!/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d+$/.test(value.dynamodb)) return undefined;
    return {
      pid: value.pid,
      dynamodb: value.dynamodb,
      ...(typeof value.invoke === 'string' ? { invoke: value.invoke } : {}),
    };
  } catch {
    return undefined;
  }
}

async function answers(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), {
      abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/**
 * The store another process holds and shares, checked to answer; otherwise a StoreInUseError whose message
 * is one line saying who holds it and what to do.
 */
export async function joinPublishedStore(storePath: string, cause: StoreInUseError): Promise<PublishedStore> {
  const published = readPublishedStore(storePath);
  const where = path.relative(process.cwd(), storePath) || '.';
  if (published && alive(published.pid) && (await answers(published.dynamodb))) return published;
  const holder = published && alive(published.pid) ? ` (pid ${published.pid}, not answering)` : '';
  throw new StoreInUseError(
    storePath,
    `the local store ${where} is held by another process${holder} that does not share it; ` +
      'stop that process, or use another store with LOCAL_DATA_DIR',
    { cause },
  );
}
