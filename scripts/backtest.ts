/**
 * `npm run backtest [-- --days N --seed S --end YYYY-MM-DD --out path]`: replays trading days of a realistic
 * workload with injected incidents, evaluates the alert rules of lib/alerting/rules.ts over it, prints a table and
 * writes bench/backtest.json. Exit code 1 when a goal of issue 12 is not met.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { maxReplayDays, WORKLOAD_SYMBOLS } from '../lambdas/observability-demo/replay';
import { BACKTEST_DEFAULTS, formatTable, runBacktest } from './backtest/index';
import { ScriptError, ScriptErrorCode } from './errors';

class BacktestUsageError extends ScriptError {
  override readonly name: string = 'BacktestUsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ScriptErrorCode.BACKTEST_USAGE, message, options);
  }
}

function loadConfig(argv: readonly string[]) {
  const options = {
    days: BACKTEST_DEFAULTS.days as number,
    seed: BACKTEST_DEFAULTS.seed as number,
    endDate: BACKTEST_DEFAULTS.endDate as string,
    out: join(__dirname, '..', 'bench', 'backtest.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined) throw new BacktestUsageError(`${flag} needs a value`);
      i++;
      return value;
    };
    switch (flag) {
      case '--days': {
        const days = Number(need());
        const most = Math.min(...WORKLOAD_SYMBOLS.map(maxReplayDays));
        if (!Number.isInteger(days) || days < 10 || days > most) {
          throw new BacktestUsageError(
            `--days must be a whole number in 10..${most} (the shortest real price series), got ${value}`,
          );
        }
        options.days = days;
        break;
      }
      case '--seed': {
        const seed = Number(need());
        if (!Number.isInteger(seed) || seed < 0)
          throw new BacktestUsageError(`--seed must be a non-negative integer, got ${value}`);
        options.seed = seed;
        break;
      }
      case '--end':
        options.endDate = need();
        break;
      case '--out':
        options.out = need();
        break;
      default:
        throw new BacktestUsageError(
          `unknown option ${flag} (use --days N, --seed S, --end YYYY-MM-DD, --out path)`,
        );
    }
  }
  return options;
}

function main(): number {
  const config = loadConfig(process.argv.slice(2));
  const started = performance.now();
  const result = runBacktest({
    days: config.days,
    seed: config.seed,
    endDate: config.endDate,
    onProgress: (message) =>
      console.error(`[backtest ${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`),
  });
  console.log(formatTable(result));
  mkdirSync(dirname(config.out), { recursive: true });
  writeFileSync(config.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `\nwrote ${relative(process.cwd(), config.out)} (${result.tradingDays} trading days ${result.from} → ${result.to}, seed ${result.seed}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return Object.values(result.goals).every(Boolean) ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof BacktestUsageError ? `backtest: ${error.message}` : error);
  process.exitCode = 2;
}
