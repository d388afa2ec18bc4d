/**
 * The bench's reference build of every function (its own code, telemetry "the way most teams do it"): the
 * fixture standing in for the layer must export what the functions import from it, or `npm run bench --
 * --only=functions` fails for that function. Twice a new layer export broke it unnoticed: this keeps it building.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../../../lib/bundling';
import { buildReference } from '../../../../scripts/bench/functions-build';

const functionNames = readdirSync(path.join(PROJECT_ROOT, 'lambdas')).filter((name) =>
  existsSync(path.join(PROJECT_ROOT, 'lambdas', name, 'handler.ts')),
);

describe('the reference build of each function', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'reference-build-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('covers every deployed function', () => {
    expect(functionNames).toEqual(
      expect.arrayContaining([
        'dual-accuracy-tracker',
        'trading-intelligence',
        'sampling-optimizer',
        'observability-demo',
        'ingestion-key-rotation',
        'key-age-check',
      ]),
    );
  });

  it.each(functionNames)('%s bundles with the OpenTelemetry SDK in place of the layer', async (name) => {
    const built = await buildReference(name, path.join(dir, name));
    const inputs = (built.largest ?? []).map((entry) => entry.input);
    // The reference carries the SDK and its exporter, not the layer's own tracer and transport.
    expect(inputs.some((input) => input.startsWith('@opentelemetry/'))).toBe(true);
    expect(inputs.some((input) => input.includes('layers/otel/src/transport'))).toBe(false);
    expect(built.bytes).toBeGreaterThan(100_000);
  });
});
