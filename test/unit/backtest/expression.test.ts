import { buildAlertRules } from '../../../lib/alerting/rules';
import { evaluateExpression, MetricMathError, parseExpression } from '../../../scripts/backtest/expression';

const run = (source: string, values: Record<string, number | null>) =>
  evaluateExpression(parseExpression(source), values);

describe('metric math subset', () => {
  it('arithmetic and precedence: 2 + 3 * 4 = 14, (2 + 3) * 4 = 20, -a', () => {
    expect(run('2 + 3 * 4', {})).toBe(14);
    expect(run('(2 + 3) * 4', {})).toBe(20);
    expect(run('-a + 1', { a: 3 })).toBe(-2);
  });

  it('comparisons and AND/OR give 1 or 0', () => {
    expect(run('n >= 30 AND ub < 60', { n: 30, ub: 59.9 })).toBe(1);
    expect(run('n >= 30 AND ub < 60', { n: 29, ub: 10 })).toBe(0);
    expect(run('a > 1 OR b > 1', { a: 0, b: 2 })).toBe(1);
  });

  it('IF picks a branch; a missing condition is missing', () => {
    expect(run('IF(n >= 30 AND ub < 60, 1, 0)', { n: 400, ub: 55 })).toBe(1);
    expect(run('IF(n >= 30 AND ub < 60, 1, 0)', { n: 400, ub: 71 })).toBe(0);
    expect(run('IF(n >= 30 AND ub < 60, 1, 0)', { n: 400, ub: null })).toBeNull();
  });

  it('FILL replaces a missing value, keeps a present one', () => {
    expect(run('IF(open >= 1, FILL(lag, 86400), 0)', { open: 1, lag: null })).toBe(86400);
    expect(run('IF(open >= 1, FILL(lag, 86400), 0)', { open: 1, lag: 4.2 })).toBe(4.2);
    expect(run('IF(open >= 1, FILL(lag, 86400), 0)', { open: 0, lag: null })).toBe(0);
  });

  it('division by zero is missing, never Infinity', () => {
    expect(run('a / b', { a: 1, b: 0 })).toBeNull();
  });

  it('rejects unknown ids, functions and malformed input', () => {
    expect(() => run('x + 1', {})).toThrow(MetricMathError);
    expect(() => run('RATE(x)', { x: 1 })).toThrow(MetricMathError);
    expect(() => parseExpression('IF(a, 1')).toThrow(MetricMathError);
    expect(() => parseExpression('a $ b')).toThrow(MetricMathError);
  });

  it('parses every expression the deployed rules use', () => {
    for (const rule of buildAlertRules()) {
      if (rule.kind === 'expression') expect(() => parseExpression(rule.expression)).not.toThrow();
    }
  });
});
