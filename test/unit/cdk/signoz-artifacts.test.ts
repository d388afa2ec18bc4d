import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SIGNOZ_ARTIFACT_DIR, writeSignozDashboards } from '../../../lib/signoz-artifacts';

describe('SigNoz dashboards as a deploy artifact', () => {
  it('writes the same four files into the cloud assembly as are committed in dashboards/', () => {
    const assembly = mkdtempSync(path.join(tmpdir(), 'assembly-'));
    try {
      const written = writeSignozDashboards(assembly);
      expect(written.map((file) => path.basename(file)).sort()).toEqual([
        'cost-optimization.json',
        'market-overview.json',
        'ml-performance.json',
        'trading-signals.json',
      ]);
      for (const file of written) {
        expect(path.dirname(file)).toBe(path.join(assembly, SIGNOZ_ARTIFACT_DIR));
        const committed = readFileSync(
          path.join(__dirname, '..', '..', '..', 'dashboards', path.basename(file)),
          'utf8',
        );
        expect(readFileSync(file, 'utf8')).toBe(committed);
        expect(JSON.parse(committed).version).toBe('v5');
      }
    } finally {
      rmSync(assembly, { recursive: true, force: true });
    }
  });
});
