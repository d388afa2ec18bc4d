import { createRng, hashSeed } from '../../../../../lambdas/observability-demo/replay';

const take = (seed: number | string, count: number) => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
};

describe('createRng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(take(42, 100)).toEqual(take(42, 100));
    expect(take(42, 100)).not.toEqual(take(43, 100));
    expect(take('demo', 10)).toEqual(take('demo', 10));
  });

  it('pins the first values so the stream never changes silently across refactors', () => {
    expect(take(42, 3).map((value) => Number(value.toFixed(8)))).toEqual([
      0.23955313, 0.58592099, 0.09323416,
    ]);
    expect(Number(createRng(42).normal().toFixed(8))).toBe(-0.63481547);
    expect(createRng(42).seed).toBe(42);
    expect(createRng('demo').seed).toBe(3820972890);
  });

  it('draws uniforms in [0, 1) with the right moments', () => {
    const values = take(7, 100_000);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean).toBeCloseTo(0.5, 2);
  });

  it('draws standard normals by Box–Muller', () => {
    const rng = createRng(11);
    const values = Array.from({ length: 100_000 }, () => rng.normal());
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(Math.sqrt(variance) - 1)).toBeLessThan(0.015);
    expect(values.filter((value) => Math.abs(value) > 1.96).length / values.length).toBeCloseTo(0.05, 2);
    expect(createRng(11).normal(10, 0)).toBe(10);
  });

  it('draws integers in range and bernoulli with probability p', () => {
    const rng = createRng(5);
    const ints = Array.from({ length: 10_000 }, () => rng.int(3, 7));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6]));
    const hits = Array.from({ length: 20_000 }, () => rng.bernoulli(0.3)).filter(Boolean).length;
    expect(hits / 20_000).toBeCloseTo(0.3, 1.5);
    expect(rng.bernoulli(1)).toBe(true);
    expect(rng.bernoulli(0)).toBe(false);
  });

  it('forks streams from the seed and labels, not from the current position', () => {
    const a = createRng(42);
    const b = createRng(42);
    for (let index = 0; index < 17; index++) b.next();
    expect(a.fork('x', 1).next()).toBe(b.fork('x', 1).next());
    expect(a.fork('x', 1).next()).not.toBe(a.fork('x', 2).next());
    expect(hashSeed('a', 'bc')).not.toBe(hashSeed('ab', 'c'));
  });
});
