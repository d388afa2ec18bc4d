import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  bundledDatasetPath,
  DATASET_FILES,
  resolvePackageFile,
} from '../../../lambdas/observability-demo/replay/market-data';
import { copyFilesAfterBundling } from '../../../lib/instrumented-function';

describe('data files shipped inside a function bundle (the demo replays npm datasets)', () => {
  it('copies every dataset to datasets/<package>/<file> in the bundle, byte for byte', () => {
    const outputDir = mkdtempSync(path.join(tmpdir(), "bundle with 'quotes' "));
    try {
      const files = DATASET_FILES.map((file) => ({
        source: resolvePackageFile(file.package, file.file),
        target: bundledDatasetPath(file),
      }));
      const commands = copyFilesAfterBundling(files).afterBundling('/input', outputDir);
      for (const command of commands) execSync(command, { shell: '/bin/sh' });
      for (const { source, target } of files) {
        const copied = path.join(outputDir, target);
        expect(existsSync(copied)).toBe(true);
        expect(readFileSync(copied)).toEqual(readFileSync(source));
      }
      expect(files.map((file) => file.target).sort()).toEqual([
        'datasets/@observablehq/sample-datasets/aapl.csv',
        'datasets/vega-datasets/data/sp500-2000.csv',
        'datasets/vega-datasets/data/stocks.csv',
      ]);
    } finally {
      rmSync(outputDir, { recursive: true, force: true });
    }
  });
});
