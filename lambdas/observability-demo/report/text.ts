/**
 * The report's text tools: aligned tables, number formats (each figure rounded once, where it is printed),
 * wrapped prose and section headings.
 */
import { formatCostPerDay } from '../../sampling-optimizer/cost';

export type Align = 'left' | 'right';

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  readonly align?: Align;
}

/** Rows under a header and a rule, columns padded to their widest cell (numbers right-aligned). */
export function table<Row>(rows: readonly Row[], columns: readonly Column<Row>[], indent = '  '): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, c) =>
    Math.max(column.header.length, ...cells.map((row) => (row[c] ?? '').length)),
  );
  const pad = (text: string, c: number) =>
    (columns[c]?.align ?? 'right') === 'left' ? text.padEnd(widths[c] ?? 0) : text.padStart(widths[c] ?? 0);
  const line = (values: readonly string[]) =>
    `${indent}${values.map((value, c) => pad(value, c)).join('  ')}`.trimEnd();
  return [
    line(columns.map((column) => column.header)),
    `${indent}${widths.map((width) => '─'.repeat(width)).join('  ')}`,
    ...cells.map(line),
  ].join('\n');
}

export const fmt = {
  /** 0.6432 → "64.3 %" */
  pct: (x: number | null | undefined, digits = 1): string =>
    x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)} %`,
  /** A value already in percent: 12.345 → "12.3 %" */
  pctValue: (x: number | null | undefined, digits = 1): string =>
    x === null || x === undefined ? '–' : `${x.toFixed(digits)} %`,
  num: (x: number | null | undefined, digits = 3): string =>
    x === null || x === undefined ? '–' : x.toFixed(digits),
  signed: (x: number | null | undefined, digits = 3): string =>
    x === null || x === undefined ? '–' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`,
  int: (x: number | null | undefined): string =>
    x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-US'),
  /** 1234567 → "1.23 MB" (decimal units, as SigNoz bills). */
  bytes: (x: number): string =>
    x >= 1e9
      ? `${(x / 1e9).toFixed(2)} GB`
      : x >= 1e6
        ? `${(x / 1e6).toFixed(2)} MB`
        : x >= 1e3
          ? `${(x / 1e3).toFixed(1)} kB`
          : `${Math.round(x)} B`,
  /** A cost per day: to the cent from $1, three significant digits below (local runs cost fractions of a cent). */
  perDay: (x: number | null | undefined): string =>
    x === null || x === undefined ? '–' : formatCostPerDay(x),
  money: (x: number | null | undefined): string =>
    x === null || x === undefined
      ? '–'
      : `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
  ci: (ci: readonly [number, number] | null | undefined): string =>
    ci ? `${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)} %` : '–',
  /** ISO instant → "2026-11-24 15:45 ET" */
  et: (iso: string): string => {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(iso));
    const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ET`;
  },
} as const;

/** 3191 → 3200: a scale, not a measurement (and stable against a byte more or less in the estimate). */
export const twoSignificant = (x: number): number => Number(x.toPrecision(2));

/** Wraps prose at `width` columns, every line indented. */
export function wrap(text: string, indent = '  ', width = 108): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

export function section(title: string, body: string): string {
  return `${title}\n${'═'.repeat(title.length)}\n${body}`;
}
