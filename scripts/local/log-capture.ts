/**
 * The invocation's log lines (what the handler writes to stdout/stderr while it runs), kept per invocation
 * through async context so that concurrent invocations do not see each other's lines, and the log tail
 * Lambda returns for `--log-type Tail`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EXECUTED_VERSION, InvokeLimits } from './invoke-protocol';

export const logCapture = new AsyncLocalStorage<string[]>();
let captureInstalls = 0;
let restoreStreams: (() => void) | undefined;

export function installLogCapture(): () => void {
  captureInstalls += 1;
  if (captureInstalls === 1) {
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((stream) => stream.write);
    for (const [index, stream] of streams.entries()) {
      const original = originals[index] as typeof stream.write;
      stream.write = function capturingWrite(this: typeof stream, chunk: unknown, ...rest: unknown[]) {
        const lines = logCapture.getStore();
        if (lines)
          lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof stream.write;
    }
    restoreStreams = () => {
      for (const [index, stream] of streams.entries()) stream.write = originals[index] as typeof stream.write;
    };
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    captureInstalls -= 1;
    if (captureInstalls === 0) {
      restoreStreams?.();
      restoreStreams = undefined;
    }
  };
}

/** START / the handler's lines / END / REPORT, as CloudWatch Logs shows an invocation; the last 4 KB, base64. */
export function logTail(requestId: string, lines: readonly string[], durationMs: number): string {
  const text =
    `START RequestId: ${requestId} Version: ${EXECUTED_VERSION}\n` +
    lines.join('') +
    `END RequestId: ${requestId}\n` +
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms\t` +
    `Max Memory Used: ${Math.round(process.memoryUsage().rss / 1_048_576)} MB\t\n`;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - InvokeLimits.LOG_TAIL_BYTES)).toString('base64');
}
