/**
 * Sequential tests beside the deployed accuracy alarm, on the same replayed outcomes: would a CUSUM on each
 * group's hit rate (overall, per model, per symbol) page a degradation earlier at the same false-positive rate?
 *
 * Each detector is stateless, as the tracker could run it on every scheduled validate_all: Page's CUSUM over the
 * outcomes whose target time lies in the last `windowMinutes`, in target-time order, S = max(0, S + llr), with
 * llr = log(p1/p0) for a hit and log((1−p1)/(1−p0)) for a miss; it alerts when S ≥ h. Its threshold h is the
 * smallest on a grid with no alert on the replay's healthy days (the deployed alarm's false-positive rate: 0),
 * and the detection minutes are read at that h (the alarm's evaluation a minute after the run).
 * - `cusum-vs-60`: H0 p = 0.60 (the rule's line) against H1 p = 0.50: the same question as the alarm.
 * - `cusum-vs-baseline`: H0 p = 0.70 (the models' healthy hit rate, which an operator would have to know per
 *   model) against H1 p = 0.50: a drop from the model's own level, a different rule than "below 60 %".
 */
import type { Incident } from './scenarios';
import { IncidentKind } from './scenarios';
import type { PredictionOutcomeAt } from './workload';

export interface SequentialDetector {
  readonly name: string;
  readonly description: string;
  readonly p0: number;
  readonly p1: number;
  readonly windowMinutes: number;
}

export const SEQUENTIAL_DETECTORS: readonly SequentialDetector[] = [
  {
    name: 'cusum-vs-60',
    description: 'CUSUM per group, H0 hit rate 60 % vs H1 50 %, over the last 2 h of target times',
    p0: 0.6,
    p1: 0.5,
    windowMinutes: 120,
  },
  {
    name: 'cusum-vs-baseline',
    description:
      'CUSUM per group, H0 the healthy 70 % vs H1 50 %, over the last 2 h (needs each model’s healthy rate)',
    p0: 0.7,
    p1: 0.5,
    windowMinutes: 120,
  },
];

/** Thresholds tried, smallest first. */
const H_GRID = Array.from({ length: 60 }, (_, i) => 1 + i * 0.5);

export interface SequentialResult {
  readonly detector: string;
  readonly description: string;
  /** The smallest threshold without an alert on healthy days; null when none on the grid is quiet. */
  readonly threshold: number | null;
  /** Minutes to detect each model-degradation scenario at that threshold (null: not detected). */
  readonly minutesToDetect: Readonly<Record<string, number | null>>;
}

export interface SequentialComparison {
  readonly method: string;
  /** The deployed alarm's minutes to detect, for the same scenarios. */
  readonly alarm: Readonly<Record<string, number | null>>;
  readonly detectors: readonly SequentialResult[];
}

export interface SequentialInput {
  readonly outcomes: readonly PredictionOutcomeAt[];
  readonly incidents: readonly Incident[];
  readonly minute: (ms: number) => number;
  /** Minute indexes of healthy days' midnights (UTC). */
  readonly healthyDayStarts: ReadonlySet<number>;
  readonly alarmMinutes: Readonly<Record<string, number | null>>;
  readonly validateEveryMinutes: number;
  readonly horizonMinutes: number;
}

/** The largest CUSUM statistic over the groups, at each scheduled run (minute → S). */
function statisticPerRun(input: SequentialInput, detector: SequentialDetector): Map<number, number> {
  const hitStep = Math.log(detector.p1 / detector.p0);
  const missStep = Math.log((1 - detector.p1) / (1 - detector.p0));
  const { outcomes } = input;
  const last = outcomes[outcomes.length - 1]?.targetMinute ?? 0;
  const out = new Map<number, number>();
  let from = 0;
  for (
    let run = input.validateEveryMinutes;
    run <= last + input.validateEveryMinutes;
    run += input.validateEveryMinutes
  ) {
    while (
      from < outcomes.length &&
      (outcomes[from] as PredictionOutcomeAt).targetMinute <= run - detector.windowMinutes
    )
      from++;
    const sums = new Map<string, number>();
    let max = 0;
    for (let i = from; i < outcomes.length; i++) {
      const o = outcomes[i] as PredictionOutcomeAt;
      if (o.targetMinute > run) break;
      const step = o.hit ? hitStep : missStep;
      for (const group of ['overall', `model:${o.model}`, `symbol:${o.symbol}`]) {
        const s = Math.max(0, (sums.get(group) ?? 0) + step);
        sums.set(group, s);
        if (s > max) max = s;
      }
    }
    if (sums.size > 0) out.set(run, max);
  }
  return out;
}

export function sequentialComparison(input: SequentialInput): SequentialComparison {
  const degradations = input.incidents.filter((i) => i.kind === IncidentKind.MODEL_DEGRADATION);
  const healthy = (run: number) => input.healthyDayStarts.has(run - (run % 1440));
  const detectors = SEQUENTIAL_DETECTORS.map((detector): SequentialResult => {
    const statistic = statisticPerRun(input, detector);
    const healthyMax = Math.max(0, ...[...statistic].filter(([run]) => healthy(run)).map(([, s]) => s));
    const threshold = H_GRID.find((h) => h > healthyMax) ?? null;
    const minutesToDetect: Record<string, number | null> = {};
    for (const incident of degradations) {
      const start = input.minute(incident.startMs);
      let found: number | null = null;
      if (threshold !== null) {
        for (const [run, s] of statistic) {
          // Only evidence from after the injection counts: its predictions resolve after the horizon.
          if (run < start + input.horizonMinutes || run > input.minute(incident.endMs) + 360) continue;
          if (s >= threshold) {
            found = run + 1 - start;
            break;
          }
        }
      }
      minutesToDetect[incident.name] = found;
    }
    return { detector: detector.name, description: detector.description, threshold, minutesToDetect };
  });
  return {
    method:
      'stateless CUSUM per group (overall, each model, each symbol) over the scheduled run’s outcomes; threshold = ' +
      'smallest on a 0.5 grid above every healthy day’s statistic (0 false positives, as the alarm); detection at ' +
      'the first run at or after the horizon with S ≥ threshold, plus the alarm’s minute',
    alarm: input.alarmMinutes,
    detectors,
  };
}
