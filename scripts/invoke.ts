/**
 * npm run invoke -- <function> <payload>
 *   payload: JSON text, file://path.json (as the AWS CLI takes it), or - (standard input).
 * Prints the result JSON; exits 1 on ok:false, 2 when the handler throws (Lambda's FunctionError: Unhandled).
 * The store is LOCAL_DATA_DIR's (default .local); while `npm run local` holds it, its store is used over
 * loopback. A store held by a process that does not share it: one line on stderr, exit 1.
 */
import { readFileSync } from 'node:fs';
import { FUNCTION_NAMES } from '../lambdas/shared/names/functions';
import { StoreInUseError } from './local/embedded-dynamo';
import { logSafeName } from './local/invoke-protocol';
import { invokeLocal, isFunctionName, prepareLocalEnvironment } from './local/runtime';

const USAGE = `usage: npm run invoke -- <function> '<json>' | file://payload.json | -
functions: ${FUNCTION_NAMES.join(', ')}`;

function readPayload(argument: string): string {
  if (argument === '-') return readFileSync(0, 'utf8');
  if (argument.startsWith('file://')) return readFileSync(argument.slice('file://'.length), 'utf8');
  return argument;
}

async function main(): Promise<number> {
  const [name, payloadArgument] = process.argv.slice(2);
  if (!name || payloadArgument === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!isFunctionName(name)) {
    process.stderr.write(`ResourceNotFoundException: Function not found: ${logSafeName(name)}\n${USAGE}\n`);
    return 2;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(readPayload(payloadArgument));
  } catch (error) {
    process.stderr.write(
      `InvalidRequestContentException: could not parse the payload as JSON: ${(error as Error).message}\n`,
    );
    return 2;
  }
  let store: Awaited<ReturnType<typeof prepareLocalEnvironment>>;
  try {
    store = await prepareLocalEnvironment();
  } catch (error) {
    if (!(error instanceof StoreInUseError)) throw error;
    process.stderr.write(`npm run invoke: ${error.message}\n`);
    return 1;
  }
  try {
    const outcome = await invokeLocal(name, payload);
    if (outcome.kind === 'crash') {
      process.stdout.write(
        `${JSON.stringify({ errorType: outcome.errorType, errorMessage: outcome.errorMessage, trace: outcome.trace }, null, 2)}\n`,
      );
      process.stderr.write(`FunctionError: Unhandled (${outcome.errorType}: ${outcome.errorMessage})\n`);
      return 2;
    }
    process.stdout.write(`${JSON.stringify(outcome.result, null, 2)}\n`);
    const failed =
      outcome.result !== null &&
      typeof outcome.result === 'object' &&
      (outcome.result as { ok?: unknown }).ok === false;
    return failed ? 1 : 0;
  } finally {
    await store.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
