/** What the story runs on (its dependencies), its defaults, and the per-run context the parts share. */
import type { TrackerConfig, TrackerDeps } from '../../dual-accuracy-tracker/service';
import type { OptimizerSettings } from '../../sampling-optimizer/service';
import type { VolumeReader } from '../../sampling-optimizer/volumes';
import type { StoreContext } from '../../shared/store';
import type { TradingConfig } from '../../trading-intelligence/config';
import type { ExportRequestJson } from '../measure/exported-spans';
import type { WorkloadOptions } from '../replay';
import type { InvokeStep, KeptStepLedger, StepRecorder, StoryProgress } from './steps';
import type { StepReport } from './types';

export interface StoryDeps {
  /** Store contexts on the demo namespace. */
  readonly market: StoreContext;
  readonly rankings: StoreContext;
  readonly sampling: StoreContext;
  readonly tracker: TrackerConfig;
  readonly trading: TradingConfig;
  readonly optimizer: OptimizerSettings;
  /** Where `optimize` reads the span volumes (CloudWatch deployed, the layer's EMF file locally). */
  readonly volumes: VolumeReader;
  /** Reads back the spans this run exported (locally `.local/spans.jsonl`); absent where they cannot be read. */
  readonly exportedSpans?: {
    readonly source: string;
    read(): Promise<Array<{ readonly request: ExportRequestJson; readonly bytes: number }>>;
  };
  /** The real clock; the story derives its fixed clock from it. */
  readonly clock: () => Date;
  readonly invoke: InvokeStep;
  readonly onProgress?: (progress: StoryProgress) => void;
  /** Called as each part finishes (progress lines). */
  readonly onStep?: (step: StepReport) => void;
  /** End of the optimizer's volume window. @default clock() */
  readonly volumeWindowEnd?: () => Date;
  /** Workload overrides (tests use fewer symbols or a sparser prediction grid). */
  readonly workload?: Pick<WorkloadOptions, 'symbols' | 'every' | 'intervalMinutes'>;
}

export const STORY_DEFAULTS = {
  seed: 42,
  tradingDays: 10,
  /** Items per record call at most (the schema allows 5 000; Lambda payloads stay small). */
  batchSize: 500,
  /** The stack's schedule (lib/functions/dual-accuracy-tracker.ts): validate_all every 15 minutes over 30. */
  tickMinutes: 15,
  validationLookbackMinutes: 30,
  /** Ticks continue this long after the after-hours close, so the last targets are validated. */
  tailMinutes: 30,
  lookbackDays: 7,
  sessionLookbackDays: 30,
  /** Most regular-session models are better than the pre-market/after-hours ones, as in real desks. */
  sessionSkillOffsets: { regular: 0.04, pre_market: -0.06, after_hours: -0.04 },
  /** GOOG's model is the strong one: the ranking has something to find. */
  symbolSkillOffsets: { GOOG: 0.12, AAPL: 0.05, IBM: -0.05 },
  topOpportunities: 5,
  optimizerWindowMinutes: 15,
} as const;

/** What the parts of one run share. */
export interface StoryContext {
  readonly deps: StoryDeps;
  readonly recorder: StepRecorder;
  readonly kept: KeptStepLedger;
  readonly seed: number;
  readonly clock: { readonly endDate: string; readonly now: string };
  readonly tradingDays: number;
}

export function trackerDeps(
  deps: StoryDeps,
  now: string,
  requestId: string,
  store: StoreContext = deps.market,
): TrackerDeps {
  return { store, config: deps.tracker, now: () => new Date(now), requestId };
}

export function tradingDeps(deps: StoryDeps, now: string) {
  return { market: deps.market, rankings: deps.rankings, config: deps.trading, now: () => new Date(now) };
}
