/**
 * observability-demo: runs the product's story end to end (or one part of it) in its own data partition
 * and returns a readable result. Thin: configuration and clients here, the story in story/.
 */
import { instrument } from '@trading-observability/otel';
import { INSTRUMENT_OPTIONS } from '../shared/instrumentation';
import { partitionScope } from '../shared/partition';
import { type Failure, parsePayload } from '../shared/response';
import { loadStoryDeps } from './deps';
import { DEMO_TYPE_FIELD, DEMO_TYPES, demoPayloadSchema } from './schemas';
import { type DemoResult, runStory, type StoryDeps, stepAsTrace } from './story';

let deps: StoryDeps | undefined;

function getDeps(): StoryDeps {
  deps ??= loadStoryDeps({ invoke: stepAsTrace });
  return deps;
}

export const handler = instrument(
  async (event: unknown): Promise<DemoResult | Failure> => {
    const parsed = parsePayload(demoPayloadSchema, event, DEMO_TYPES, DEMO_TYPE_FIELD);
    if (!parsed.ok) return parsed;
    return runStory(getDeps(), parsed.value);
  },
  {
    ...INSTRUMENT_OPTIONS,
    // The demo invocation itself is in the demo's partition too (its steps add the replayed time).
    scope: () => partitionScope(getDeps().market.namespace),
    actions: DEMO_TYPES,
    actionField: DEMO_TYPE_FIELD,
  },
);
