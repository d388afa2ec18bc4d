/**
 * Least privilege, per function: walks the synthesized IAM policies of every role and compares them with
 * what each function's code uses (the table below). test/unit/lib/trading-observability-stack.test.ts checks the stack-wide
 * rules (no `*` or `service:*` action, `*` resources only for the allowed actions, no Scan); this file
 * checks each role exactly: its DynamoDB actions per table, its wildcard-resource actions, its secrets,
 * that no statement has a wildcard inside an ARN, and that the Scheduler roles can invoke only their target.
 */
import { FUNCTION_NAMES } from '../../../lambdas/shared/names/functions';
import {
  asArray,
  type PolicyStatementJson,
  resourcesOfType,
  synthStack,
  WILDCARD_RESOURCE_ALLOWED,
} from '../../support/cdk';

type TableName = 'market' | 'rankings' | 'sampling';

interface Expectation {
  /** DynamoDB actions per table, exactly. */
  readonly dynamodb: Partial<Record<TableName, readonly string[]>>;
  /** Actions granted on `*` (each must be in WILDCARD_RESOURCE_ALLOWED). */
  readonly wildcard: readonly string[];
  /** Secrets Manager actions per secret name. @default the layer's read of the ingestion key */
  readonly secrets?: Readonly<Record<string, readonly string[]>>;
}

/** Every function gets these from the layer: the ingestion key (read) and CURRENT of the sampling table. */
const LAYER_SECRET_ACTIONS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const INGESTION_KEY_SECRET = 'trading-observability/signoz-ingestion-key';

/**
 * What each function's code sends (lambdas/shared/store: batchPutAll → BatchWriteItem, queryAll → Query,
 * sampling-store → Query + PutItem; the layer's sampling config source → GetItem on the sampling table).
 */
const EXPECTED: Readonly<Record<string, Expectation>> = {
  // record_* and validate_all write by BatchWriteItem, everything reads by Query.
  'dual-accuracy-tracker': {
    dynamodb: { market: ['BatchWriteItem', 'Query'], sampling: ['GetItem'] },
    wildcard: [],
  },
  // Reads predictions, prices and validations; stores rankings.
  'trading-intelligence': {
    dynamodb: { market: ['Query'], rankings: ['BatchWriteItem', 'Query'], sampling: ['GetItem'] },
    wildcard: [],
  },
  // Versioned configuration: Query (CURRENT, LAST_RUN, versions) and conditional PutItem; volumes from CloudWatch.
  'sampling-optimizer': {
    dynamodb: { sampling: ['GetItem', 'PutItem', 'Query'] },
    wildcard: ['cloudwatch:GetMetricData'],
  },
  // Writes its own partition of market and rankings; the optimizer step is a dry run (reads only).
  'observability-demo': {
    dynamodb: {
      market: ['BatchWriteItem', 'Query'],
      rankings: ['BatchWriteItem', 'Query'],
      sampling: ['GetItem', 'Query'],
    },
    wildcard: ['cloudwatch:GetMetricData'],
  },
  // The key-age probe reads secret metadata only (plus the layer's grants).
  'key-age-check': {
    dynamodb: { sampling: ['GetItem'] },
    wildcard: [],
    secrets: { [INGESTION_KEY_SECRET]: [...LAYER_SECRET_ACTIONS, 'secretsmanager:ListSecretVersionIds'] },
  },
  // Rotation steps write versions and move labels on the ingestion key secret; the SigNoz API key is read only.
  'ingestion-key-rotation': {
    dynamodb: { sampling: ['GetItem'] },
    wildcard: [],
    secrets: {
      [INGESTION_KEY_SECRET]: [
        ...LAYER_SECRET_ACTIONS,
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      'trading-observability/signoz-api-key': ['secretsmanager:GetSecretValue'],
    },
  },
};

type Resource = { Type: string; Properties?: Record<string, unknown> };
/** Every resource this test reads has properties (an absent one would fail the lookup that follows). */
const propertiesOf = (resource: Resource): Record<string, unknown> =>
  resource.Properties as Record<string, unknown>;

describe('least privilege per function', () => {
  const { template } = synthStack();
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  const roles = resourcesOfType(template, 'AWS::IAM::Role');
  const policies = resourcesOfType(template, 'AWS::IAM::Policy');
  const tables = resourcesOfType(template, 'AWS::DynamoDB::GlobalTable');

  const tableOf = (logicalId: string): TableName => {
    if (/Market/.test(logicalId)) return 'market';
    if (/Rankings/.test(logicalId)) return 'rankings';
    if (/Sampling/.test(logicalId)) return 'sampling';
    throw new Error(`unknown table ${logicalId}`);
  };
  const roleIdOf = (fn: Resource) => {
    const role = propertiesOf(fn).Role as { 'Fn::GetAtt': [string, string] };
    return role['Fn::GetAtt'][0];
  };
  const statementsOfRole = (roleId: string): PolicyStatementJson[] => {
    const attached = Object.values(policies).filter((policy) =>
      asArray(policy.Properties?.Roles as unknown).some((ref) => (ref as { Ref?: string }).Ref === roleId),
    );
    const inline = asArray((roles[roleId]?.Properties?.Policies as unknown[] | undefined) ?? []);
    return [
      ...attached.flatMap(
        (policy) => (propertiesOf(policy).PolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
      ),
      ...inline.flatMap(
        (policy) =>
          (policy as { PolicyDocument: { Statement: PolicyStatementJson[] } }).PolicyDocument.Statement,
      ),
    ];
  };
  const byName = new Map(
    Object.values(functions).map((fn) => [
      String(fn.Properties?.FunctionName),
      statementsOfRole(roleIdOf(fn)),
    ]),
  );

  it('knows every function of the stack (a new one needs its expectations here)', () => {
    expect([...byName.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const name of FUNCTION_NAMES) expect(byName.has(name)).toBe(true);
    expect(Object.keys(tables).map(tableOf).sort()).toEqual(['market', 'rankings', 'sampling']);
  });

  describe.each(Object.entries(EXPECTED))('%s', (name, expected) => {
    const statements = () => byName.get(name) ?? [];

    it('has exactly the DynamoDB actions its code uses, per table, on the table ARN only', () => {
      const granted: Partial<Record<TableName, Set<string>>> = {};
      for (const statement of statements()) {
        const actions = asArray(statement.Action).filter((action) => action.startsWith('dynamodb:'));
        if (actions.length === 0) continue;
        expect(statement.Effect).toBe('Allow');
        for (const resource of asArray(statement.Resource as unknown)) {
          // Exactly `Fn::GetAtt [<table>, Arn]`: no `*`, no `<arn>/index/*`, no stream ARNs.
          const getAtt = (resource as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
          expect(getAtt?.[1]).toBe('Arn');
          const table = tableOf(String(getAtt?.[0]));
          const set = granted[table] ?? new Set<string>();
          granted[table] = set;
          for (const action of actions) set.add(action.replace('dynamodb:', ''));
        }
      }
      const actual = Object.fromEntries(
        Object.entries(granted).map(([table, set]) => [table, [...(set as Set<string>)].sort()]),
      );
      expect(actual).toEqual(expected.dynamodb);
    });

    it('is granted `*` resources only for its justified wildcard actions', () => {
      const wildcard = statements()
        .filter((statement) => asArray(statement.Resource as unknown).includes('*'))
        .flatMap((statement) => asArray(statement.Action));
      expect(wildcard.sort()).toEqual([...expected.wildcard].sort());
      for (const action of wildcard) expect(WILDCARD_RESOURCE_ALLOWED[action]).toEqual(expect.any(String));
    });

    it('touches only its secrets, with only the actions it uses (by default: reads the ingestion key)', () => {
      const granted: Record<string, Set<string>> = {};
      for (const statement of statements()) {
        const actions = asArray(statement.Action).filter((action) => action.startsWith('secretsmanager:'));
        if (actions.length === 0) continue;
        for (const resource of asArray(statement.Resource as unknown)) {
          const name =
            /:secret:([^"]+)-\?{6}"/.exec(JSON.stringify(resource))?.[1] ?? JSON.stringify(resource);
          const set = granted[name] ?? new Set<string>();
          granted[name] = set;
          for (const action of actions) set.add(action);
        }
      }
      const actual = Object.fromEntries(
        Object.entries(granted).map(([name, set]) => [name, [...set].sort()]),
      );
      const wanted = expected.secrets ?? { [INGESTION_KEY_SECRET]: LAYER_SECRET_ACTIONS };
      expect(actual).toEqual(
        Object.fromEntries(Object.entries(wanted).map(([name, actions]) => [name, [...actions].sort()])),
      );
    });

    it('has no NotAction/NotResource, no iam/sts/kms action, and no wildcard inside an ARN', () => {
      for (const statement of statements()) {
        const json = JSON.stringify(statement);
        expect(json).not.toMatch(/"NotAction"|"NotResource"/);
        expect(asArray(statement.Action).filter((action) => /^(iam|sts|kms):/.test(action))).toEqual([]);
        const arnStrings = json.match(/arn:[^"]*/g) ?? [];
        // `-??????` is the suffix Secrets Manager appends to a secret's name: a fixed-length match, not `*`.
        for (const arn of arnStrings) expect(arn).not.toMatch(/\*/);
      }
    });
  });

  it('lets each Scheduler role invoke only its target function and send only to its dead-letter queue', () => {
    const functionIds = new Set(Object.keys(functions));
    const schedulerRoles = Object.keys(roles).filter((id) => id.startsWith('SchedulerRole'));
    expect(schedulerRoles.length).toBeGreaterThanOrEqual(2);
    for (const roleId of schedulerRoles) {
      const statements = statementsOfRole(roleId);
      const actions = [...new Set(statements.flatMap((statement) => asArray(statement.Action)))].sort();
      expect(actions).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
      for (const statement of statements) {
        for (const resource of asArray(statement.Resource as unknown)) {
          const json = JSON.stringify(resource);
          expect(json).not.toBe('"*"');
          if (asArray(statement.Action).includes('lambda:InvokeFunction')) {
            const target = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(json)?.[1];
            expect(functionIds.has(String(target))).toBe(true);
          }
        }
      }
    }
  });

  it('attaches no managed policy beyond the Lambda basic execution role', () => {
    for (const role of Object.values(roles)) {
      for (const arn of asArray((role.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? [])) {
        expect(JSON.stringify(arn)).toMatch(/service-role\/AWSLambdaBasicExecutionRole"/);
      }
    }
  });
});
