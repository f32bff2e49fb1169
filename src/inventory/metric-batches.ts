import type { MetricQuery } from './metric-query.js';

/** GetMetricData accepts at most this many MetricDataQueries per call. */
export const MAX_QUERIES_PER_CALL = 500;

/** Queries that go into one GetMetricData call: all from one region, at most `limit` of them. */
export interface MetricBatch {
  region: string;
  queries: MetricQuery[];
}

/**
 * Packs queries into as few GetMetricData calls as possible: grouped by region (a call goes to one
 * regional endpoint), then cut into runs of `limit`. Each query is one MetricDataQuery, so a resource
 * with two metrics costs two slots, not two calls. Regions keep the order they first appear in, and
 * queries keep their order within a region, so the plan is deterministic.
 */
export function packMetricQueries(
  queries: readonly MetricQuery[],
  limit = MAX_QUERIES_PER_CALL,
): MetricBatch[] {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERIES_PER_CALL) {
    throw new RangeError(`batch limit must be an integer from 1 to ${MAX_QUERIES_PER_CALL}, got ${limit}`);
  }
  const byRegion = new Map<string, MetricQuery[]>();
  for (const query of queries) {
    const group = byRegion.get(query.region);
    if (group) group.push(query);
    else byRegion.set(query.region, [query]);
  }
  const batches: MetricBatch[] = [];
  for (const [region, group] of byRegion) {
    for (let start = 0; start < group.length; start += limit) {
      batches.push({ region, queries: group.slice(start, start + limit) });
    }
  }
  return batches;
}
