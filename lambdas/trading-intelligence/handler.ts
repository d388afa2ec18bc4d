/** trading-intelligence Lambda: parse → service → result. Configuration is read on the first invocation. */
import { instrument } from '@trading-observability/otel';
import { INSTRUMENT_OPTIONS } from '../shared/instrumentation';
import { partitionScope } from '../shared/partition';
import { storeContext } from '../shared/store';
import { loadTradingConfig } from './config';
import { parseTradingPayload, TRADING_ACTIONS } from './schemas';
import { runAction, type TradingDeps } from './service';

let deps: TradingDeps | undefined;

function getDeps(): TradingDeps {
  if (!deps) {
    const config = loadTradingConfig(process.env);
    deps = {
      market: storeContext(config.app, config.app.marketTable),
      rankings: storeContext(config.app, config.app.rankingsTable),
      config,
      now: () => new Date(),
    };
  }
  return deps;
}

export const handler = instrument(
  async (event: unknown) => {
    const parsed = parseTradingPayload(event);
    if (!parsed.ok) return parsed;
    return runAction(getDeps(), parsed.value);
  },
  {
    ...INSTRUMENT_OPTIONS,
    actions: TRADING_ACTIONS,
    // The root span and everything under it say which data partition the invocation works in.
    scope: () => partitionScope(getDeps().rankings.namespace),
  },
);
