/**
 * `npm run <script>` as a child process in its own process group, for tests of the local tools: run to the
 * end (`runNpmScript`), or started and killed with SIGKILL midway (`startNpmScript`). Node's own warnings are
 * off in the child (NODE_NO_WARNINGS), so stderr holds only what the tool itself says.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..');

export interface NpmScriptRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface NpmScriptProcess {
  readonly child: ChildProcess;
  /** SIGKILL to the whole group (npm, tsx, node): a kill -9, nothing runs after it. */
  kill(): void;
  done: Promise<NpmScriptRun>;
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: '1', ...env };
  // Adds tens of ms to every start of a child process (docs/benchmarks.md).
  delete merged.NODE_EXTRA_CA_CERTS;
  return merged;
}

export function startNpmScript(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): NpmScriptProcess {
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
    cwd: REPO_ROOT,
    env: childEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<NpmScriptRun>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    kill: () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
    done,
  };
}

export function runNpmScript(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<NpmScriptRun> {
  const run = startNpmScript(script, args, env);
  const timer = setTimeout(run.kill, timeoutMs);
  return run.done.finally(() => clearTimeout(timer));
}

/** The lines a person reads (empty lines dropped). */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
