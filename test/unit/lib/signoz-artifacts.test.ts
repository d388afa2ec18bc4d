import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SIGNOZ_ARTIFACT_DIR, writeSignozDashboards } from '../../../lib/signoz-artifacts';

describe('SigNoz dashboards as a deploy artifact', () => {
  it('writes the four dashboards in both formats into the cloud assembly, as committed in dashboards/', () => {
    const assembly = mkdtempSync(path.join(tmpdir(), 'assembly-'));
    try {
      const root = path.join(assembly, SIGNOZ_ARTIFACT_DIR);
      const written = writeSignozDashboards(assembly);
      expect(written.map((file) => path.relative(root, file)).sort()).toEqual(
        ['v5', 'v6']
          .flatMap((format) =>
            ['cost-optimization', 'market-overview', 'ml-performance', 'trading-signals'].map(
              (name) => `${format}/${name}.json`,
            ),
          )
          .sort(),
      );
      for (const file of written) {
        const relative = path.relative(root, file);
        const committed = readFileSync(
          path.join(__dirname, '..', '..', '..', 'dashboards', relative),
          'utf8',
        );
        expect(readFileSync(file, 'utf8')).toBe(committed);
        const json = JSON.parse(committed) as { version?: string; schemaVersion?: string };
        if (relative.startsWith('v5/')) expect(json.version).toBe('v5');
        else expect(json.schemaVersion).toBe('v6');
      }
    } finally {
      rmSync(assembly, { recursive: true, force: true });
    }
  });
});
