/**
 * The dependency rule (.dependency-cruiser.cjs) really runs: dependency-cruiser itself, on a fixture tree
 * with the repository's tsconfig (so the `@trading-observability/otel` alias resolves as in the build),
 * and on the repository, which has no wrong-way import and no exception.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const PARTS = ['bin', 'lib', 'lambdas', 'layers', 'scripts', 'test'];

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: string;
}

function depcruise(cwd: string, args: string[]) {
  const parts = PARTS.filter((part) => existsSync(join(cwd, part)));
  return spawnSync(process.execPath, [DEPCRUISE, ...parts, '--config', CONFIG, ...args], {
    cwd,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The violations, from the JSON report (whose exit code is always 0). */
function cruise(cwd: string): Violation[] {
  const run = depcruise(cwd, ['--output-type', 'json', '--no-progress']);
  if (!run.stdout.trim().startsWith('{')) throw new Error(`depcruise printed no JSON: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as {
    summary: { violations: { from: string; to: string; rule: { name: string } }[] };
  };
  const violations = result.summary.violations.map(({ from, to, rule }) => ({ from, to, rule: rule.name }));
  return violations;
}

/** What `npm run deps` (the default `err` report) exits with. */
const exitCode = (cwd: string) => depcruise(cwd, []).status;

const key = (v: Violation) => `${v.rule}: ${v.from} → ${v.to}`;

/** A tree in which every part imports only what the direction allows. */
const CLEAN: Record<string, string> = {
  'layers/otel/src/index.ts': "export { ATTR } from './constants';\n",
  'layers/otel/src/constants.ts': "export const ATTR = 'finance.symbol';\n",
  'lambdas/shared/names.ts': "export const NAME = 'x';\n",
  'lambdas/fn/handler.ts':
    "import { ATTR } from '@trading-observability/otel';\nimport { NAME } from '../shared/names';\nexport const handler = () => ATTR + NAME;\n",
  'lib/stack.ts':
    "import { handler } from '../lambdas/fn/handler';\nimport { ATTR } from '../layers/otel/src/constants';\nexport const stack = () => handler() + ATTR;\n",
  'bin/app.ts': "import { stack } from '../lib/stack';\nstack();\n",
  'scripts/tool.ts':
    "import { stack } from '../lib/stack';\nimport { handler } from '../lambdas/fn/handler';\nexport const tool = () => stack() + handler();\n",
  'test/tool.test.ts':
    "import { tool } from '../scripts/tool';\nimport { stack } from '../lib/stack';\ntool(); stack();\n",
};

/** One wrong-way import per rule, each in its own file; the expected violation beside it. */
const PLANTED: { file: string; source: string; expected: Violation }[] = [
  {
    file: 'layers/otel/src/leak.ts',
    source: "export { handler } from '../../../lambdas/fn/handler';\n",
    expected: {
      rule: 'layers-import-nothing-of-ours',
      from: 'layers/otel/src/leak.ts',
      to: 'lambdas/fn/handler.ts',
    },
  },
  {
    file: 'lambdas/fn/infra.ts',
    source: "export { stack } from '../../lib/stack';\n",
    expected: { rule: 'lambdas-import-only-layers', from: 'lambdas/fn/infra.ts', to: 'lib/stack.ts' },
  },
  {
    file: 'lambdas/fn/tooling.ts',
    source: "export { tool } from '../../scripts/tool';\n",
    expected: { rule: 'lambdas-import-only-layers', from: 'lambdas/fn/tooling.ts', to: 'scripts/tool.ts' },
  },
  {
    file: 'lambdas/fn/by-path.ts',
    source: "export { ATTR } from '../../layers/otel/src/constants';\n",
    expected: {
      rule: 'lambdas-import-the-layer-by-name',
      from: 'lambdas/fn/by-path.ts',
      to: 'layers/otel/src/constants.ts',
    },
  },
  {
    file: 'lib/tooling.ts',
    source: "export { tool } from '../scripts/tool';\n",
    expected: { rule: 'lib-imports-lambdas-and-layers', from: 'lib/tooling.ts', to: 'scripts/tool.ts' },
  },
  {
    file: 'bin/direct.ts',
    source: "export { handler } from '../lambdas/fn/handler';\n",
    expected: { rule: 'bin-imports-lib', from: 'bin/direct.ts', to: 'lambdas/fn/handler.ts' },
  },
  {
    file: 'scripts/uses-test.ts',
    source: "import '../test/tool.test';\n",
    expected: { rule: 'scripts-do-not-import-tests', from: 'scripts/uses-test.ts', to: 'test/tool.test.ts' },
  },
];

function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'depcruise-'));
  copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), source);
  }
  return dir;
}

describe('the dependency rule', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a tree whose imports all run the allowed way, the layer imported by its name', () => {
    const dir = writeTree(CLEAN);
    dirs.push(dir);
    expect(cruise(dir)).toEqual([]);
    expect(exitCode(dir)).toBe(0);
  });

  it('fails on each planted wrong-way import, naming the rule, and only on those', () => {
    const planted = Object.fromEntries(PLANTED.map(({ file, source }) => [file, source]));
    const dir = writeTree({ ...CLEAN, ...planted });
    dirs.push(dir);
    expect(cruise(dir).map(key).sort()).toEqual(PLANTED.map(({ expected }) => key(expected)).sort());
    expect(exitCode(dir)).toBe(PLANTED.length);
  });
});

describe('the repository', () => {
  it('has no wrong-way import', () => {
    expect(cruise(ROOT).map(key)).toEqual([]);
  });
});
