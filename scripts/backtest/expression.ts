/**
 * The subset of CloudWatch metric math the alert rules use, parsed once and evaluated per datapoint:
 * numbers, metric ids, + - * /, comparisons (< <= > >= == !=), AND, OR, NOT, IF(cond, a, b) and FILL(id, value).
 * A missing value (the metric has no datapoint in the period) is `null`: arithmetic and comparisons on it give
 * null (CloudWatch drops that timestamp), FILL replaces it, IF with a missing condition is missing.
 */

export class MetricMathError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetricMathError';
  }
}

export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'id'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: '-' | 'NOT'; readonly arg: Expr }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] };

type Token = { readonly type: 'num' | 'id' | 'op' | '(' | ')' | ','; readonly text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|[-+*/<>])|([(),]))/y;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (!match) throw new MetricMathError(`cannot read "${source.slice(index)}" in ${source}`);
    index = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ type: 'num', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ type: 'id', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ type: 'op', text: match[3] });
    else if (match[4] !== undefined) tokens.push({ type: match[4] as '(' | ')' | ',', text: match[4] });
  }
  return tokens;
}

const PRECEDENCE: Readonly<Record<string, number>> = {
  OR: 1,
  AND: 2,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '==': 3,
  '!=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
};

/** Parses a metric-math expression (precedence climbing). */
export function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const take = (): Token => {
    const token = tokens[position++];
    if (!token) throw new MetricMathError(`unexpected end of ${source}`);
    return token;
  };
  const expect = (type: Token['type']): void => {
    const token = take();
    if (token.type !== type) throw new MetricMathError(`expected ${type}, got "${token.text}" in ${source}`);
  };
  const binaryOp = (token: Token | undefined): string | null => {
    if (!token) return null;
    if (token.type === 'op') return token.text;
    if (token.type === 'id' && (token.text === 'AND' || token.text === 'OR')) return token.text;
    return null;
  };
  const primary = (): Expr => {
    const token = take();
    if (token.type === 'num') return { kind: 'num', value: Number(token.text) };
    if (token.type === '(') {
      const inner = expression(0);
      expect(')');
      return inner;
    }
    if (token.type === 'op' && token.text === '-') return { kind: 'unary', op: '-', arg: primary() };
    if (token.type === 'id') {
      if (token.text === 'NOT') return { kind: 'unary', op: 'NOT', arg: primary() };
      if (peek()?.type === '(') {
        take();
        const args: Expr[] = [];
        if (peek()?.type !== ')') {
          args.push(expression(0));
          while (peek()?.type === ',') {
            take();
            args.push(expression(0));
          }
        }
        expect(')');
        return { kind: 'call', name: token.text.toUpperCase(), args };
      }
      return { kind: 'id', name: token.text };
    }
    throw new MetricMathError(`unexpected "${token.text}" in ${source}`);
  };
  const expression = (minPrecedence: number): Expr => {
    let left = primary();
    for (;;) {
      const op = binaryOp(peek());
      const precedence = op === null ? undefined : PRECEDENCE[op];
      if (op === null || precedence === undefined || precedence < minPrecedence) return left;
      take();
      const right = expression(precedence + 1);
      left = { kind: 'binary', op, left, right };
    }
  };
  const result = expression(0);
  if (position !== tokens.length) throw new MetricMathError(`trailing input in ${source}`);
  return result;
}

/** The metric ids an expression reads. */
export function referencedIds(expr: Expr, into: Set<string> = new Set()): Set<string> {
  switch (expr.kind) {
    case 'id':
      into.add(expr.name);
      break;
    case 'unary':
      referencedIds(expr.arg, into);
      break;
    case 'binary':
      referencedIds(expr.left, into);
      referencedIds(expr.right, into);
      break;
    case 'call':
      for (const arg of expr.args) referencedIds(arg, into);
      break;
    default:
      break;
  }
  return into;
}

const truthy = (value: number): boolean => value !== 0;

/** Evaluates with metric values (null = no datapoint). Division by zero is missing, never Infinity. */
export function evaluateExpression(
  expr: Expr,
  values: Readonly<Record<string, number | null>>,
): number | null {
  switch (expr.kind) {
    case 'num':
      return expr.value;
    case 'id': {
      const value = values[expr.name];
      if (value === undefined) throw new MetricMathError(`unknown metric id ${expr.name}`);
      return value;
    }
    case 'unary': {
      const arg = evaluateExpression(expr.arg, values);
      if (arg === null) return null;
      return expr.op === '-' ? -arg : truthy(arg) ? 0 : 1;
    }
    case 'binary': {
      const left = evaluateExpression(expr.left, values);
      const right = evaluateExpression(expr.right, values);
      if (left === null || right === null) return null;
      switch (expr.op) {
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '*':
          return left * right;
        case '/':
          return right === 0 ? null : left / right;
        case '<':
          return left < right ? 1 : 0;
        case '<=':
          return left <= right ? 1 : 0;
        case '>':
          return left > right ? 1 : 0;
        case '>=':
          return left >= right ? 1 : 0;
        case '==':
          return left === right ? 1 : 0;
        case '!=':
          return left !== right ? 1 : 0;
        case 'AND':
          return truthy(left) && truthy(right) ? 1 : 0;
        case 'OR':
          return truthy(left) || truthy(right) ? 1 : 0;
        default:
          throw new MetricMathError(`unsupported operator ${expr.op}`);
      }
    }
    case 'call': {
      if (expr.name === 'IF') {
        const [condition, then, otherwise] = expr.args;
        if (!condition || !then || !otherwise) throw new MetricMathError('IF takes 3 arguments');
        const test = evaluateExpression(condition, values);
        if (test === null) return null;
        return evaluateExpression(truthy(test) ? then : otherwise, values);
      }
      if (expr.name === 'FILL') {
        const [series, fill] = expr.args;
        if (!series || !fill) throw new MetricMathError('FILL takes 2 arguments');
        return evaluateExpression(series, values) ?? evaluateExpression(fill, values);
      }
      throw new MetricMathError(`unsupported function ${expr.name}`);
    }
    default:
      throw new MetricMathError('unknown expression node');
  }
}
