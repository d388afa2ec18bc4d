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

/** Each direction rule as dependency-cruiser's `forbidden` entry; no file is excepted. */
function forbidden() {
  const rules = DIRECTION.map((rule) => ({
    name: rule.name,
    comment: rule.comment,
    severity: 'error',
    from: { path: rule.from },
    to: { path: rule.to, ...(rule.toNot ? { pathNot: [rule.toNot] } : {}) },
  }));
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
