import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  type ILayerVersion,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TelemetryEnv, TelemetryMode } from '../layers/otel/src/constants';
import { acknowledge, acknowledgeFunctionFindings, WILDCARD_RESOURCE_FINDING } from './alerting/nag';
import { FUNCTION_BUNDLING, functionAliasArgs, PROJECT_ROOT } from './bundling';

/** DynamoDB actions a function may be granted: named one by one, never `dynamodb:*`. */
export const DynamoAction = {
  GET: 'dynamodb:GetItem',
  QUERY: 'dynamodb:Query',
  BATCH_WRITE: 'dynamodb:BatchWriteItem',
  PUT: 'dynamodb:PutItem',
  UPDATE: 'dynamodb:UpdateItem',
} as const;
export type DynamoAction = (typeof DynamoAction)[keyof typeof DynamoAction];

export interface TableAccess {
  readonly table: TableV2;
  readonly actions: readonly DynamoAction[];
}

/** Telemetry settings every function shares. */
export interface TelemetrySettings {
  readonly layer: ILayerVersion;
  /** OTLP/HTTP endpoint of SigNoz (e.g. https://ingest.us.signoz.cloud:443). */
  readonly otlpEndpoint: string;
  /** The Secrets Manager secret that holds the SigNoz ingestion key (created outside the stack). */
  readonly ingestionKeySecret: ISecret;
  /** The sampling configuration table; every function reads the current configuration (GetItem only). */
  readonly samplingConfigTable: TableV2;
  /** @default 'stock_analytics' */
  readonly serviceName?: string;
  /** @default 'production' */
  readonly environment?: string;
}

export interface InstrumentedFunctionProps {
  /** The function's base name, e.g. `dual-accuracy-tracker` (its handler is `lambdas/<name>/handler.ts`). */
  readonly name: string;
  /** Prefix for the deployed function name (context `namePrefix`). @default '' */
  readonly namePrefix?: string;
  readonly description: string;
  readonly telemetry: TelemetrySettings;
  /** Tables and the exact actions this function uses. @default none */
  readonly tables?: readonly TableAccess[];
  /** Extra environment (typed config of the function; see lambdas/shared/config.ts). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency: guaranteed to the function and the most it may use (lib/settings.ts says which
   * functions have one, and checks the account keeps its unreserved minimum). @default none (unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number | undefined;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Map stack traces to the TypeScript sources at run time (`NODE_OPTIONS=--enable-source-maps`). Off by
   * default: Node then parses the bundle's source map (up to 1.4 MB) on every cold start, for readable
   * stacks only when one is logged (measured in docs/benchmarks.md). The map ships in the asset either way, so a stack can be decoded offline or this turned on
   * for a function being debugged.
   * @default false
   */
  readonly enableSourceMaps?: boolean;
  /**
   * Data files copied into the bundle after esbuild (which does not follow `require.resolve` to data),
   * `target` relative to the bundle's root. @default none
   */
  readonly bundledFiles?: ReadonlyArray<{ readonly source: string; readonly target: string }>;
}

/**
 * Every Lambda of the product: NodejsFunction on nodejs22.x/arm64 with the telemetry layer, its own log
 * group with retention, JSON logging, the telemetry environment, and only the grants it is given.
 */
export class InstrumentedFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly functionName: string;

  constructor(scope: Construct, id: string, props: InstrumentedFunctionProps) {
    super(scope, id);
    const { telemetry } = props;
    this.functionName = `${props.namePrefix ?? ''}${props.name}`;
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${this.functionName}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logLevel = props.logLevel ?? 'INFO';
    this.function = new NodejsFunction(this, 'Function', {
      functionName: this.functionName,
      description: props.description,
      entry: `${PROJECT_ROOT}/lambdas/${props.name}/handler.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}/package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      layers: [telemetry.layer],
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[logLevel],
      // INFO keeps the platform's REPORT lines (duration, memory, init) that the slow-invocation query reads.
      systemLogLevelV2: SystemLogLevel.INFO,
      // Traces go to SigNoz through the layer; X-Ray would double the cost for the same spans.
      tracing: Tracing.DISABLED,
      environment: {
        // The standard OpenTelemetry names (the layer reads the former project names only as aliases).
        [TelemetryEnv.MODE]: TelemetryMode.OTLP,
        [TelemetryEnv.SERVICE_NAME]: telemetry.serviceName ?? 'stock_analytics',
        [TelemetryEnv.RESOURCE_ATTRIBUTES]: `deployment.environment.name=${encodeURIComponent(
          telemetry.environment ?? 'production',
        )}`,
        [TelemetryEnv.OTLP_ENDPOINT]: telemetry.otlpEndpoint,
        // The secret's name, not its value: the key is read from Secrets Manager at run time.
        [TelemetryEnv.INGESTION_KEY_SECRET]: telemetry.ingestionKeySecret.secretName,
        [TelemetryEnv.SAMPLING_CONFIG_TABLE]: telemetry.samplingConfigTable.tableName,
        [TelemetryEnv.LOG_LEVEL]: logLevel,
        ...(props.enableSourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
      bundling: {
        target: FUNCTION_BUNDLING.target,
        minify: FUNCTION_BUNDLING.minify,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        esbuildArgs: functionAliasArgs(),
        sourceMap: true,
        sourcesContent: false,
        ...(props.bundledFiles?.length ? { commandHooks: copyFilesAfterBundling(props.bundledFiles) } : {}),
      },
    });
    telemetry.ingestionKeySecret.grantRead(this.function);
    telemetry.samplingConfigTable.grant(this.function, DynamoAction.GET);
    for (const access of props.tables ?? []) access.table.grant(this.function, ...access.actions);
    acknowledgeFunctionFindings(this);
  }

  /**
   * Adds a statement for an API that only supports `*` resources, and acknowledges the cdk-nag finding
   * next to it with `reason` (why AWS requires `*` here).
   */
  addWildcardStatement(actions: string[], reason: string): void {
    this.function.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources: ['*'] }));
    acknowledge(this, { id: WILDCARD_RESOURCE_FINDING, reason });
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** esbuild command hooks that copy data files into the bundle's output directory. */
export function copyFilesAfterBundling(
  files: ReadonlyArray<{ readonly source: string; readonly target: string }>,
): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      files.flatMap(({ source, target }) => {
        const destination = path.posix.join(outputDir, target);
        return [
          `mkdir -p ${shellQuote(path.posix.dirname(destination))}`,
          `cp ${shellQuote(source)} ${shellQuote(destination)}`,
        ];
      }),
  };
}
