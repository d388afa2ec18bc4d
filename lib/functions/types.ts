import type { Construct } from 'constructs';
import type { DataTables } from '../data-tables';
import type { TelemetrySettings } from '../instrumented-function';
import type { StackSettings } from '../settings';

/** What each function's wiring (lib/functions/<name>.ts) receives from the stack. */
export interface FunctionDeps {
  readonly scope: Construct;
  readonly settings: StackSettings;
  readonly tables: DataTables;
  readonly telemetry: TelemetrySettings;
}
