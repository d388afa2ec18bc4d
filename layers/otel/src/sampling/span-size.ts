import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * A cheap estimate of one span's size in OTLP/JSON (the layer's `encodeSpan` shape: hex ids, times as
 * decimal strings, attributes as `{"key":…,"value":{"stringValue":…}}`), in bytes, without serialising.
 * The optimizer multiplies these by $/GB, so the estimate needs to be close on average, not exact:
 *
 *   span      = 260 + |name| (+ 16 + |traceState| when present) (ids, times, kind, status, JSON keys)
 *   attribute = 38 + |key| + |value| (|value|: string length, digits of a number, 4/5 for a boolean;
 *               arrays: Σ(|item| + 20))
 *   event     = 66 + |name| + Σ attribute
 *   link      = 100 + Σ attribute
 *
 * Non-ASCII characters are counted as one byte each (a small underestimate for such text). The resource
 * and scope envelope is shared by the whole batch and not attributed to spans. A unit test checks the
 * estimate against the real serialised size.
 */
const SPAN_OVERHEAD = 260;
const TRACE_STATE_OVERHEAD = 16;
const ATTRIBUTE_OVERHEAD = 38;
const ARRAY_ITEM_OVERHEAD = 20;
const EVENT_OVERHEAD = 66;
const LINK_OVERHEAD = 100;

function valueBytes(value: AttributeValue | undefined): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return String(value).length;
  if (typeof value === 'boolean') return value ? 4 : 5;
  let total = 0;
  for (const item of value) total += ARRAY_ITEM_OVERHEAD + valueBytes(item ?? undefined);
  return total;
}

export function estimateAttributesBytes(attributes: Attributes | undefined): number {
  if (!attributes) return 0;
  let total = 0;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    total += ATTRIBUTE_OVERHEAD + key.length + valueBytes(value);
  }
  return total;
}

export function estimateSpanJsonBytes(
  span: Pick<ReadableSpan, 'name' | 'attributes' | 'events' | 'links'>,
  attributes: Attributes = span.attributes,
  traceState?: string,
): number {
  let total = SPAN_OVERHEAD + span.name.length + estimateAttributesBytes(attributes);
  if (traceState) total += TRACE_STATE_OVERHEAD + traceState.length;
  for (const event of span.events)
    total += EVENT_OVERHEAD + event.name.length + estimateAttributesBytes(event.attributes);
  for (const link of span.links) total += LINK_OVERHEAD + estimateAttributesBytes(link.attributes);
  return total;
}
