/**
 * The red team's probe as a test (scripts/pii-probe.ts, also run by hand: `npm run pii-probe`): every PII
 * class in model ids, symbols, action strings and error-provoking inputs of every function, through the real
 * local endpoint as a child process with sampling off and DEBUG logs; none of it in spans.jsonl, metrics.jsonl
 * or the endpoint's log, while the financial data stays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PII, runPiiProbe } from '../../../scripts/pii-probe';

jest.setTimeout(300_000);

it('finds no PII class in spans, metrics or logs, and keeps symbols, model ids, confidences and trace ids', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pii-probe-'));
  try {
    const report = await runPiiProbe(dataDir);
    expect(Object.keys(PII)).toHaveLength(13);
    expect(report.answered).toBe(report.requests);
    expect(report.requests).toBeGreaterThan(150);
    expect(report.bytes.spans).toBeGreaterThan(100_000);
    expect(report.bytes.metrics).toBeGreaterThan(10_000);
    expect(report.findings).toEqual([]);
    expect(report.missingSurvivors).toEqual([]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
