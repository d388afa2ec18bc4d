/**
 * A small evaluator for the CloudWatch metric-math subset the alert rules use (IF, FILL, AND/OR, comparisons,
 * + − × ÷, numbers, metric ids), at one timestamp, and CloudWatch's M-of-N alarm evaluation. The backtest runs
 * the rules' own expression strings through it, so the replayed alarms are the deployed ones, not a re-telling.
 *
 * Semantics at one timestamp: a metric without a datapoint is `null`; FILL(m, v) turns it into v; any other
 * operation on `null` yields `null` (CloudWatch emits no datapoint); division by zero yields `null`.
 */

import { StackError, StackErrorCode } from '../errors';
import { Comparison, MissingData } from './rules';

export class MetricMathError extends StackError {
  override readonly name: string = 'MetricMathError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(StackErrorCode.METRIC_MATH_INVALID, message, options);
  }
}

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'ident'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'paren'; value: '(' | ')' }
  | { kind: 'comma' };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|&&|\|\||[-+*/<>!])|([()])|(,))/y;
  let index = 0;
  while (index < expression.length) {
    if (/^\s*$/.test(expression.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match) throw new MetricMathError(`cannot read "${expression.slice(index, index + 12)}…"`);
    index = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]) });
    else if (match[2] !== undefined) {
      const word = match[2].toUpperCase();
      if (word === 'AND' || word === 'OR' || word === 'NOT') tokens.push({ kind: 'op', value: word });
      else tokens.push({ kind: 'ident', value: match[2] });
    } else if (match[3] !== undefined) {
      const op = match[3] === '&&' ? 'AND' : match[3] === '||' ? 'OR' : match[3] === '!' ? 'NOT' : match[3];
      tokens.push({ kind: 'op', value: op });
    } else if (match[4] !== undefined) tokens.push({ kind: 'paren', value: match[4] as '(' | ')' });
    else tokens.push({ kind: 'comma' });
  }
  return tokens;
}

type Value = number | null;
type Node = (values: Readonly<Record<string, Value>>) => Value;

const lift2 =
  (f: (a: number, b: number) => number | null) =>
  (a: Value, b: Value): Value =>
    a === null || b === null ? null : f(a, b);

const BINARY: Record<string, (a: Value, b: Value) => Value> = {
  '+': lift2((a, b) => a + b),
  '-': lift2((a, b) => a - b),
  '*': lift2((a, b) => a * b),
  '/': lift2((a, b) => (b === 0 ? null : a / b)),
  '>': lift2((a, b) => Number(a > b)),
  '<': lift2((a, b) => Number(a < b)),
  '>=': lift2((a, b) => Number(a >= b)),
  '<=': lift2((a, b) => Number(a <= b)),
  '==': lift2((a, b) => Number(a === b)),
  '!=': lift2((a, b) => Number(a !== b)),
  AND: lift2((a, b) => Number(a !== 0 && b !== 0)),
  OR: lift2((a, b) => Number(a !== 0 || b !== 0)),
};

/** Compiles an expression once; the result evaluates it for one timestamp's metric values. */
export function compileExpression(expression: string): Node {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => {
    const token = tokens[position];
    position += 1;
    if (!token) throw new MetricMathError(`unexpected end of "${expression}"`);
    return token;
  };
  const isOp = (...ops: string[]) => {
    const token = peek();
    return token?.kind === 'op' && ops.includes(token.value);
  };
  const expect = (kind: Token['kind'], value?: string) => {
    const token = next();
    if (token.kind !== kind || (value !== undefined && 'value' in token && token.value !== value)) {
      throw new MetricMathError(`expected ${value ?? kind} in "${expression}"`);
    }
  };

  const binaryLevel =
    (ops: string[], lower: () => Node): (() => Node) =>
    () => {
      let left = lower();
      while (isOp(...ops)) {
        const op = (next() as { value: string }).value;
        const right = lower();
        const l = left;
        const f = BINARY[op] as (a: Value, b: Value) => Value;
        left = (values) => f(l(values), right(values));
      }
      return left;
    };

  const primary = (): Node => {
    const token = next();
    if (token.kind === 'number') return () => token.value;
    if (token.kind === 'paren' && token.value === '(') {
      const inner = orLevel();
      expect('paren', ')');
      return inner;
    }
    if (token.kind === 'op' && (token.value === '-' || token.value === 'NOT')) {
      const operand = primary();
      return token.value === '-'
        ? (values) => {
            const v = operand(values);
            return v === null ? null : -v;
          }
        : (values) => {
            const v = operand(values);
            return v === null ? null : Number(v === 0);
          };
    }
    if (token.kind === 'ident') {
      if (peek()?.kind === 'paren' && (peek() as { value: string }).value === '(') {
        next();
        const args: Node[] = [];
        if (!(peek()?.kind === 'paren' && (peek() as { value: string }).value === ')')) {
          args.push(orLevel());
          while (peek()?.kind === 'comma') {
            next();
            args.push(orLevel());
          }
        }
        expect('paren', ')');
        return call(token.value.toUpperCase(), args);
      }
      const id = token.value;
      return (values) => {
        if (!(id in values)) throw new MetricMathError(`no value for metric "${id}" in "${expression}"`);
        const v = values[id];
        return v === undefined || v === null || !Number.isFinite(v) ? null : v;
      };
    }
    throw new MetricMathError(`unexpected token in "${expression}"`);
  };

  const call = (name: string, args: Node[]): Node => {
    const [a, b, c] = args;
    if (name === 'IF' && a && b && c && args.length === 3) {
      return (values) => {
        const condition = a(values);
        if (condition === null) return null;
        return condition !== 0 ? b(values) : c(values);
      };
    }
    if (name === 'FILL' && a && b && args.length === 2) {
      return (values) => a(values) ?? b(values);
    }
    throw new MetricMathError(`unsupported function ${name}/${args.length} in "${expression}"`);
  };

  const mulLevel = binaryLevel(['*', '/'], primary);
  const addLevel = binaryLevel(['+', '-'], mulLevel);
  const cmpLevel = binaryLevel(['>', '<', '>=', '<=', '==', '!='], addLevel);
  const andLevel = binaryLevel(['AND'], cmpLevel);
  const orLevel = binaryLevel(['OR'], andLevel);

  const root = orLevel();
  if (position !== tokens.length) throw new MetricMathError(`trailing input in "${expression}"`);
  return root;
}

/** Evaluates an expression for one timestamp. */
export function evaluateExpression(
  expression: string,
  values: Readonly<Record<string, number | null>>,
): number | null {
  return compileExpression(expression)(values);
}

export function breaches(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case Comparison.GT:
      return value > threshold;
    case Comparison.GTE:
      return value >= threshold;
    case Comparison.LT:
      return value < threshold;
    case Comparison.LTE:
      return value <= threshold;
  }
}

export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

export interface AlarmEvaluation {
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly missingData: MissingData;
}

/**
 * CloudWatch's "M out of N" evaluation over the latest N datapoints (oldest first, null = missing), with the
 * missing-data treatment. Simplified where CloudWatch looks further back for partially missing ranges.
 */
export function evaluateAlarm(
  datapoints: readonly (number | null)[],
  rule: AlarmEvaluation,
  previous: AlarmState = 'OK',
): AlarmState {
  const window = datapoints.slice(-rule.evaluationPeriods);
  while (window.length < rule.evaluationPeriods) window.unshift(null);
  const present = window.filter((value): value is number => value !== null);
  if (present.length === 0) {
    if (rule.missingData === MissingData.BREACHING) return 'ALARM';
    if (rule.missingData === MissingData.NOT_BREACHING) return 'OK';
    if (rule.missingData === MissingData.IGNORE) return previous;
    return 'INSUFFICIENT_DATA';
  }
  let breaching = present.filter((value) => breaches(value, rule.comparison, rule.threshold)).length;
  if (rule.missingData === MissingData.BREACHING) breaching += window.length - present.length;
  return breaching >= rule.datapointsToAlarm ? 'ALARM' : 'OK';
}
