import type { MetricQuery } from '../../inventory/metric-query.js';
import type { TaggedResource } from '../../inventory/resource.js';
import type { MetricIdleRule, StateIdleRule } from './idle-rule.js';

/** Shared pieces of the rule files, so each file holds only what is particular to its resource. */

/** Every CloudWatch-based rule reads its metrics with GetMetricData, in batches of up to 500. */
export const GET_METRIC_DATA = 'cloudwatch:GetMetricData';

export function metricRule(definition: Omit<MetricIdleRule, 'kind' | 'queries'>): MetricIdleRule {
  const rule: MetricIdleRule = {
    kind: 'metric',
    ...definition,
    queries: (resource, idPrefix) => metricQueries(rule, resource, idPrefix),
  };
  return rule;
}

export function stateRule(definition: Omit<StateIdleRule, 'kind' | 'queries'>): StateIdleRule {
  return { kind: 'state', ...definition, queries: () => [] };
}

function metricQueries(rule: MetricIdleRule, resource: TaggedResource, idPrefix: string): MetricQuery[] {
  const dimensions = rule.dimensions(resource);
  if (!Array.isArray(dimensions)) return [];
  return rule.metrics.map((metric) => ({
    id: `${idPrefix}_${metric.key}`,
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensions,
    stat: metric.stat,
    region: resource.region,
  }));
}

/** The resource's name: the ARN's last part up to any further `/` or `:` (versions, streams). */
export function leadingName(resource: TaggedResource): string {
  return resource.id.split(/[/:]/)[0] ?? resource.id;
}

/** "1,234", "0.5": counts from CloudWatch are whole, averages are not. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A count phrase: count('invocation')(0) → "0 invocations". */
export function count(singular: string, plural = `${singular}s`): (value: number) => string {
  return (value) => `${formatNumber(value)} ${value === 1 ? singular : plural}`;
}

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'];

/** Decimal units, as AWS bills them and Trusted Advisor's "5 MB" means: 1 MB = 1,000,000 bytes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${formatNumber(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 'bytes';
  for (const next of BYTE_UNITS) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${formatNumber(Math.round(value * 10) / 10)} ${unit}`;
}
