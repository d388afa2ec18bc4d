/**
 * Runs one benchmark child: a fresh process that writes its JSON report on file descriptor 3 (stdout stays
 * free for what the code under test prints), and reads the report back once the child has exited.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ScriptError, ScriptErrorCode } from '../errors';

export interface ChildReport<T> {
  readonly report: T;
  /** From spawn to exit, as the parent saw it. */
  readonly wallMs: number;
}

export interface ChildOptions {
  /** The `node` binary. @default the bench's own */
  readonly node?: string;
  /** Arguments before the file (e.g. `--expose-gc`). */
  readonly nodeArgs?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Names the child in a failure. */
  readonly label: string;
  /** Whether the parsed report says the run failed (the child's own error message, or true). */
  readonly failed?: (report: unknown) => string | boolean;
}

/** The child's parsed report; rejects with its stderr's start when it exits non-zero or reports a failure. */
export function runReportingChild<T>(file: string, options: ChildOptions): Promise<ChildReport<T>> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), file], {
      env: options.env,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let report = '';
    let errors = '';
    (child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      report += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      try {
        const parsed = JSON.parse(report.trim() || '{}') as unknown;
        const failure = options.failed?.(parsed) ?? false;
        if (code !== 0 || failure) {
          throw new Error(typeof failure === 'string' ? failure : `exit code ${code}`);
        }
        resolve({ report: parsed as T, wallMs });
      } catch (error) {
        const message = `${options.label} failed: ${(error as Error).message} ${errors.slice(0, 800)}`;
        reject(new ScriptError(ScriptErrorCode.BENCH_CHILD_FAILED, message, { cause: error }));
      }
    });
  });
}

/** A driver's report saying `{ ok: false, error }` (or no `ok`) is a failed run. */
export function notOk(report: unknown): string | boolean {
  const { ok, error } = report as { ok?: boolean; error?: string };
  return ok === true ? false : (error ?? true);
}
