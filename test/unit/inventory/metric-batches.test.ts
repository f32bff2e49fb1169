import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUERIES_PER_CALL, packMetricQueries } from '../../../src/inventory/metric-batches.js';
import type { MetricQuery } from '../../../src/inventory/metric-query.js';

function query(id: string, region = 'us-east-1'): MetricQuery {
  return {
    id,
    namespace: 'AWS/Lambda',
    metricName: 'Invocations',
    dimensions: [{ name: 'FunctionName', value: id }],
    stat: 'Sum',
    region,
  };
}

const queries = (count: number, region = 'us-east-1', prefix = 'q'): MetricQuery[] =>
  Array.from({ length: count }, (_, i) => query(`${prefix}${i}`, region));

describe('packMetricQueries', () => {
  it('cuts 1,201 queries into 500 / 500 / 201', () => {
    const batches = packMetricQueries(queries(1201));
    expect(batches.map((batch) => batch.queries.length)).toEqual([500, 500, 201]);
    expect(batches.flatMap((batch) => batch.queries.map((q) => q.id))).toEqual(
      queries(1201).map((q) => q.id),
    );
  });

  it('fills a call exactly at the limit and needs a second one just past it', () => {
    expect(packMetricQueries(queries(500)).map((b) => b.queries.length)).toEqual([500]);
    expect(packMetricQueries(queries(501)).map((b) => b.queries.length)).toEqual([500, 1]);
    expect(packMetricQueries([])).toEqual([]);
  });

  it('never puts two regions in one batch, and keeps first-seen region order', () => {
    const mixed = [
      query('a1', 'eu-west-1'),
      query('b1', 'us-east-1'),
      query('a2', 'eu-west-1'),
      query('b2', 'us-east-1'),
    ];
    const batches = packMetricQueries(mixed, 3);
    expect(batches.map((batch) => [batch.region, batch.queries.map((q) => q.id)])).toEqual([
      ['eu-west-1', ['a1', 'a2']],
      ['us-east-1', ['b1', 'b2']],
    ]);
  });

  it('uses a custom limit but refuses one above 500 or below 1', () => {
    expect(packMetricQueries(queries(7), 3).map((b) => b.queries.length)).toEqual([3, 3, 1]);
    expect(() => packMetricQueries(queries(1), MAX_QUERIES_PER_CALL + 1)).toThrow(RangeError);
    expect(() => packMetricQueries(queries(1), 0)).toThrow(RangeError);
    expect(() => packMetricQueries(queries(1), 2.5)).toThrow(RangeError);
  });

  it('always: batches hold one region, at most `limit` queries, every query exactly once, minimal count', () => {
    const regions = ['us-east-1', 'eu-west-1', 'ap-south-1'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...regions), { maxLength: 1200 }),
        fc.integer({ min: 1, max: 500 }),
        (queryRegions, limit) => {
          const input = queryRegions.map((region, i) => query(`q${i}`, region));
          const batches = packMetricQueries(input, limit);
          for (const batch of batches) {
            expect(batch.queries.length).toBeGreaterThan(0);
            expect(batch.queries.length).toBeLessThanOrEqual(limit);
            expect(batch.queries.every((q) => q.region === batch.region)).toBe(true);
          }
          const ids = batches.flatMap((batch) => batch.queries.map((q) => q.id));
          expect(ids.sort()).toEqual(input.map((q) => q.id).sort());
          const minimal = regions.reduce(
            (sum, region) => sum + Math.ceil(queryRegions.filter((r) => r === region).length / limit),
            0,
          );
          expect(batches).toHaveLength(minimal);
        },
      ),
      { numRuns: 200 },
    );
  });
});
