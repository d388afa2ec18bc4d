/**
 * The load test (scripts/load-test.ts) at a fifth of its size: 1 000 record_predictions calls from 20
 * concurrent clients through the local Invoke endpoint on loopback, then validate_all counts every
 * prediction exactly once. The store is in memory here (the script's default is on disk, as `npm run local`);
 * `tsx scripts/load-test.ts` runs the full 5 000 and prints the figures.
 */
import { formatReport, percentile, runLoadTest } from '../../../scripts/load-test';

jest.setTimeout(120_000);

describe('load test of the local invoke endpoint', () => {
  it('takes 1 000 concurrent record_predictions calls without a failure, and loses or doubles none', async () => {
    const report = await runLoadTest({
      requests: 1000,
      concurrency: 20,
      timeLimitMs: 90_000,
      inMemory: true,
    });
    process.stdout.write(`${formatReport(report)}\n`);
    expect(report).toMatchObject({
      requests: 1000,
      completed: 1000,
      failures: 0,
      timedOut: false,
      validated: 1000,
      pending: 0,
      lost: 0,
      doubled: 0,
    });
    expect(report.latencyMs.p50).toBeGreaterThan(0);
    expect(report.latencyMs.p95).toBeGreaterThanOrEqual(report.latencyMs.p50);
  });

  it('reports nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});
