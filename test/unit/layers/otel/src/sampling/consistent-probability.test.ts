import { diag } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import fc from 'fast-check';
import {
  encodeThreshold,
  MAX_THRESHOLD,
  minPreparedThreshold,
  minThreshold,
  normalizeProbability,
  parseOtValue,
  parsePreparedOt,
  parseRandomValue,
  parseThreshold,
  preparedThresholdFor,
  prepareThreshold,
  probabilityToThreshold,
  randomHexFromTraceId,
  randomnessFromTraceId,
  randomnessOf,
  readPreparedOt,
  roundThresholdToHexDigits,
  serializeOtValue,
  shouldKeep,
  shouldKeepHex,
  thresholdToProbability,
  withPreparedThreshold,
  withThreshold,
} from '../../../../../../layers/otel/src/sampling/consistent-probability';

describe('probabilityToThreshold (the spec test vectors)', () => {
  it('pins the full-precision thresholds of 0.5 and 0.2', () => {
    expect(probabilityToThreshold(0.5)).toBe(36028797018963968n);
    expect(probabilityToThreshold(0.2)).toBe(57646075230342348n);
  });

  it('encodes th with trailing zeros removed', () => {
    expect(encodeThreshold(probabilityToThreshold(0.5) as bigint)).toBe('8');
    expect(encodeThreshold(probabilityToThreshold(0.25) as bigint)).toBe('c');
    expect(encodeThreshold(probabilityToThreshold(0.125) as bigint)).toBe('e');
    expect(encodeThreshold(probabilityToThreshold(1) as bigint)).toBe('0');
  });

  it('keeps the leading zeros of th above p = 15/16: p = 0.96 is th:0a3d, not th:a3d (which reads as p = 0.36)', () => {
    // T = (1 − 0.96) × 2^56 = 0x0a3d70a3d70a3d…; 4 significant hex digits (p ≥ 1/16: no extra digit) → 0a3d.
    expect(encodeThreshold(probabilityToThreshold(0.96, 4) as bigint)).toBe('0a3d');
    expect(encodeThreshold(probabilityToThreshold(0.96) as bigint)).toBe('0a3d70a3d70a4');
    // p = 0.97: T = 0.03 × 2^56 = 0x07ae147ae147ae…
    expect(encodeThreshold(probabilityToThreshold(0.97, 4) as bigint)).toBe('07ae');
    // p = 0.999: two leading zeros (T = 0x004189374bc6a7…, 4 digits rounded half up)
    expect(encodeThreshold(probabilityToThreshold(0.999, 4) as bigint)).toBe('0042');
    // Read back, th:0a3d is p = 1 − 0x0a3d / 0x10000 = 0.96000671…, th:a3d would be 1 − 0xa3d / 0x1000 = 0.3601…
    expect(thresholdToProbability(parseThreshold('0a3d') as bigint)).toBe(1 - 0x0a3d / 0x10000);
    expect(thresholdToProbability(parseThreshold('a3d') as bigint)).toBeCloseTo(0.36, 3);
    expect(prepareThreshold(probabilityToThreshold(0.96, 4) as bigint).encoded).toBe('0a3d');
  });

  it('round-trips every probability above 15/16 through its th value (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 15 / 16, max: 1, noNaN: true, maxExcluded: true, minExcluded: true }),
        (p) => {
          const threshold = probabilityToThreshold(p) as bigint;
          const encoded = encodeThreshold(threshold);
          expect(encoded.startsWith('0')).toBe(true);
          expect(parseThreshold(encoded)).toBe(threshold);
        },
      ),
      { seed: 18, numRuns: 500 },
    );
  });

  it('writes p = 0.01 as fd70a4 at 6 hex digits, fd70a3d70a3d71 at full precision', () => {
    const full = probabilityToThreshold(0.01) as bigint;
    expect(encodeThreshold(full)).toBe('fd70a3d70a3d71');
    expect(encodeThreshold(roundThresholdToHexDigits(full, 6))).toBe('fd70a4');
    // The spec's precision counts significant digits after the leading f's: precision 5 → 6 digits.
    expect(encodeThreshold(probabilityToThreshold(0.01, 5) as bigint)).toBe('fd70a4');
    expect(probabilityToThreshold(0.01, 5)).toBe(71337018784743424n);
  });

  it('matches the spec table for 1-in-N at precisions 3, 4, 5', () => {
    const table: Array<[number, [string, string, string]]> = [
      [1 / 3, ['aab', 'aaab', 'aaaab']],
      [0.2, ['ccd', 'cccd', 'ccccd']],
      [0.1, ['e66', 'e666', 'e6666']],
      [0.01, ['fd71', 'fd70a', 'fd70a4']],
      [0.001, ['ffbe7', 'ffbe77', 'ffbe76d']],
      [0.0001, ['fff972', 'fff9724', 'fff97247']],
    ];
    for (const [p, expected] of table) {
      const actual = [3, 4, 5].map((precision) =>
        encodeThreshold(probabilityToThreshold(p, precision) as bigint),
      );
      expect(actual).toEqual(expected);
    }
    expect(thresholdToProbability(probabilityToThreshold(0.1, 4) as bigint)).toBe(0.100006103515625);
  });

  it('p = 0 has no threshold and never samples; p = 1 always samples', () => {
    expect(probabilityToThreshold(0)).toBeNull();
    expect(shouldKeep(MAX_THRESHOLD - 1n, probabilityToThreshold(0))).toBe(false);
    expect(probabilityToThreshold(1)).toBe(0n);
    expect(shouldKeep(0n, probabilityToThreshold(1))).toBe(true);
    expect(thresholdToProbability(0n)).toBe(1);
    expect(thresholdToProbability(MAX_THRESHOLD)).toBe(0);
  });

  it('keeps exactly when R ≥ T', () => {
    const t = probabilityToThreshold(0.5) as bigint;
    expect(shouldKeep(t, t)).toBe(true);
    expect(shouldKeep(t - 1n, t)).toBe(false);
  });

  it('never rounds a positive probability up to "never"', () => {
    const tiny = probabilityToThreshold(2 ** -56, 1) as bigint;
    expect(tiny).toBeLessThan(MAX_THRESHOLD);
    expect(thresholdToProbability(tiny)).toBeGreaterThan(0);
  });

  it('is monotone at every precision, so kept sets nest (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 14 }),
        (a, b, precision) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const tLow = probabilityToThreshold(low, precision) ?? MAX_THRESHOLD;
          const tHigh = probabilityToThreshold(high, precision) ?? MAX_THRESHOLD;
          return tHigh <= tLow;
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it('round-trips thresholds through probabilities exactly at the default precision', () => {
    for (const p of [0.05, 0.1, 0.25, 0.5, 0.3, 0.77]) {
      const t = probabilityToThreshold(p, 4) as bigint;
      expect(probabilityToThreshold(thresholdToProbability(t))).toBe(t);
    }
  });
});

describe('normalizeProbability', () => {
  it.each([
    [Number.NaN, 0.25, 0.25, /not a number/],
    ['0.5', 0.25, 0.25, /not a number/],
    [undefined, 0.1, 0.1, /not a number/],
    [-0.2, 0.25, 0, /below 0/],
    [1.7, 0.25, 1, /above 1/],
    [Number.POSITIVE_INFINITY, 0.25, 1, /above 1/],
  ])('normalises %p with a diag warning', (value, fallback, expected, message) => {
    const warn = jest.spyOn(diag, 'warn').mockImplementation(() => undefined);
    const result = normalizeProbability(value, fallback);
    expect(result.probability).toBe(expected);
    expect(result.warning).toMatch(message);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(message));
    warn.mockRestore();
  });

  it('passes valid probabilities through silently', () => {
    const warn = jest.spyOn(diag, 'warn').mockImplementation(() => undefined);
    expect(normalizeProbability(0.3, 1)).toEqual({ probability: 0.3 });
    expect(normalizeProbability(0, 1)).toEqual({ probability: 0 });
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('randomness', () => {
  it('takes the low 56 bits of the trace id', () => {
    expect(randomnessFromTraceId('0123456789abcdef0123456789abcdef')).toBe(0x23456789abcdefn);
    expect(randomnessFromTraceId('short')).toBeNull();
  });

  it('prefers an explicit rv in the trace state', () => {
    const state = new TraceState('ot=rv:00000000000001,vendor=x');
    expect(randomnessOf('ffffffffffffffffffffffffffffffff', state)).toBe(1n);
    expect(randomnessOf('ffffffffffffffffffffffffffffffff', undefined)).toBe(MAX_THRESHOLD - 1n);
  });

  it('rejects malformed th and rv values', () => {
    expect(parseThreshold('')).toBeNull();
    expect(parseThreshold('123456789abcdef')).toBeNull(); // 15 digits
    expect(parseThreshold('xyz')).toBeNull();
    expect(parseThreshold('8')).toBe(0x80000000000000n);
    expect(parseRandomValue('abc')).toBeNull(); // rv must have exactly 14 digits
    expect(parseRandomValue('0000000000000a')).toBe(10n);
  });
});

describe('ot tracestate entry', () => {
  it('parses th, rv and keeps other sub-keys in order', () => {
    const ot = parseOtValue('th:c;rv:0123456789abcd;zz:1;aa:2');
    expect(ot.threshold).toBe(0xc0000000000000n);
    expect(ot.randomValue).toBe(0x0123456789abcdn);
    expect(ot.rest).toEqual(['zz:1', 'aa:2']);
    expect(serializeOtValue(ot)).toBe('th:c;rv:0123456789abcd;zz:1;aa:2');
  });

  it('sets th while preserving other vendors and other ot sub-keys', () => {
    const state = new TraceState('vendor1=abc,ot=th:c;xx:yy,vendor2=def');
    const updated = withThreshold(state, probabilityToThreshold(0.5)) as TraceState;
    expect(updated.get('ot')).toBe('th:8;xx:yy');
    expect(updated.get('vendor1')).toBe('abc');
    expect(updated.get('vendor2')).toBe('def');
    // The original is immutable.
    expect(state.get('ot')).toBe('th:c;xx:yy');
  });

  it('erases th (keeping the rest) and drops an emptied ot entry', () => {
    expect(withThreshold(new TraceState('ot=th:8;rv:0000000000000a'), null)?.get('ot')).toBe(
      'rv:0000000000000a',
    );
    const emptied = withThreshold(new TraceState('a=1,ot=th:8'), null) as TraceState;
    expect(emptied.get('ot')).toBeUndefined();
    expect(emptied.serialize()).toBe('a=1');
    expect(withThreshold(undefined, null)).toBeUndefined();
    expect(withThreshold(undefined, 0n)?.serialize()).toBe('ot=th:0');
  });

  it('keeps the ot value within the W3C limit by dropping trailing unknown sub-keys', () => {
    const rest = Array.from({ length: 40 }, (_, i) => `k${i}:vvvvv`);
    const value = serializeOtValue({ threshold: 0x8n << 52n, randomValue: null, rest });
    expect(value.length).toBeLessThanOrEqual(256);
    expect(value.startsWith('th:8;k0:vvvvv')).toBe(true);
  });
});

describe('prepared forms (the decision path) agree with the BigInt reference', () => {
  const hexDigits = (length: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: length, maxLength: length });
  const probability = fc.oneof(
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.constantFrom(0, 1, 0.5, 0.25, 0.1, 0.05, 2 ** -56, 1e-20),
  );
  const precision = fc.option(fc.integer({ min: 1, max: 14 }), { nil: undefined });

  it('prepares a threshold with its hex, th and probability', () => {
    const prepared = preparedThresholdFor(0.25, 4);
    expect(prepared).toEqual({
      value: 0xc0000000000000n,
      hex: 'c0000000000000',
      encoded: 'c',
      probability: 0.25,
    });
    expect(preparedThresholdFor(0.25, 4)).toBe(prepared);
    expect(preparedThresholdFor(0)).toBeNull();
    expect(preparedThresholdFor(1)?.encoded).toBe('0');
    expect(prepareThreshold(0n).hex).toBe('00000000000000');
  });

  it('reads R from a trace id as 14 lowercase hex digits, null when malformed', () => {
    expect(randomHexFromTraceId('0af7651916cd43dd8448eb211c80319c')).toBe('48eb211c80319c');
    expect(randomHexFromTraceId('0af7651916cd43dd8448EB211C80319C')).toBe('48eb211c80319c');
    expect(randomHexFromTraceId('0af7651916cd43dd8448eb211c80319')).toBeNull();
    expect(randomHexFromTraceId('0af7651916cd43dd8448eb211c80319g')).toBeNull();
  });

  it('keeps exactly when the BigInt comparison keeps', () => {
    fc.assert(
      fc.property(hexDigits(32), probability, precision, (traceId, p, digits) => {
        const reference = shouldKeep(
          randomnessFromTraceId(traceId) as bigint,
          probabilityToThreshold(p, digits),
        );
        const prepared = preparedThresholdFor(p, digits);
        expect(prepared?.value ?? null).toBe(probabilityToThreshold(p, digits));
        expect(shouldKeepHex(randomHexFromTraceId(traceId) as string, prepared)).toBe(reference);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('keeps R = T and drops R = T − 1 (the boundary)', () => {
    fc.assert(
      fc.property(probability, precision, (p, digits) => {
        const prepared = preparedThresholdFor(p, digits);
        if (prepared === null || prepared.value === 0n) return;
        const at = `0af7651916cd43dd84${prepared.hex}`;
        const below = `0af7651916cd43dd84${(prepared.value - 1n).toString(16).padStart(14, '0')}`;
        expect(shouldKeepHex(randomHexFromTraceId(at) as string, prepared)).toBe(true);
        expect(shouldKeepHex(randomHexFromTraceId(below) as string, prepared)).toBe(false);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('orders thresholds as minThreshold does', () => {
    fc.assert(
      fc.property(probability, probability, (a, b) => {
        const pa = preparedThresholdFor(a, 14);
        const pb = preparedThresholdFor(b, 14);
        if (pa === null || pb === null) return;
        expect(minPreparedThreshold(pa, pb).value).toBe(minThreshold(pa.value, pb.value));
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('parses and rewrites the ot entry exactly as parseOtValue and withThreshold do', () => {
    const member = fc.oneof(
      hexDigits(4).map((hex) => `th:${hex}`),
      hexDigits(14).map((hex) => `rv:${hex}`),
      fc.constantFrom('th:', 'th:0', 'rv:12', 'xx:yy', 'a:b', ''),
    );
    const traceStates = fc.option(
      fc.tuple(
        fc.array(member, { maxLength: 4 }),
        fc.constantFrom('', 'vendor=a', 'ot=ignored', 'a=1,b=2'),
        fc.boolean(),
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(traceStates, probability, fc.constantFrom('none', 'own', 'parent'), (shape, p, which) => {
        const members = shape === undefined ? [] : [`ot=${shape[0].join(';')}`, shape[1]];
        if (shape?.[2]) members.reverse();
        const raw = shape === undefined ? undefined : members.filter(Boolean).join(',');
        const traceState = raw === undefined ? undefined : new TraceState(raw);
        const reference = parseOtValue(traceState?.get('ot'));
        const prepared = readPreparedOt(traceState);
        expect(prepared.threshold?.value ?? null).toBe(reference.threshold);
        expect(prepared.randomHex).toBe(reference.randomValue?.toString(16).padStart(14, '0') ?? null);
        expect(prepared.rest).toEqual(reference.rest);
        expect(parsePreparedOt(traceState?.get('ot'))).toEqual(prepared);
        // 'parent': the value is often unchanged, where the parent's trace state may be returned as is.
        const threshold =
          which === 'none' ? null : which === 'own' ? preparedThresholdFor(p, 4) : prepared.threshold;
        const expected = withThreshold(traceState, threshold?.value ?? null);
        const actual = withPreparedThreshold(traceState, threshold);
        expect(actual?.serialize()).toBe(expected?.serialize());
        expect(actual?.get('ot')).toBe(expected?.get('ot'));
        expect(actual === undefined).toBe(expected === undefined);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
