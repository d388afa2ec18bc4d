/**
 * observability-demo: runs the product's story end to end (or one part of it) in its own data partition
 * and returns a readable result. Thin: configuration and clients here, the story in story.ts.
 */
import { getTelemetry, instrument, type Span, SpanStatusCode } from '@trading-observability/otel';
import { type Failure, parsePayload } from '../shared/response';
import { loadStoryDeps } from './deps';
import { DEMO_TYPES, demoPayloadSchema } from './schemas';
import { type DemoResult, type InvokeStep, runStory, type StoryDeps, stepAttributes } from './story';

let deps: StoryDeps | undefined;

function getDeps(): StoryDeps {
  deps ??= loadStoryDeps({ invoke: stepAsTrace });
  return deps;
}

/**
 * Each step is the root of its own trace, named after the action it stands for, as if it were its own
 * invocation: the sampler then decides per step (as in production), so one high-value ranking does not
 * force the thousands of validation spans of the same demo invocation into the export, and a step's
 * failure is recorded on its span.
 */
const stepAsTrace: InvokeStep = (fn, action, run) =>
  getTelemetry().tracer.startActiveSpan(
    `demo.${action}`,
    { root: true, attributes: stepAttributes(fn, action) },
    async (span: Span) => {
      try {
        return await run();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );

export const handler = instrument(async (event: unknown): Promise<DemoResult | Failure> => {
  const parsed = parsePayload(demoPayloadSchema, event, DEMO_TYPES, 'demo_type');
  if (!parsed.ok) return parsed;
  return runStory(getDeps(), parsed.value);
});
