import { FUNCTION_NAMES } from '../../../lambdas/shared/names/functions';
import {
  asArray,
  policyStatements,
  resourcesOfType,
  synthStack,
  WILDCARD_RESOURCE_ALLOWED,
} from '../../support/cdk';

describe('TradingObservabilityStack', () => {
  const { template } = synthStack();
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  const productFunctions = Object.entries(functions).filter(([, fn]) =>
    (FUNCTION_NAMES as readonly string[]).includes(String(fn.Properties?.FunctionName)),
  );

  it('deploys the four product functions', () => {
    expect(productFunctions.map(([, fn]) => fn.Properties?.FunctionName).sort()).toEqual(
      [...FUNCTION_NAMES].sort(),
    );
  });

  it('runs every function on nodejs22.x, arm64, with the telemetry layer and JSON logs', () => {
    const [layerId] = Object.keys(resourcesOfType(template, 'AWS::Lambda::LayerVersion'));
    expect(layerId).toBeDefined();
    for (const [, fn] of Object.entries(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Layers: [{ Ref: layerId }],
        LoggingConfig: { LogFormat: 'JSON' },
      });
    }
  });

  it('gives every function a log group with retention', () => {
    const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    for (const [, fn] of Object.entries(functions)) {
      const logGroupRef = (fn.Properties?.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)
        ?.LogGroup?.Ref;
      expect(logGroupRef).toBeDefined();
      expect(logGroups[String(logGroupRef)]?.Properties?.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('reads the ingestion key from Secrets Manager by name: no key in the environment', () => {
    for (const [, fn] of productFunctions) {
      const variables =
        (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      expect(variables.SIGNOZ_INGESTION_KEY_SECRET).toBe('trading-observability/signoz-ingestion-key');
      for (const [name, value] of Object.entries(variables)) {
        expect(`${name}=${JSON.stringify(value)}`).not.toMatch(/INGESTION_KEY=|API_KEY|PASSWORD/i);
      }
    }
  });

  it('keeps the tables on-demand with point-in-time recovery and TTL', () => {
    const tables = resourcesOfType(template, 'AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(3);
    for (const [, table] of Object.entries(tables)) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Replicas: [{ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
      });
    }
  });

  it('grants no dynamodb:* or * action, and * resources only where AWS requires them', () => {
    const statements = policyStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    for (const { policy, statement } of statements) {
      const actions = asArray(statement.Action);
      expect(actions.filter((action) => action === '*' || /^[a-z0-9]+:\*$/.test(action))).toEqual([]);
      const resources = asArray(statement.Resource as unknown);
      if (resources.includes('*')) {
        for (const action of actions) {
          expect({ policy, action, allowed: action in WILDCARD_RESOURCE_ALLOWED }).toEqual({
            policy,
            action,
            allowed: true,
          });
        }
      }
    }
  });

  it('never grants Scan: hot paths query by key', () => {
    const actions = policyStatements(template).flatMap(({ statement }) => asArray(statement.Action));
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('prefixes function names with the namePrefix context', () => {
    const prefixed = synthStack({ namePrefix: 'staging-' }).template;
    const names = Object.values(resourcesOfType(prefixed, 'AWS::Lambda::Function')).map((fn) =>
      String(fn.Properties?.FunctionName),
    );
    for (const name of FUNCTION_NAMES) expect(names).toContain(`staging-${name}`);
  });

  it('caps the demo at 1 concurrent run and reserves 2 for the optimizer; tracker and trading stay unreserved', () => {
    const reserved = Object.fromEntries(
      productFunctions.map(([, fn]) => [
        String(fn.Properties?.FunctionName),
        fn.Properties?.ReservedConcurrentExecutions,
      ]),
    );
    expect(reserved).toEqual({
      'dual-accuracy-tracker': undefined,
      'trading-intelligence': undefined,
      'sampling-optimizer': 2,
      'observability-demo': 1,
    });
  });

  it('refuses to synthesise an http:// SigNoz endpoint unless allowed explicitly', () => {
    expect(() => synthStack({ signozEndpoint: 'http://signoz.example.internal:4318' })).toThrow(
      /ingestion key would travel in clear/,
    );
  });
});
