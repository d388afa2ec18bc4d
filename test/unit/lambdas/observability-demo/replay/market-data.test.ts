import { existsSync } from 'node:fs';
import {
  DATASET_SOURCES,
  DatasetError,
  loadDailyBars,
  loadMonthlyCloses,
  parseCsv,
  parseDailyBars,
  parseMonthlyCloses,
  resolvePackageFile,
  WORKLOAD_SYMBOLS,
} from '../../../../../lambdas/observability-demo/replay';

describe('loadDailyBars', () => {
  it('reads AAPL daily bars with the real first and last rows', () => {
    const bars = loadDailyBars('AAPL');
    expect(bars).toHaveLength(1260);
    expect(bars[0]).toEqual({
      date: '2013-05-13',
      open: 64.501427,
      high: 65.414284,
      low: 64.5,
      close: 64.96286,
    });
    expect(bars[bars.length - 1]).toEqual({
      date: '2018-05-11',
      open: 189.490005,
      high: 190.059998,
      low: 187.449997,
      close: 188.589996,
    });
  });

  it('reads the S&P 500 (SPX) daily bars with the real first and last rows', () => {
    const bars = loadDailyBars('SPX');
    expect(bars).toHaveLength(5105);
    expect(bars[0]).toEqual({
      date: '2000-01-03',
      open: 1469.25,
      high: 1478,
      low: 1438.359985,
      close: 1455.219971,
    });
    expect(bars[bars.length - 1]).toEqual({
      date: '2020-04-17',
      open: 2842.429932,
      high: 2879.219971,
      low: 2830.879883,
      close: 2874.560059,
    });
  });

  it('caches per process and hands out frozen data', () => {
    const first = loadDailyBars('AAPL');
    expect(loadDailyBars('AAPL')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first[0])).toBe(true);
  });

  it('holds only consistent bars in strictly ascending date order', () => {
    for (const symbol of ['AAPL', 'SPX'] as const) {
      const bars = loadDailyBars(symbol);
      bars.forEach((bar, index) => {
        expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
        expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
        if (index > 0) expect(bar.date > (bars[index - 1]?.date ?? '')).toBe(true);
      });
    }
  });
});

describe('loadMonthlyCloses', () => {
  it('reads the five stocks.csv series with real first and last closes', () => {
    expect(loadMonthlyCloses('MSFT')[0]).toEqual({ date: '2000-01-01', close: 39.81 });
    expect(loadMonthlyCloses('MSFT').at(-1)).toEqual({ date: '2010-03-01', close: 28.8 });
    expect(loadMonthlyCloses('AAPL').at(-1)).toEqual({ date: '2010-03-01', close: 223.02 });
    expect(loadMonthlyCloses('GOOG')[0]).toEqual({ date: '2004-08-01', close: 102.37 });
    expect(loadMonthlyCloses('GOOG').at(-1)).toEqual({ date: '2010-03-01', close: 560.19 });
    expect(loadMonthlyCloses('AMZN').at(-1)).toEqual({ date: '2010-03-01', close: 128.82 });
    expect(loadMonthlyCloses('IBM').at(-1)).toEqual({ date: '2010-03-01', close: 125.55 });
    expect(loadMonthlyCloses('MSFT')).toHaveLength(123);
    expect(loadMonthlyCloses('GOOG')).toHaveLength(68);
  });

  it('refuses a symbol that is not in the file', () => {
    expect(() => loadMonthlyCloses('SPX' as 'MSFT')).toThrow(DatasetError);
  });
});

describe('DATASET_SOURCES', () => {
  it('names an installed file for every workload symbol', () => {
    expect(Object.keys(DATASET_SOURCES).sort()).toEqual([...WORKLOAD_SYMBOLS].sort());
    for (const source of Object.values(DATASET_SOURCES)) {
      expect(existsSync(resolvePackageFile(source.package, source.file))).toBe(true);
    }
    expect(DATASET_SOURCES.AAPL).toMatchObject({
      package: '@observablehq/sample-datasets',
      frequency: 'daily',
    });
    expect(DATASET_SOURCES.SPX).toMatchObject({ file: 'data/sp500-2000.csv', frequency: 'daily' });
    expect(DATASET_SOURCES.GOOG).toMatchObject({ file: 'data/stocks.csv', frequency: 'monthly' });
  });

  it('reports a package that is not installed as a DatasetError', () => {
    expect(() => resolvePackageFile('no-such-package-xyz', 'a.csv')).toThrow(DatasetError);
  });
});

describe('CSV parsing and validation', () => {
  const header = 'Date,Open,High,Low,Close\n';

  it('splits quoted fields, escaped quotes, CRLF and drops blank lines', () => {
    expect(parseCsv('a,"b,c","d ""e"""\r\n\r\n1,2,3')).toEqual([
      ['a', 'b,c', 'd "e"'],
      ['1', '2', '3'],
    ]);
  });

  it('accepts a valid file whatever the header case and extra columns', () => {
    expect(parseDailyBars('date,open,high,low,close,volume\n2020-01-02,10,11,9,10.5,100\n')).toEqual([
      { date: '2020-01-02', open: 10, high: 11, low: 9, close: 10.5 },
    ]);
  });

  it.each([
    ['a non-date', `${header}2020-13-01,10,11,9,10`, /line 2: date/],
    [
      'dates out of order',
      `${header}2020-01-03,10,11,9,10\n2020-01-02,10,11,9,10`,
      /line 3: date 2020-01-02/,
    ],
    ['a negative price', `${header}2020-01-02,-10,11,9,10`, /open is not a positive number/],
    ['a missing value', `${header}2020-01-02,10,,9,10`, /high is not a positive number/],
    ['text as a price', `${header}2020-01-02,10,11,null,10`, /low is not a positive number/],
    ['high below close', `${header}2020-01-02,10,11,9,12`, /inconsistent bar/],
    ['a missing column', 'Date,Open,High,Close\n2020-01-02,10,11,10', /missing column low/],
    ['no rows', header, /no rows/],
  ])('rejects %s with the line', (_label, text, message) => {
    expect(() => parseDailyBars(text, 'test.csv')).toThrow(message);
    expect(() => parseDailyBars(text, 'test.csv')).toThrow(DatasetError);
  });

  it('rejects malformed monthly rows', () => {
    expect(() => parseMonthlyCloses('symbol,date,price\nMSFT,Foo 1 2000,3')).toThrow(/line 2: date/);
    expect(() => parseMonthlyCloses('symbol,date,price\nMSFT,Feb 30 2000,3')).toThrow(/line 2: date/);
    expect(() => parseMonthlyCloses('symbol,date,price\nmsft,Jan 1 2000,3')).toThrow(/symbol/);
    expect(() => parseMonthlyCloses('symbol,date,price\nMSFT,Feb 1 2000,3\nMSFT,Jan 1 2000,3')).toThrow(
      /does not follow/,
    );
    expect(parseMonthlyCloses('symbol,date,price\nMSFT,Jan 1 2000,3\nIBM,Jan 1 2000,4').get('IBM')).toEqual([
      { date: '2000-01-01', close: 4 },
    ]);
  });
});
