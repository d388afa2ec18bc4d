import { handler } from '../../../../lambdas/trading-intelligence/handler';
import { lambdaContext } from '../../../../scripts/local/runtime';

// No store is configured: every payload here must be refused before the service (or DynamoDB) is reached.
const invoke = (event: unknown) =>
  handler(event, lambdaContext('trading-intelligence')) as Promise<{
    ok: boolean;
    error?: { code: string; message: string; issues: Array<{ path: string; message: string }> };
  }>;

describe('trading-intelligence payload validation', () => {
  it.each([
    ['not an object', [1, 2], 'INVALID_PAYLOAD', '(root)'],
    ['no action', {}, 'UNKNOWN_ACTION', 'action'],
    ['unknown action', { action: 'rank_everything' }, 'UNKNOWN_ACTION', 'action'],
    [
      'lookback_days 0',
      { action: 'session_correlation', lookback_days: 0 },
      'INVALID_PAYLOAD',
      'lookback_days',
    ],
    [
      'lookback_days 366',
      { action: 'session_correlation', lookback_days: 366 },
      'INVALID_PAYLOAD',
      'lookback_days',
    ],
    [
      'lookback_days as text',
      { action: 'session_correlation', lookback_days: '30' },
      'INVALID_PAYLOAD',
      'lookback_days',
    ],
    [
      'fractional lookback',
      { action: 'session_correlation', lookback_days: 2.5 },
      'INVALID_PAYLOAD',
      'lookback_days',
    ],
    ['lower-case symbol', { action: 'analyze', symbols: ['aapl'] }, 'INVALID_PAYLOAD', 'symbols.0'],
    ['empty symbols', { action: 'analyze', symbols: [] }, 'INVALID_PAYLOAD', 'symbols'],
    ['asOf without a zone', { action: 'analyze', asOf: '2026-11-30T10:00:00' }, 'INVALID_PAYLOAD', 'asOf'],
    ['unknown field', { action: 'analyze', limit: 3 }, 'INVALID_PAYLOAD', '(root)'],
    ['rankings limit 0', { action: 'rankings', limit: 0 }, 'INVALID_PAYLOAD', 'limit'],
    ['scheduled without time', { action: 'scheduled_rankings' }, 'INVALID_PAYLOAD', 'scheduledTime'],
    [
      'scheduled with the unfilled placeholder',
      { action: 'scheduled_rankings', scheduledTime: '<aws.scheduler.scheduled-time>' },
      'INVALID_PAYLOAD',
      'scheduledTime',
    ],
  ])('%s → ok:false %s at %s', async (_label, event, code, path) => {
    const result = await invoke(event);
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe(code);
    expect(result.error?.issues.map((i) => i.path)).toContain(path);
  });

  it('an oversized symbols filter is PAYLOAD_TOO_LARGE', async () => {
    const symbols = Array.from({ length: 101 }, (_, i) => `S${i}`);
    const result = await invoke({ action: 'analyze', symbols });
    expect(result.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
