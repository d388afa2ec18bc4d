/**
 * Property-based fuzzing of every action of every function, through the real handlers (instrumented) on
 * the embedded store. Invalid-by-construction payloads (one mutation of a valid payload, or a bad
 * envelope) must be refused with ok:false, an input error code and a clear message, never a thrown error,
 * never a write. Valid-by-construction payloads must be accepted (or refused for a reason that is not
 * the payload's shape), and the read-only actions must not write.
 */
import fc from 'fast-check';
import { listSymbols } from '../../../lambdas/shared/store';
import { lambdaContext } from '../../../scripts/local/runtime';
import {
  ACTIONS,
  type ActionSpec,
  contractViolation,
  FUZZ_SEED,
  INPUT_ERROR_CODES,
  invalidPayload,
  validPayload,
  validPrediction,
  validPricePoint,
} from '../../support/fuzz';
import {
  type AnyHandler,
  countItems,
  countWrites,
  handlerIfPresent,
  memoryTelemetry,
  type ReliabilityStore,
  startReliabilityStore,
  type WriteCounter,
} from '../../support/reliability-store';

jest.setTimeout(120_000);

const INVALID_RUNS = 100;
const VALID_RUNS = 25;
/**
 * The demo's data-driven parts run the whole story (tens of seconds): only their refusals are fuzzed here.
 * Its `sampling` part (an optimizer dry run) and `dashboards` are quick, and must write nothing.
 */
const DEMO_VALID = new Set(['sampling', 'dashboards']);
const VALID_FUZZED = (spec: ActionSpec) => spec.fn !== 'observability-demo' || DEMO_VALID.has(spec.action);
const validRuns = (spec: ActionSpec) => (spec.fn === 'observability-demo' ? 3 : VALID_RUNS);
/** Actions that only read: a valid call must not write either. */
const READ_ONLY = new Set(['report', 'rankings', 'session_correlation', 'status', 'history', ...DEMO_VALID]);

let env: ReliabilityStore;
let counter: WriteCounter;
const handlers = new Map<string, AnyHandler>();
/** Cases run, per function/action and per kind of mutation (printed at the end for the report). */
const tally: Record<string, Record<string, number>> = {};

function count(spec: ActionSpec, label: string): void {
  const key = `${spec.fn} ${spec.action}`;
  tally[key] ??= {};
  const entry = tally[key] as Record<string, number>;
  entry[label] = (entry[label] ?? 0) + 1;
}

async function call(spec: ActionSpec, payload: unknown): Promise<unknown> {
  const handler = handlers.get(spec.fn);
  if (!handler) throw new Error(`no handler for ${spec.fn}`);
  try {
    return await handler(payload, lambdaContext(spec.fn));
  } catch (error) {
    throw new Error(`${spec.fn} ${spec.action} crashed: ${(error as Error).stack ?? String(error)}`);
  }
}

beforeAll(async () => {
  env = await startReliabilityStore({
    DATA_NAMESPACE: 'fuzz',
    SAMPLING_METRICS_SOURCE: 'file',
    LOCAL_METRICS_FILE: 'does-not-exist/metrics.jsonl',
  });
  memoryTelemetry();
  for (const fn of new Set(ACTIONS.map((spec) => spec.fn))) {
    const handler = await handlerIfPresent(fn);
    if (handler) handlers.set(fn, handler);
  }
  counter = countWrites(env.client, 'fuzzWriteCounter');
});

afterAll(async () => {
  counter?.remove();
  await env?.stop();
  const total = Object.values(tally).reduce(
    (sum, labels) => sum + Object.values(labels).reduce((a, b) => a + b, 0),
    0,
  );
  process.stdout.write(`fuzz cases: ${total}\n${JSON.stringify(tally, null, 1)}\n`);
});

describe('fuzzing every action of every function', () => {
  it('finds the functions (observability-demo once it has landed)', () => {
    for (const fn of ['dual-accuracy-tracker', 'trading-intelligence', 'sampling-optimizer']) {
      expect(handlers.has(fn)).toBe(true);
    }
  });

  describe.each(ACTIONS.map((spec) => [`${spec.fn} ${spec.action}`, spec] as const))('%s', (_name, spec) => {
    const present = () => handlers.has(spec.fn);

    it('refuses invalid payloads with a clear input error, without a crash or a write', async () => {
      if (!present()) return;
      const before = await countItems(env.client);
      await fc.assert(
        fc.asyncProperty(invalidPayload(spec), async ({ payload, label }) => {
          const writes = counter.writes;
          const result = await call(spec, payload);
          const violation = contractViolation(result, 'failure');
          if (violation) throw new Error(`${label}: ${violation}`);
          const { code } = (result as { error: { code: string } }).error;
          if (!INPUT_ERROR_CODES.has(code)) throw new Error(`${label}: refused with ${code}`);
          // Lambda serialises the answer: it must be plain JSON.
          JSON.stringify(result);
          if (counter.writes !== writes) throw new Error(`${label}: ${counter.writes - writes} writes`);
          count(spec, label);
        }),
        { seed: FUZZ_SEED, numRuns: INVALID_RUNS },
      );
      expect(await countItems(env.client)).toEqual(before);
    });

    if (VALID_FUZZED(spec)) {
      it('accepts valid payloads (read-only actions write nothing)', async () => {
        if (!present()) return;
        const before = await countItems(env.client);
        await fc.assert(
          fc.asyncProperty(validPayload(spec), async (payload) => {
            const writes = counter.writes;
            const result = await call(spec, payload);
            const violation = contractViolation(result, 'any');
            if (violation) throw new Error(violation);
            const answer = result as { ok: boolean; error?: { code: string; message: string } };
            // A payload valid by the documented schema may be refused only for what it means
            // (e.g. a year the NYSE calendar does not hold), never as malformed.
            if (!answer.ok && INPUT_ERROR_CODES.has(answer.error?.code ?? '')) {
              throw new Error(`refused a valid payload: ${answer.error?.message}`);
            }
            if (READ_ONLY.has(spec.action) && counter.writes !== writes) {
              throw new Error(`read-only ${spec.action} wrote ${counter.writes - writes} times`);
            }
            count(spec, 'valid');
          }),
          { seed: FUZZ_SEED, numRuns: validRuns(spec) },
        );
        if (READ_ONLY.has(spec.action)) expect(await countItems(env.client)).toEqual(before);
      });
    }
  });
});

describe('valid batches are stored exactly, one item per identity', () => {
  it('record_predictions stores each distinct prediction once and registers its symbols', async () => {
    const handler = handlers.get('dual-accuracy-tracker') as AnyHandler;
    const market = {
      client: env.client,
      table: 'trading-observability-market',
      namespace: 'fuzz',
      rawTtlDays: 30,
    };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(validPrediction, { minLength: 1, maxLength: 60 }), async (batch) => {
        run += 1;
        // A model id of this run only: every identity is new, so the exact growth is known.
        const predictions = batch.map((p, i) => ({ ...p, model: `fz-${run}-${i % 7}` }));
        const identities = new Set(
          predictions.map((p) => `${p.symbol}|${p.model}|${p.predictedAt}|${p.targetTime}`),
        );
        const registered = new Set(await listSymbols(market));
        const newSymbols = new Set(predictions.map((p) => p.symbol).filter((s) => !registered.has(s)));
        const before = await countItems(env.client);
        const result = await handler(
          { action: 'record_predictions', predictions },
          lambdaContext('dual-accuracy-tracker'),
        );
        expect(result).toMatchObject({ ok: true, recorded: identities.size });
        const after = await countItems(env.client);
        expect(after.market).toBe((before.market ?? 0) + identities.size + newSymbols.size);
        count(ACTIONS[0] as ActionSpec, 'valid batch (exact count)');
      }),
      { seed: FUZZ_SEED, numRuns: 15 },
    );
  });

  it('record_prices stores each (symbol, timestamp) once', async () => {
    const handler = handlers.get('dual-accuracy-tracker') as AnyHandler;
    await fc.assert(
      fc.asyncProperty(fc.array(validPricePoint, { minLength: 1, maxLength: 60 }), async (prices) => {
        const identities = new Set(prices.map((p) => `${p.symbol}|${new Date(p.timestamp).toISOString()}`));
        const result = await handler(
          { action: 'record_prices', prices },
          lambdaContext('dual-accuracy-tracker'),
        );
        expect(result).toMatchObject({ ok: true, recorded: identities.size });
        count(ACTIONS[1] as ActionSpec, 'valid batch (exact count)');
      }),
      { seed: FUZZ_SEED, numRuns: 15 },
    );
  });
});
