/** Two projects: fast unit tests, and integration tests that start embedded DynamoDB/ClickHouse or processes. */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@trading-observability/otel$': '<rootDir>/layers/otel/src/index.ts' },
  setupFiles: ['<rootDir>/test/setup-env.js'],
};
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
  ],
  // A global option (projects ignore it): integration tests start embedded stores and child processes,
  // and the CDK tests synthesise the whole stack, on a 2-core machine shared with other work.
  testTimeout: 120000,
};
