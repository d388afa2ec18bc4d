import {
  formatValueForClickhouse,
  reservedTimeVariables,
  substituteSignozVariables,
  substituteVariableQuery,
  UnresolvedVariableError,
} from '../../../../scripts/signoz/variables';

const range = { startMs: 1764000000123, endMs: 1764086400999 };

describe('SigNoz variable substitution (pkg/querier/render.go, format.go)', () => {
  it('renders the reserved time variables from milliseconds', () => {
    expect(reservedTimeVariables(range.startMs, range.endMs)).toEqual({
      start_timestamp: '1764000000',
      end_timestamp: '1764086400',
      start_timestamp_ms: '1764000000123',
      end_timestamp_ms: '1764086400999',
      SIGNOZ_START_TIME: '1764000000123',
      SIGNOZ_END_TIME: '1764086400999',
      start_timestamp_nano: '1764000000123000000',
      end_timestamp_nano: '1764086400999000000',
      start_datetime: 'toDateTime(1764000000)',
      end_datetime: 'toDateTime(1764086400)',
    });
  });

  it('formats values as ClickHouse literals: quoted strings, string lists as arrays', () => {
    expect(formatValueForClickhouse('AAPL')).toBe("'AAPL'");
    expect(formatValueForClickhouse("O'Neil\\")).toBe("'O\\'Neil\\\\'");
    expect(formatValueForClickhouse(['AAPL', 'MSFT'])).toBe("['AAPL','MSFT']");
    expect(formatValueForClickhouse([])).toBe('[]');
    expect(formatValueForClickhouse([1, 2])).toBe('1,2');
    expect(formatValueForClickhouse(0.4)).toBe('0.400000');
    expect(formatValueForClickhouse(3)).toBe('3');
    expect(formatValueForClickhouse(true)).toBe('true');
  });

  it('substitutes $name, {{name}}, [[name]] and {{.name}}, longest name first', () => {
    const sql = substituteSignozVariables(
      'a >= $start_timestamp_ms AND b >= $start_timestamp AND s IN $symbol AND m IN {{model}} AND n IN [[model]] AND p = {{ .price }}',
      { ...range, variables: { symbol: ['AAPL'], model: ['lstm-v3', 'xgb'], price: '0.40' } },
    );
    expect(sql).toBe(
      "a >= 1764000000123 AND b >= 1764000000 AND s IN ['AAPL'] AND m IN ['lstm-v3','xgb'] AND n IN ['lstm-v3','xgb'] AND p = '0.40'",
    );
  });

  it('refuses to leave a variable unresolved (ClickHouse would reject it)', () => {
    expect(() => substituteSignozVariables('x IN $unknown', range)).toThrow(UnresolvedVariableError);
    expect(() => substituteSignozVariables('x = {{.unknown}}', range)).toThrow(/unresolved variable/);
  });
});

describe("SigNoz's variable-query substitution (POST /api/v2/variables/query, prepareQuery)", () => {
  it('formats the range as floats (%f), strings quoted as is, lists as arrays, longest name first', () => {
    const sql = substituteVariableQuery(
      'a >= toUInt64($start_timestamp) AND b <= $end_timestamp_ms AND s = $service AND p IN $symbol AND q = {{.partition}}',
      { ...range, variables: { service: 'stock_analytics', symbol: ['AAPL', 'IBM'], partition: 'live' } },
    );
    expect(sql).toBe(
      "a >= toUInt64(1764000000.000000) AND b <= 1764086400000.000000 AND s = 'stock_analytics' AND p IN ['AAPL','IBM'] AND q = 'live'",
    );
  });

  it('has no $start_datetime (the frontend does not send it): left unresolved', () => {
    expect(() => substituteVariableQuery('t >= $start_datetime', range)).toThrow(UnresolvedVariableError);
  });
});
