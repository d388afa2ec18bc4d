/**
 * Seeded pseudo-random numbers for reproducible workloads: sfc32 (Chris Doty-Humphrey's Small Fast
 * Counter, PractRand-clean, 128-bit state) seeded through splitmix32, with normals by Box–Muller.
 * Not for cryptography. `fork(...labels)` derives an independent stream from the original seed and
 * the labels (not from the current position), so e.g. a symbol's replay does not change when
 * another symbol is added to the workload.
 */

export type Seed = number | string;

export interface Rng {
  /** The seed this stream was created from (after hashing). */
  readonly seed: number;
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Integer uniform in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number;
  /** Normal by Box–Muller (the second variate of each pair is kept for the next call). */
  normal(mean?: number, sd?: number): number;
  /** True with probability p (p clamped to [0, 1]). */
  bernoulli(p: number): boolean;
  /** An independent stream derived from this stream's seed and the labels. */
  fork(...labels: readonly (string | number)[]): Rng;
}

/** 32-bit FNV-1a over the parts (joined with a separator that cannot occur in numbers), mixed by splitmix32. */
export function hashSeed(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = parts.map(String).join('\u001f');
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return splitmix32(hash >>> 0)();
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

function normaliseSeed(seed: Seed): number {
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)
    return seed >>> 0;
  return hashSeed(String(seed));
}

/** A seeded generator: the same seed gives the same sequence on every platform. */
export function createRng(seed: Seed): Rng {
  const base = normaliseSeed(seed);
  const init = splitmix32(base);
  const raw = sfc32(init(), init(), init(), init());
  for (let warmUp = 0; warmUp < 12; warmUp++) raw();
  let spare: number | null = null;

  const rng: Rng = {
    seed: base,
    next: raw,
    uniform: (min, max) => min + (max - min) * raw(),
    int: (min, maxExclusive) => min + Math.floor((maxExclusive - min) * raw()),
    normal(mean = 0, sd = 1) {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return mean + sd * value;
      }
      // 1 - u keeps the logarithm's argument in (0, 1].
      const radius = Math.sqrt(-2 * Math.log(1 - raw()));
      const angle = 2 * Math.PI * raw();
      spare = radius * Math.sin(angle);
      return mean + sd * radius * Math.cos(angle);
    },
    bernoulli: (p) => raw() < Math.min(1, Math.max(0, p)),
    fork: (...labels) => createRng(hashSeed(base, ...labels)),
  };
  return rng;
}
