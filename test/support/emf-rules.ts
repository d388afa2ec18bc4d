/**
 * The CloudWatch Embedded Metric Format rules as assertions, for the tracker's unit and integration tests.
 * Source: AWS CloudWatch User Guide, "Specification: Embedded metric format".
 */

/** The limits as AWS documents them (deliberately not the layer's own constants, which are under test). */
const EMF = { METRICS_PER_DIRECTIVE: 100, DIMENSIONS_PER_SET: 30, VALUES_PER_METRIC: 100 } as const;
const UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

/** Asserts one EMF document (one log line, parsed) follows the rules. */
export function checkEmfDocument(document: Record<string, unknown>): void {
  const aws = document._aws as { Timestamp: unknown; CloudWatchMetrics: unknown };
  expect(aws).toBeDefined();
  expect(Number.isInteger(aws.Timestamp)).toBe(true);
  // Milliseconds since the epoch (not seconds): after 2020 and not in the far future.
  expect(aws.Timestamp as number).toBeGreaterThan(Date.parse('2020-01-01'));
  expect(aws.Timestamp as number).toBeLessThan(Date.parse('2100-01-01'));
  expect(Array.isArray(aws.CloudWatchMetrics)).toBe(true);
  for (const directive of aws.CloudWatchMetrics as Array<Record<string, unknown>>) {
    expect(typeof directive.Namespace).toBe('string');
    expect((directive.Namespace as string).length).toBeGreaterThan(0);
    const dimensionSets = directive.Dimensions as string[][];
    expect(Array.isArray(dimensionSets)).toBe(true);
    for (const set of dimensionSets) {
      expect(set.length).toBeLessThanOrEqual(EMF.DIMENSIONS_PER_SET);
      for (const dimension of set) {
        expect(typeof document[dimension]).toBe('string');
        expect((document[dimension] as string).length).toBeGreaterThan(0);
      }
    }
    const metricDefinitions = directive.Metrics as Array<{ Name: string; Unit?: string }>;
    expect(metricDefinitions.length).toBeGreaterThan(0);
    expect(new Set(metricDefinitions.map((m) => m.Name)).size).toBe(metricDefinitions.length);
    expect(metricDefinitions.length).toBeLessThanOrEqual(EMF.METRICS_PER_DIRECTIVE);
    for (const { Name, Unit } of metricDefinitions) {
      const value = document[Name];
      const values = Array.isArray(value) ? value : [value];
      expect(values.length).toBeGreaterThan(0);
      expect(values.length).toBeLessThanOrEqual(EMF.VALUES_PER_METRIC);
      for (const v of values) {
        expect(typeof v).toBe('number');
        expect(Number.isFinite(v)).toBe(true);
      }
      if (Unit !== undefined) expect(UNITS.has(Unit)).toBe(true);
    }
  }
}
