/**
 * When one call fails, the map still waits for the calls in flight before it rejects: their spans end inside the
 * invocation (flushed with it), not after it returned (left to the next invocation's flush, or lost).
 */
import { mapWithConcurrency } from '../../../../lambdas/dual-accuracy-tracker/concurrency';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapWithConcurrency when a call fails', () => {
  it('rejects with the first failure only after every call in flight has settled', async () => {
    const finished: number[] = [];
    const run = mapWithConcurrency([0, 1, 2], 3, async (value) => {
      if (value === 0) {
        await tick(1);
        throw new Error('batch 0 failed');
      }
      await tick(30 * value);
      finished.push(value);
      return value;
    });
    await expect(run).rejects.toThrow('batch 0 failed');
    // Both slower calls had finished when the rejection arrived.
    expect(finished.sort()).toEqual([1, 2]);
  });

  it('starts nothing new after a failure (the answer is a failure anyway)', async () => {
    const started: number[] = [];
    const run = mapWithConcurrency([0, 1, 2, 3], 2, async (value) => {
      started.push(value);
      await tick(value === 0 ? 1 : 20);
      if (value === 0) throw new Error('first');
      return value;
    });
    await expect(run).rejects.toThrow('first');
    // Nothing was left running to start more after the answer.
    await tick(60);
    expect(started).toEqual([0, 1]);
  });

  it('reports the first failure when several fail', async () => {
    const run = mapWithConcurrency([0, 1], 2, async (value) => {
      await tick(value === 0 ? 1 : 10);
      throw new Error(`failure ${value}`);
    });
    await expect(run).rejects.toThrow('failure 0');
  });
});
