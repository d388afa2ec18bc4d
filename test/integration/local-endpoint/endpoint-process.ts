/**
 * `npm run local` as a child process on a free port (`--port 0`; the URL is read from what it prints), with
 * its own data directory, so tests never touch the developer's `.local/`. The child runs in its own process
 * group and is stopped with SIGTERM (then SIGKILL after a bound), so nothing it started outlives the test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..', '..');
const LISTENING = /listening on (http:\/\/\S+)/;

export interface EndpointProcess {
  readonly url: string;
  readonly pid: number;
  /** Everything the child printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM to the group, wait (bounded), SIGKILL if needed. Resolves with how it ended. */
  stop(): Promise<{ graceful: boolean }>;
}

export interface EndpointProcessOptions {
  readonly dataDir: string;
  /** Extra environment for the child (e.g. a deliberately bad function configuration). */
  readonly env?: Record<string, string>;
  readonly startTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startEndpointProcess(options: EndpointProcessOptions): Promise<EndpointProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCAL_DATA_DIR: options.dataDir,
    // Spans and metrics go to the data directory (jest's setup turns telemetry off for in-process tests).
    TELEMETRY_MODE: 'local',
    // Every span kept: the tests read spans.jsonl, and with sampling on, a run whose few traces all fell below
    // their probability left no file (seen about once in seven full runs).
    OTEL_TRACES_SAMPLER: 'always_on',
    ...options.env,
  };
  delete env.TELEMETRY_LOCAL_SPANS_FILE;
  delete env.TELEMETRY_LOCAL_METRICS_FILE;
  delete env.LOCAL_LAMBDA_PORT;

  const child = spawn('npm', ['run', '--silent', 'local', '--', '--port', '0'], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('npm run local could not be started');
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });

  const stop = async (): Promise<{ graceful: boolean }> => {
    signalGroup(pid, 'SIGTERM');
    const graceful = await waitForExit(child, options.stopTimeoutMs ?? 20_000);
    // npm may exit before its grandchildren; wait for the whole group, then make sure of it.
    const deadline = Date.now() + 5_000;
    while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pid)) {
      signalGroup(pid, 'SIGKILL');
      return { graceful: false };
    }
    return { graceful };
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(`npm run local did not listen within ${options.startTimeoutMs ?? 60_000} ms:\n${output}`),
      );
    }, options.startTimeoutMs ?? 60_000);
    const onData = () => {
      const match = LISTENING.exec(output);
      if (match?.[1]) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`npm run local exited (${code}) before listening:\n${output}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  return { url, pid, output: () => output, stop };
}

export { groupAlive };
