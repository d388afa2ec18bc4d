import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MetricsUnavailableError } from '../../../../lambdas/sampling-optimizer/volumes';
import { AccuracyInputError } from '../../../../lambdas/shared/accuracy';
import { ConfigError } from '../../../../lambdas/shared/config';
import {
  DependencyError,
  FailureCode,
  isDependencyFailure,
  TradingObservabilityError,
} from '../../../../lambdas/shared/errors';
import { CalendarRangeError } from '../../../../lambdas/shared/market';
import { StoreError } from '../../../../lambdas/shared/store/dynamo';
import { SamplingVersionConflictError } from '../../../../lambdas/shared/store/sampling-store';
import { InvalidScoreConfigError } from '../../../../lambdas/shared/trading';
import { ExportError, IngestionKeyError, TelemetryError } from '../../../../layers/otel/src';
import { StackError } from '../../../../lib/errors';
import { ScriptError } from '../../../../scripts/errors';
import { UnknownFunctionError } from '../../../../scripts/local/runtime';

describe('one error base per part, with a code and the cause', () => {
  it('every function error is a TradingObservabilityError with its code', () => {
    const cause = new Error('root');
    const cases: [TradingObservabilityError, string][] = [
      [new ConfigError('X: bad', { cause }), FailureCode.CONFIG_INVALID],
      [new StoreError('unprocessed', { cause }), FailureCode.STORE_FAILED],
      [new MetricsUnavailableError('GetMetricData failed', { cause }), FailureCode.METRICS_UNAVAILABLE],
      [new SamplingVersionConflictError(3, { cause }), FailureCode.SAMPLING_VERSION_CONFLICT],
      [new CalendarRangeError(2030, [2025], { cause }), FailureCode.CALENDAR_OUT_OF_RANGE],
      [new InvalidScoreConfigError('w', { cause }), FailureCode.INVALID_SCORE_CONFIG],
      [new AccuracyInputError('c', { cause }), FailureCode.INVALID_ACCURACY_INPUT],
    ];
    for (const [error, code] of cases) {
      expect(error).toBeInstanceOf(TradingObservabilityError);
      expect(error.code).toBe(code);
      expect(error.cause).toBe(cause);
    }
    expect(new StoreError('x').name).toBe('StoreError');
  });

  it('tells dependency failures from the caller’s and the code’s mistakes', () => {
    expect(isDependencyFailure(new StoreError('throttled'))).toBe(true);
    expect(isDependencyFailure(new MetricsUnavailableError('down'))).toBe(true);
    expect(new StoreError('x')).toBeInstanceOf(DependencyError);
    expect(isDependencyFailure(new ConfigError('X: bad'))).toBe(false);
    expect(isDependencyFailure(new SamplingVersionConflictError(1))).toBe(false);
    expect(isDependencyFailure(new Error('plain'))).toBe(false);
  });

  it('the layer, the CDK app and the scripts each have theirs', () => {
    expect(new ExportError('HTTP 500')).toBeInstanceOf(TelemetryError);
    expect(new ExportError('HTTP 500').code).toBe('EXPORT_FAILED');
    expect(new IngestionKeyError('no key').code).toBe('INGESTION_KEY_UNAVAILABLE');
    expect(new StackError('INVALID_SETTING', 'namePrefix').code).toBe('INVALID_SETTING');
    const unknown = new UnknownFunctionError('nope');
    expect(unknown).toBeInstanceOf(ScriptError);
    expect(unknown.code).toBe('UNKNOWN_FUNCTION');
  });
});

describe('no error class outside the bases extends Error directly', () => {
  const ROOT = join(__dirname, '..', '..', '..', '..');
  const BASES = [
    'lambdas/shared/errors.ts',
    'layers/otel/src/errors.ts',
    'lib/errors.ts',
    'scripts/errors.ts',
  ];
  /** Files other open issues are rewriting; their classes move onto the bases there (phase 2 otherwise). */
  const NOT_YET = [
    'lambdas/ingestion-key-rotation/errors.ts',
    'lambdas/key-age-check/handler.ts',
    'lib/alerting/burn-rate.ts',
    'lib/alerting/metric-math.ts',
    'lib/alerting/rule-alarms.ts',
    'lib/alerting/rule-types.ts',
    'scripts/backtest.ts',
    'scripts/backtest/metric-store.ts',
    'scripts/backtest/scenarios.ts',
    'lambdas/observability-demo/errors.ts',
    'scripts/local/secrets-manager-stand-in.ts',
  ];

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) return sources(full);
      return entry.endsWith('.ts') ? [relative(ROOT, full)] : [];
    });
  }

  it('holds for every part but the files listed as not yet moved (a list that may only shrink)', () => {
    const offenders = ['bin', 'lib', 'lambdas', 'layers', 'scripts']
      .flatMap((part) => sources(join(ROOT, part)))
      .filter((file) => !BASES.includes(file))
      .filter((file) => /class \w+ extends Error\b/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders.filter((file) => !NOT_YET.includes(file))).toEqual([]);
    expect(NOT_YET.filter((file) => !offenders.includes(file))).toEqual([]);
  });
});
