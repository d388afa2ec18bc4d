import type { Construct } from 'constructs';
import type { AlertParams } from '../alerting/alert-params';
import type { DataTables } from '../data-tables';
import type { TelemetrySettings } from '../instrumented-function';
import type { StackSettings } from '../settings';

/** What each function's wiring (lib/functions/<name>.ts) receives from the stack. */
export interface FunctionDeps {
  readonly scope: Construct;
  readonly settings: StackSettings;
  readonly tables: DataTables;
  readonly telemetry: TelemetrySettings;
  /** The alert rules' parameters: the tracker applies the same thresholds to the groups it reports. */
  readonly alertParams: AlertParams;
}
