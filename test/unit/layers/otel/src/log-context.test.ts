import { initTelemetry, instrument, logger, MemorySink } from '../../../../../layers/otel/src';
import { lambdaContext } from '../../../../../scripts/local/runtime';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('log context of overlapping invocations (one process serving several, as npm run local does)', () => {
  it('stamps each log line with its own invocation and nothing once the invocation is over', async () => {
    const logs = new MemorySink();
    initTelemetry({ config: { mode: 'off', logLevel: 'INFO' }, logSink: logs, spanSink: new MemorySink() });
    const handler = instrument(async (event: { id: string; delayMs: number }) => {
      logger.info('started', { id: event.id });
      await sleep(event.delayMs);
      logger.info('finished', { id: event.id });
      return { ok: true };
    });
    const slow = lambdaContext('dual-accuracy-tracker');
    const fast = lambdaContext('trading-intelligence');
    await Promise.all([
      handler({ id: 'slow', delayMs: 50 }, slow),
      handler({ id: 'fast', delayMs: 5 }, fast),
    ]);
    logger.info('outside any invocation');

    const lines = logs.json();
    for (const line of lines.filter((entry) => entry.id === 'slow')) {
      expect(line).toMatchObject({ request_id: slow.awsRequestId, function_name: 'dual-accuracy-tracker' });
    }
    for (const line of lines.filter((entry) => entry.id === 'fast')) {
      expect(line).toMatchObject({ request_id: fast.awsRequestId, function_name: 'trading-intelligence' });
    }
    expect(lines.filter((entry) => entry.id !== undefined)).toHaveLength(4);
    expect(lines.at(-1)).not.toHaveProperty('request_id');
  });
});
