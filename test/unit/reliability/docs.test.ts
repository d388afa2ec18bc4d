/**
 * docs/reliability.md states the input limits: this keeps them in step with the schemas (a changed limit
 * fails here until the document says the same).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TrackerDefaults } from '../../../lambdas/dual-accuracy-tracker/schemas';
import { DemoLimits } from '../../../lambdas/observability-demo/schemas';
import { OptimizerLimits } from '../../../lambdas/sampling-optimizer/schemas';
import { Limits } from '../../../lambdas/shared/schemas';
import { TradingLimits } from '../../../lambdas/trading-intelligence/schemas';

const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'reliability.md'), 'utf8');

describe('docs/reliability.md', () => {
  it.each(Object.entries(Limits))('states the shared limit %s = %s by name', (name, value) => {
    expect(doc).toContain(`\`${name}\``);
    expect(doc).toContain(String(value));
  });

  it.each([
    ['report limit', `\`limit\` 1 – ${TrackerDefaults.MAX_REPORT_LIMIT} (${TrackerDefaults.REPORT_LIMIT})`],
    [
      'validate_all lookback',
      `\`lookback_days\` 1 – ${Limits.MAX_LOOKBACK_DAYS} (${TrackerDefaults.LOOKBACK_DAYS})`,
    ],
    ['analyze lookback', `\`lookback_trading_days\` 1 – ${TradingLimits.MAX_LOOKBACK_TRADING_DAYS}`],
    ['rankings limit', `\`limit\` 1 – ${TradingLimits.MAX_RANKINGS} (1)`],
    [
      'session_correlation lookback',
      `\`lookback_days\` 1 – ${Limits.MAX_LOOKBACK_DAYS} (${TradingLimits.DEFAULT_CORRELATION_LOOKBACK_DAYS})`,
    ],
    [
      'optimize window',
      `\`window_minutes\` ${OptimizerLimits.MIN_WINDOW_MINUTES} – ${OptimizerLimits.MAX_WINDOW_MINUTES} (15)`,
    ],
    ['history limit', `\`limit\` 1 – ${OptimizerLimits.MAX_HISTORY} (${OptimizerLimits.DEFAULT_HISTORY})`],
    ['demo seed', `\`seed\` 0 – ${DemoLimits.MAX_SEED} (42)`],
    ['demo days', `\`trading_days\` ${DemoLimits.MIN_TRADING_DAYS} – ${DemoLimits.MAX_TRADING_DAYS} (10)`],
  ])('states the %s as the schema has it', (_label, text) => {
    expect(doc).toContain(text);
  });
});
