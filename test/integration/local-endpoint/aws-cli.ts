/**
 * The real AWS CLI, isolated from the developer's AWS configuration (dummy credentials, no config files).
 * Version 2 (Debian's `awscli`) needs `--cli-binary-format raw-in-base64-out` to send the payload as text;
 * version 1 has no such option and sends it as text anyway. AWS_CLI selects another binary.
 */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';

export const AWS_REGION = 'us-east-1';
const CLI_TIMEOUT_MS = 60_000;

export interface AwsCli {
  readonly command: string;
  readonly major: number;
  readonly version: string;
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env, cwd, timeout: CLI_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({
          code,
          stdout,
          stderr: error && code === -1 ? `${stderr}\n${error.message}` : stderr,
        });
      },
    );
  });
}

function cliEnvironment(scratchDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'local-test',
    AWS_SECRET_ACCESS_KEY: 'local-test',
    AWS_DEFAULT_REGION: AWS_REGION,
    AWS_CONFIG_FILE: path.join(scratchDir, 'aws-config-absent'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratchDir, 'aws-credentials-absent'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Finds the CLI; an Error (with how to install it) when it is missing. */
export async function detectAwsCli(scratchDir: string): Promise<AwsCli | Error> {
  const command = process.env.AWS_CLI || 'aws';
  const probe = await run(command, ['--version'], cliEnvironment(scratchDir));
  const text = `${probe.stdout}${probe.stderr}`;
  const match = /aws-cli\/((\d+)\.\S+)/.exec(text);
  if (probe.code !== 0 || !match?.[1] || !match[2]) {
    return new Error(
      `the AWS CLI (\`${command}\`) is not available, so the local endpoint cannot be checked against it. ` +
        'Install it (Debian: `apt-get update && apt-get install -y awscli`; .ci/run does this) ' +
        `or point AWS_CLI at it. Probe said: ${text.trim().slice(0, 300)}`,
    );
  }
  return { command, major: Number(match[2]), version: match[1] };
}

export interface CliInvokeOptions {
  readonly endpoint: string;
  readonly functionName: string;
  /** Text as given to --payload. */
  readonly payload?: string;
  readonly extraArgs?: readonly string[];
}

export interface CliInvokeResult extends CliRun {
  /** What the CLI wrote to the outfile, when it wrote one. */
  readonly outfile: string | undefined;
}

/** `aws lambda invoke ... <outfile>` in the scratch directory. */
export async function cliInvoke(
  cli: AwsCli,
  scratchDir: string,
  options: CliInvokeOptions,
): Promise<CliInvokeResult> {
  const outfile = path.join(scratchDir, `out-${process.hrtime.bigint()}.json`);
  const args = [
    'lambda',
    'invoke',
    '--endpoint-url',
    options.endpoint,
    '--function-name',
    options.functionName,
    ...(options.payload !== undefined ? ['--payload', options.payload] : []),
    ...(cli.major >= 2 ? ['--cli-binary-format', 'raw-in-base64-out'] : []),
    ...(options.extraArgs ?? []),
    outfile,
  ];
  const result = await run(cli.command, args, cliEnvironment(scratchDir), scratchDir);
  const written = await readFile(outfile, 'utf8').catch(() => undefined);
  await rm(outfile, { force: true });
  return { ...result, outfile: written };
}
