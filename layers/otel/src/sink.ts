import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where a line of telemetry goes: stdout (Lambda → CloudWatch Logs), stderr, a local file, or memory. */
export interface LineSink {
  write(line: string): void;
}

/** stdout bypassing `console`, so Lambda's JSON log format does not wrap EMF or our own JSON logs. */
export const stdoutSink: LineSink = { write: (line) => void process.stdout.write(`${line}\n`) };
export const stderrSink: LineSink = { write: (line) => void process.stderr.write(`${line}\n`) };

export function fileSink(path: string): LineSink {
  let prepared = false;
  return {
    write(line) {
      if (!prepared) {
        mkdirSync(dirname(path), { recursive: true });
        prepared = true;
      }
      appendFileSync(path, `${line}\n`);
    },
  };
}

/** Keeps lines in memory: used by tests to read what would have been written. */
export class MemorySink implements LineSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  json<T = Record<string, unknown>>(): T[] {
    return this.lines.map((line) => JSON.parse(line) as T);
  }
  clear(): void {
    this.lines.length = 0;
  }
}
