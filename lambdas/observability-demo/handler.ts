/**
 * observability-demo: runs the product's story end to end (or one part of it) in its own data partition
 * and returns a readable result. Thin: configuration and clients here, the story in story.ts.
 */
import { instrument, withSpan } from '@trading-observability/otel';
import { type Failure, parsePayload } from '../shared/response';
import { loadStoryDeps } from './deps';
import { DEMO_TYPES, demoPayloadSchema } from './schemas';
import { type DemoResult, runStory, type StoryDeps, stepAttributes } from './story';

let deps: StoryDeps | undefined;

function getDeps(): StoryDeps {
  // In one invocation each step is a child span named after the action it stands for.
  deps ??= loadStoryDeps({
    invoke: (fn, action, run) => withSpan(`demo.${action}`, stepAttributes(fn, action), run),
  });
  return deps;
}

export const handler = instrument(async (event: unknown): Promise<DemoResult | Failure> => {
  const parsed = parsePayload(demoPayloadSchema, event, DEMO_TYPES, 'demo_type');
  if (!parsed.ok) return parsed;
  return runStory(getDeps(), parsed.value);
});
