/** The report's formatting helpers: aligned columns, number formats, wrapping (pure, no store). */
import { fmt, table, wrap } from '../../../lambdas/observability-demo/report';

describe('report formatting', () => {
  it('pads every column to its widest cell: text left, numbers right', () => {
    const text = table(
      [
        { symbol: 'AAPL', n: 600 },
        { symbol: 'GOOG', n: 12_345 },
      ],
      [
        { header: 'symbol', value: (row) => row.symbol, align: 'left' },
        { header: 'n', value: (row) => fmt.int(row.n) },
      ],
    );
    expect(text.split('\n')).toEqual([
      '  symbol       n',
      '  ──────  ──────',
      '  AAPL       600',
      '  GOOG    12,345',
    ]);
  });

  it('formats percentages, intervals, money, signs and missing values', () => {
    expect(fmt.pct(0.66612)).toBe('66.6 %');
    expect(fmt.pctValue(74.94)).toBe('74.9 %');
    expect(fmt.ci([0.651, 0.6812])).toBe('65.1–68.1 %');
    expect(fmt.money(1234.5)).toBe('$1,234.50');
    expect(fmt.signed(0.2321)).toBe('+0.232');
    expect(fmt.signed(-0.5)).toBe('-0.500');
    for (const missing of [fmt.pct(null), fmt.num(undefined), fmt.money(null), fmt.ci(null), fmt.int(null)]) {
      expect(missing).toBe('–');
    }
  });

  it('shows instants in New York time, across the DST change', () => {
    expect(fmt.et('2026-11-24T20:45:00.000Z')).toBe('2026-11-24 15:45 ET');
    expect(fmt.et('2026-07-01T13:30:00.000Z')).toBe('2026-07-01 09:30 ET');
  });

  it('wraps prose at the width, indenting every line', () => {
    const lines = wrap('one two three four five six', '  ', 14).split('\n');
    expect(lines).toEqual(['  one two', '  three four', '  five six']);
    expect(lines.every((line) => line.length <= 14)).toBe(true);
  });
});
