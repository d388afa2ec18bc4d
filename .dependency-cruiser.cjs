/**
 * The direction of dependencies between the parts, checked by `npm run deps` (part of `npm test`):
 *
 *   bin → lib → {lambdas, layers};  lambdas → layers;  layers → nothing of ours;
 *   scripts/ and test/ may import the deployed parts, but nothing deployed imports them,
 *   and scripts/ do not import test/ (what a script needs lives in scripts/ or lambdas/).
 *   lambdas import the layer only as `@trading-observability/otel` (the bundle marks it external).
 *
 * Why dependency-cruiser rather than biome's noRestrictedImports: biome matches the import specifier
 * text, so `../../lib/x` from lambdas/a/ and `../lib/x` from lambdas/ would need a pattern per depth and
 * the tsconfig alias would be invisible to it; dependency-cruiser resolves every import to a file
 * (tsconfig paths included) and checks the resolved paths.
 */

/**
 * Known wrong-way imports being removed by open issues. Temporary: this list may only shrink
 * (test/unit/dependency-rules.test.ts fails on an exception that is no longer needed and on one that was
 * not in the list when it was made). Each entry exempts exactly one `from` file → `to` path pattern.
 */
const TEMPORARY_EXCEPTIONS = [
  // Issue 17 moves the function names the demo's steps invoke out of lib/.
  { from: 'lambdas/observability-demo/story/steps.ts', to: '^lib/function-names\\.ts$', issue: 17 },
];

const OURS = '^(bin|lib|lambdas|layers|scripts|test)/';

/** The rules, each as from → forbidden-to (paths relative to the repository root). */
const DIRECTION = [
  {
    name: 'layers-import-nothing-of-ours',
    comment: 'The layer is shipped alone: it may import only itself and npm packages.',
    from: '^layers/otel/',
    to: OURS,
    toNot: '^layers/otel/',
  },
  {
    name: 'lambdas-import-only-layers',
    comment: 'Runtime code never reaches infrastructure (lib), tooling (scripts) or tests.',
    from: '^lambdas/',
    to: '^(bin|lib|scripts|test)/',
  },
  {
    name: 'lib-imports-lambdas-and-layers',
    comment: 'The CDK app builds the deployed parts; it never imports tooling or tests.',
    from: '^lib/',
    to: '^(bin|scripts|test)/',
  },
  {
    name: 'bin-imports-lib',
    comment: 'The CDK entry point composes lib/ only.',
    from: '^bin/',
    to: '^(lambdas|layers|scripts|test)/',
  },
  {
    name: 'scripts-do-not-import-tests',
    comment: 'What a script needs lives in scripts/ or lambdas/; tests import it from there.',
    from: '^scripts/',
    to: '^test/',
  },
];

const exactPath = (file) => `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
const withExceptions = process.env.DEPCRUISE_NO_EXCEPTIONS !== '1';
const exceptions = withExceptions ? TEMPORARY_EXCEPTIONS : [];
const exceptedFiles = [...new Set(exceptions.map((exception) => exception.from))];

/** Each direction rule for everyone but the excepted files, and for each excepted file minus its exceptions. */
function forbidden() {
  const rules = [];
  for (const rule of DIRECTION) {
    const toNot = rule.toNot ? [rule.toNot] : [];
    rules.push({
      name: rule.name,
      comment: rule.comment,
      severity: 'error',
      from: { path: rule.from, pathNot: exceptedFiles.map(exactPath) },
      to: { path: rule.to, ...(toNot.length > 0 ? { pathNot: toNot } : {}) },
    });
    for (const file of exceptedFiles) {
      if (!new RegExp(rule.from).test(file)) continue;
      const excepted = exceptions.filter((exception) => exception.from === file).map((e) => e.to);
      rules.push({
        name: rule.name,
        comment: `${rule.comment} (with the temporary exceptions of ${file})`,
        severity: 'error',
        from: { path: exactPath(file) },
        to: { path: rule.to, pathNot: [...toNot, ...excepted] },
      });
    }
  }
  rules.push({
    name: 'lambdas-import-the-layer-by-name',
    comment: 'Functions import the layer as @trading-observability/otel, which the bundle marks external.',
    severity: 'error',
    from: { path: '^lambdas/' },
    to: { path: '^layers/', dependencyTypesNot: ['aliased-tsconfig-paths'] },
  });
  return rules;
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: forbidden(),
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|\\.local|\\.build)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
// For the test that keeps the list shrinking (not a configuration key: dependency-cruiser rejects unknown ones).
Object.defineProperty(module.exports, 'temporaryExceptions', {
  value: TEMPORARY_EXCEPTIONS,
  enumerable: false,
});
