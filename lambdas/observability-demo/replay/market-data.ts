/**
 * Real historical prices from installed npm packages (no network): AAPL and S&P 500 daily bars, and the
 * monthly closes of five large caps. Files are found with `require.resolve`, parsed by a tiny CSV
 * reader, validated row by row (a bad row is a `DatasetError` naming file and line, never silently
 * skipped), and cached per process as frozen arrays.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatasetError } from './errors';

export interface DailyBar {
  /** Trading date, YYYY-MM-DD. */
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export interface MonthlyClose {
  /** First day of the month, YYYY-MM-DD (the dataset dates each close to the 1st). */
  readonly date: string;
  readonly close: number;
}

export const DAILY_SYMBOLS = ['AAPL', 'SPX'] as const;
export type DailySymbol = (typeof DAILY_SYMBOLS)[number];

/** Symbols in vega-datasets' stocks.csv. AAPL is replayed from its daily file, the rest from here. */
export const MONTHLY_SYMBOLS = ['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL'] as const;
export type MonthlySymbol = (typeof MONTHLY_SYMBOLS)[number];

/** The symbols a workload can replay, each from exactly one source (see `DATASET_SOURCES`). */
export const WORKLOAD_SYMBOLS = ['AAPL', 'SPX', 'MSFT', 'AMZN', 'IBM', 'GOOG'] as const;
export type WorkloadSymbol = (typeof WORKLOAD_SYMBOLS)[number];

export const Frequency = { Daily: 'daily', Monthly: 'monthly' } as const;
export type Frequency = (typeof Frequency)[keyof typeof Frequency];

export interface DatasetSource {
  readonly symbol: WorkloadSymbol;
  /** npm package the file ships in. */
  readonly package: string;
  /** Path inside the package. */
  readonly file: string;
  readonly frequency: Frequency;
  readonly description: string;
}

const AAPL_FILE = { package: '@observablehq/sample-datasets', file: 'aapl.csv' } as const;
const SPX_FILE = { package: 'vega-datasets', file: 'data/sp500-2000.csv' } as const;
const STOCKS_FILE = { package: 'vega-datasets', file: 'data/stocks.csv' } as const;

/** The data files the workload reads, as (package, file) pairs: a Lambda bundle must ship them. */
export const DATASET_FILES = [AAPL_FILE, SPX_FILE, STOCKS_FILE] as const;

/**
 * Where a bundle (the observability-demo Lambda) carries the data files: `datasets/<package>/<file>` next to
 * the bundled code, since esbuild does not follow `require.resolve` to data files.
 */
export function bundledDatasetPath(source: { package: string; file: string }): string {
  return join('datasets', source.package, source.file);
}

const monthly = (symbol: WorkloadSymbol, name: string): DatasetSource => ({
  symbol,
  ...STOCKS_FILE,
  frequency: Frequency.Monthly,
  description: `${name} monthly closes, 2000–2010 (one real month is replayed as one trading day)`,
});

/** Where each replayed symbol's prices come from, for reports. */
export const DATASET_SOURCES: Readonly<Record<WorkloadSymbol, DatasetSource>> = {
  AAPL: {
    symbol: 'AAPL',
    ...AAPL_FILE,
    frequency: Frequency.Daily,
    description: 'Apple Inc. daily OHLC, 2013-05-13 to 2018-05-11',
  },
  SPX: {
    symbol: 'SPX',
    ...SPX_FILE,
    frequency: Frequency.Daily,
    description: 'S&P 500 index daily OHLC, 2000-01-03 to 2020-04-17',
  },
  MSFT: monthly('MSFT', 'Microsoft'),
  AMZN: monthly('AMZN', 'Amazon'),
  IBM: monthly('IBM', 'IBM'),
  GOOG: monthly('GOOG', 'Alphabet (Google)'),
};

export function isWorkloadSymbol(value: unknown): value is WorkloadSymbol {
  return typeof value === 'string' && (WORKLOAD_SYMBOLS as readonly string[]).includes(value);
}

/** `require.resolve` of a file in an installed package, also when the package's `exports` hide it. */
export function resolvePackageFile(packageName: string, file: string): string {
  try {
    return require.resolve(`${packageName}/${file}`);
  } catch (error) {
    // vega-datasets exports only its JS entry: find the package root from it and join the data path.
    let entry: string;
    try {
      entry = require.resolve(packageName);
    } catch {
      throw new DatasetError(`cannot resolve ${packageName}/${file}: is ${packageName} installed?`, {
        cause: error,
      });
    }
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (parsed.name === packageName) return join(dir, file);
      } catch {
        // no manifest at this level; keep walking up
      }
    }
    throw new DatasetError(`cannot find the root of package ${packageName} to read ${file}`, {
      cause: error,
    });
  }
}

/** Rows of a simple CSV text (quoted fields with "" escapes supported; CRLF or LF; blank lines dropped). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  row.push(field);
  if (row.length > 1 || row[0] !== '') rows.push(row);
  return rows;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS: Readonly<Record<string, string>> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

function isRealDate(iso: string): boolean {
  const match = ISO_DATE.exec(iso);
  if (!match) return false;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

/** "Jan 1 2000" → "2000-01-01", or null. */
function parseMonthDayYear(text: string): string | null {
  const match = /^([A-Z][a-z]{2}) (\d{1,2}) (\d{4})$/.exec(text.trim());
  const month = match?.[1] !== undefined ? MONTHS[match[1]] : undefined;
  if (!match || month === undefined || match[2] === undefined) return null;
  const iso = `${match[3]}-${month}-${match[2].padStart(2, '0')}`;
  return isRealDate(iso) ? iso : null;
}

interface RowContext {
  readonly file: string;
  readonly line: number;
}

function fail(context: RowContext, problem: string): never {
  throw new DatasetError(`${context.file} line ${context.line}: ${problem}`);
}

function price(context: RowContext, column: string, text: string | undefined): number {
  const value = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value <= 0) fail(context, `${column} is not a positive number (${text})`);
  return value;
}

function headerIndex(header: readonly string[], file: string, names: readonly string[]): number[] {
  const lower = header.map((name) => name.trim().toLowerCase());
  return names.map((name) => {
    const index = lower.indexOf(name.toLowerCase());
    if (index < 0) throw new DatasetError(`${file}: missing column ${name} (header: ${header.join(',')})`);
    return index;
  });
}

/**
 * Daily OHLC bars from CSV text with columns Date/Open/High/Low/Close (any case, extra columns ignored).
 * Validates: real ISO dates strictly ascending, positive finite prices, low ≤ open, close ≤ high.
 */
export function parseDailyBars(text: string, file = 'daily bars'): DailyBar[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new DatasetError(`${file}: empty file`);
  const [iDate, iOpen, iHigh, iLow, iClose] = headerIndex(header, file, [
    'date',
    'open',
    'high',
    'low',
    'close',
  ]);
  const bars: DailyBar[] = [];
  rows.forEach((row, index) => {
    const context = { file, line: index + 2 };
    const date = row[iDate ?? -1]?.trim() ?? '';
    if (!isRealDate(date)) fail(context, `date is not a real YYYY-MM-DD date (${date})`);
    const previous = bars[bars.length - 1];
    if (previous && previous.date >= date) fail(context, `date ${date} does not follow ${previous.date}`);
    const bar: DailyBar = {
      date,
      open: price(context, 'open', row[iOpen ?? -1]),
      high: price(context, 'high', row[iHigh ?? -1]),
      low: price(context, 'low', row[iLow ?? -1]),
      close: price(context, 'close', row[iClose ?? -1]),
    };
    if (bar.low > Math.min(bar.open, bar.close) || bar.high < Math.max(bar.open, bar.close)) {
      fail(
        context,
        `inconsistent bar: low ${bar.low}, high ${bar.high}, open ${bar.open}, close ${bar.close}`,
      );
    }
    bars.push(Object.freeze(bar));
  });
  if (bars.length === 0) throw new DatasetError(`${file}: no rows`);
  return bars;
}

/** Monthly closes by symbol from vega-datasets' stocks.csv layout (symbol,date "Jan 1 2000",price). */
export function parseMonthlyCloses(text: string, file = 'monthly closes'): Map<string, MonthlyClose[]> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new DatasetError(`${file}: empty file`);
  const [iSymbol, iDate, iPrice] = headerIndex(header, file, ['symbol', 'date', 'price']);
  const bySymbol = new Map<string, MonthlyClose[]>();
  rows.forEach((row, index) => {
    const context = { file, line: index + 2 };
    const symbol = row[iSymbol ?? -1]?.trim() ?? '';
    if (!/^[A-Z][A-Z0-9.-]{0,9}$/.test(symbol)) fail(context, `symbol is not a ticker (${symbol})`);
    const rawDate = row[iDate ?? -1] ?? '';
    const date = parseMonthDayYear(rawDate);
    if (date === null) fail(context, `date is not like "Jan 1 2000" (${rawDate})`);
    const series = bySymbol.get(symbol) ?? [];
    const previous = series[series.length - 1];
    if (previous && previous.date >= date)
      fail(context, `${symbol} date ${date} does not follow ${previous.date}`);
    series.push(Object.freeze({ date, close: price(context, 'price', row[iPrice ?? -1]) }));
    bySymbol.set(symbol, series);
  });
  return bySymbol;
}

const dailyCache = new Map<DailySymbol, readonly DailyBar[]>();
let monthlyCache: Map<string, readonly MonthlyClose[]> | undefined;

function readPackageText(source: { package: string; file: string }): { text: string; label: string } {
  const label = `${source.package}/${source.file}`;
  const bundled = join(__dirname, bundledDatasetPath(source));
  const path = existsSync(bundled) ? bundled : resolvePackageFile(source.package, source.file);
  try {
    return { text: readFileSync(path, 'utf8'), label };
  } catch (error) {
    throw new DatasetError(`cannot read ${label}`, { cause: error });
  }
}

/** Daily OHLC bars of AAPL (2013-05-13 … 2018-05-11) or the S&P 500 index SPX (2000-01-03 … 2020-04-17). */
export function loadDailyBars(symbol: DailySymbol): readonly DailyBar[] {
  const cached = dailyCache.get(symbol);
  if (cached) return cached;
  const source = symbol === 'AAPL' ? AAPL_FILE : symbol === 'SPX' ? SPX_FILE : undefined;
  if (!source)
    throw new DatasetError(`no daily dataset for ${String(symbol)}; daily symbols: ${DAILY_SYMBOLS}`);
  const { text, label } = readPackageText(source);
  const bars = Object.freeze(parseDailyBars(text, label));
  dailyCache.set(symbol, bars);
  return bars;
}

/** Monthly closes (2000-01 … 2010-03; GOOG from 2004-08) of MSFT, AMZN, IBM, GOOG or AAPL. */
export function loadMonthlyCloses(symbol: MonthlySymbol): readonly MonthlyClose[] {
  if (!monthlyCache) {
    const { text, label } = readPackageText(STOCKS_FILE);
    monthlyCache = new Map(
      [...parseMonthlyCloses(text, label)].map(([key, series]) => [key, Object.freeze(series)]),
    );
  }
  const series = monthlyCache.get(symbol);
  if (!series || !(MONTHLY_SYMBOLS as readonly string[]).includes(symbol)) {
    throw new DatasetError(`no monthly closes for ${String(symbol)}; monthly symbols: ${MONTHLY_SYMBOLS}`);
  }
  return series;
}
