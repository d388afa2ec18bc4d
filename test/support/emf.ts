/**
 * Checks a document against the CloudWatch Embedded Metric Format specification
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Throws with the rule that was broken.
 */
export function assertValidEmf(document: Record<string, unknown>): void {
  const fail = (rule: string) => {
    throw new Error(`invalid EMF: ${rule}\n${JSON.stringify(document).slice(0, 500)}`);
  };
  const aws = document._aws as Record<string, unknown> | undefined;
  if (!aws || typeof aws !== 'object') fail('_aws object missing');
  const timestamp = aws?.Timestamp;
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp) || timestamp < 1e12) {
    fail('_aws.Timestamp must be epoch milliseconds');
  }
  const directives = aws?.CloudWatchMetrics;
  if (!Array.isArray(directives) || directives.length === 0)
    fail('_aws.CloudWatchMetrics must be a non-empty array');
  for (const directive of directives as Array<Record<string, unknown>>) {
    const namespace = directive.Namespace;
    if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 1024) fail('Namespace');
    const dimensionSets = directive.Dimensions;
    if (!Array.isArray(dimensionSets)) fail('Dimensions must be an array of arrays');
    for (const set of dimensionSets as unknown[]) {
      if (!Array.isArray(set)) fail('each DimensionSet must be an array');
      if ((set as unknown[]).length > 30) fail('a DimensionSet may hold at most 30 dimensions');
      for (const name of set as unknown[]) {
        if (typeof name !== 'string') fail('dimension names must be strings');
        const value = document[name as string];
        if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
          fail(`dimension ${String(name)} must be a non-empty top-level string`);
        }
      }
    }
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics) || metrics.length === 0) fail('Metrics must be a non-empty array');
    if ((metrics as unknown[]).length > 100) fail('at most 100 metrics per directive');
    const seen = new Set<string>();
    for (const metric of metrics as Array<Record<string, unknown>>) {
      const name = metric.Name;
      if (typeof name !== 'string' || name.length === 0 || name.length > 255) fail('metric Name');
      if (seen.has(name as string)) fail(`metric ${String(name)} defined twice`);
      seen.add(name as string);
      const value = document[name as string];
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || values.length > 100) fail(`metric ${String(name)} needs 1–100 values`);
      if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        fail(`metric ${String(name)} must be a finite number or array of them`);
      }
      if (metric.Unit !== undefined && typeof metric.Unit !== 'string') fail('Unit must be a string');
    }
  }
}

/** Parses EMF lines (as written to stdout or .local/metrics.jsonl) and checks each one. */
export function parseEmfLines(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines.map((line) => {
    const document = JSON.parse(line) as Record<string, unknown>;
    assertValidEmf(document);
    return document;
  });
}
