import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RotationError, RotationErrorCode } from '../../../../lambdas/ingestion-key-rotation/errors';
import { ProbeConfigError } from '../../../../lambdas/key-age-check/handler';
import { DemoError, DemoErrorCode, StepFailedError } from '../../../../lambdas/observability-demo/errors';
import { DatasetError } from '../../../../lambdas/observability-demo/replay/errors';
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
import { AlarmPlanError } from '../../../../lib/alerting/alarm-plan';
import { SloObjectiveError } from '../../../../lib/alerting/burn-rate';
import { MetricMathError } from '../../../../lib/alerting/metric-math';
import { AlarmWiringError } from '../../../../lib/alerting/rule-alarms';
import { AlertRuleError } from '../../../../lib/alerting/rule-types';
import { StackError } from '../../../../lib/errors';
import { MetricStoreError } from '../../../../scripts/backtest/metric-store';
import { ScenarioError } from '../../../../scripts/backtest/scenarios';
import { ScriptError } from '../../../../scripts/errors';
import { UnknownFunctionError } from '../../../../scripts/local/runtime';
import { ServiceError } from '../../../../scripts/local/secrets-model';
import { RunbookError } from '../../../../scripts/runbook';

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

describe('the classes with a vocabulary of their own sit on their part’s base, named explicitly', () => {
  it('functions: the rotation, the demo and the key-age probe', () => {
    const cause = new Error('root');
    const rotation = new RotationError(RotationErrorCode.SIGNOZ_API, 'HTTP 502', { cause });
    expect(rotation).toBeInstanceOf(TradingObservabilityError);
    expect([rotation.name, rotation.code, rotation.cause]).toEqual(['RotationError', 'SIGNOZ_API', cause]);
    const dataset = new DatasetError('no file');
    expect(dataset).toBeInstanceOf(DemoError);
    expect(dataset).toBeInstanceOf(TradingObservabilityError);
    expect([dataset.name, dataset.code]).toEqual(['DatasetError', DemoErrorCode.DATASET_INVALID]);
    expect(new StepFailedError('refused').name).toBe('StepFailedError');
    const probe = new ProbeConfigError('no secret id');
    expect([probe.name, probe.code]).toEqual(['ProbeConfigError', FailureCode.PROBE_CONFIG_INVALID]);
    expect(isDependencyFailure(probe)).toBe(false);
  });

  it('the CDK app’s alerting and the scripts', () => {
    const math = new MetricMathError('unbalanced');
    expect(math).toBeInstanceOf(StackError);
    expect([math.name, math.code]).toEqual(['MetricMathError', 'METRIC_MATH_INVALID']);
    expect(new AlarmPlanError('x')).toBeInstanceOf(AlertRuleError);
    expect(new AlarmPlanError('x').name).toBe('AlarmPlanError');
    expect(new AlertRuleError('x').code).toBe('ALERT_RULE_INVALID');
    expect(new SloObjectiveError('x').code).toBe('SLO_OBJECTIVE_INVALID');
    expect(new AlarmWiringError('x').code).toBe('ALARM_WIRING_INVALID');
    const scenario = new ScenarioError('too few days');
    expect(scenario).toBeInstanceOf(ScriptError);
    expect([scenario.name, scenario.code]).toEqual(['ScenarioError', 'BACKTEST_SCENARIO_INVALID']);
    expect(new MetricStoreError('x').code).toBe('BACKTEST_METRIC_QUERY_INVALID');
    const service = new ServiceError('ResourceNotFoundException', 'no secret');
    expect(service).toBeInstanceOf(ScriptError);
    expect(service.type).toBe('ResourceNotFoundException');
    expect(new RunbookError('x').code).toBe('RUNBOOK_OUT_OF_SHAPE');
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

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) return sources(full);
      return entry.endsWith('.ts') ? [relative(ROOT, full)] : [];
    });
  }

  it('holds for every part', () => {
    const offenders = ['bin', 'lib', 'lambdas', 'layers', 'scripts']
      .flatMap((part) => sources(join(ROOT, part)))
      .filter((file) => !BASES.includes(file))
      .filter((file) => /class \w+ extends Error\b/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
