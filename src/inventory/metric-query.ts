import type { TaggedResource } from './resource.js';
import type { SkippedItems } from './skipped-items.js';

/** One CloudWatch metric to read for one resource: a MetricStat query in GetMetricData terms. */
export interface MetricQuery {
  /** Unique within a run; GetMetricData ids must match ^[a-z][a-zA-Z0-9_]*$. */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: ReadonlyArray<{ name: string; value: string }>;
  stat: 'Sum' | 'Maximum' | 'Average' | 'Minimum' | 'SampleCount';
  region: string;
}

/** Datapoints of one query: one value per period (a day), newest last; missing periods absent. */
export interface MetricSeries {
  id: string;
  points: ReadonlyArray<{ timestamp: string; value: number }>;
  /** GetMetricData said the data is complete ("Complete") or not ("PartialData", "InternalError"). */
  complete: boolean;
}

/** Fetches metric data for many queries in as few GetMetricData calls as the 500-query limit allows. */
export interface ActivityReader {
  read(
    queries: readonly MetricQuery[],
    window: { start: Date; end: Date; periodSeconds: number },
    skipped?: SkippedItems,
  ): Promise<Map<string, MetricSeries>>;
}

/** Lists the resources carrying the PoC tag. */
export interface ResourceInventory {
  /** Items that cannot be read are left out and counted in `skipped`. */
  list(tagKey: string, regions: readonly string[], skipped?: SkippedItems): Promise<TaggedResource[]>;
}
