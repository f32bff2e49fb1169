import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { CloudWatchActivityReader } from '../../../src/inventory/cloudwatch-activity.js';
import type { MetricQuery } from '../../../src/inventory/metric-query.js';

const cloudwatch = mockClient(CloudWatchClient);

const DAY = 86_400;
const window = {
  start: new Date('2025-03-01T00:00:00Z'),
  end: new Date('2025-03-15T00:00:00Z'),
  periodSeconds: DAY,
};
const day = (n: number) => new Date(Date.UTC(2025, 2, n));

function lambdaQuery(id: string, region = 'us-east-1'): MetricQuery {
  return {
    id,
    namespace: 'AWS/Lambda',
    metricName: 'Invocations',
    dimensions: [{ name: 'FunctionName', value: `fn-${id}` }],
    stat: 'Sum',
    region,
  };
}

/** Answers every query of a request with `Complete` and one datapoint, as GetMetricData does. */
function completeAnswer(input: GetMetricDataInput): { MetricDataResults: MetricDataResult[] } {
  return {
    MetricDataResults: (input.MetricDataQueries ?? []).map((query) => ({
      Id: query.Id,
      Label: 'Invocations',
      Timestamps: [day(1)],
      Values: [3],
      StatusCode: 'Complete',
    })),
  };
}

describe('CloudWatchActivityReader', () => {
  let reader: CloudWatchActivityReader;

  beforeEach(() => {
    cloudwatch.reset();
    reader = new CloudWatchActivityReader({ region: 'us-east-1', meter: new ApiMeter() });
  });
  afterEach(() => reader.destroy());

  it('sends one MetricStat query per metric with ReturnData, ascending scan and the window period', async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(completeAnswer);
    await reader.read([lambdaQuery('fn1')], window);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input).toEqual({
      MetricDataQueries: [
        {
          Id: 'fn1',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: 'Invocations',
              Dimensions: [{ Name: 'FunctionName', Value: 'fn-fn1' }],
            },
            Period: DAY,
            Stat: 'Sum',
          },
          ReturnData: true,
        },
      ],
      StartTime: window.start,
      EndTime: window.end,
      ScanBy: 'TimestampAscending',
    });
  });

  it.each([1, 499, 500, 501, 1000, 1201, 2500])(
    'makes exactly ceil(%i / 500) calls of at most 500 queries',
    async (n) => {
      cloudwatch.on(GetMetricDataCommand).callsFake(completeAnswer);
      const queries = Array.from({ length: n }, (_, i) => lambdaQuery(`q${i}`));
      const series = await reader.read(queries, window);
      const calls = cloudwatch.commandCalls(GetMetricDataCommand);
      expect(calls).toHaveLength(Math.ceil(n / 500));
      expect(reader.calls).toBe(Math.ceil(n / 500));
      for (const call of calls) expect(call.args[0].input.MetricDataQueries?.length).toBeLessThanOrEqual(500);
      expect(calls.reduce((sum, call) => sum + (call.args[0].input.MetricDataQueries?.length ?? 0), 0)).toBe(
        n,
      );
      expect(series.size).toBe(n);
      expect([...series.values()].every((s) => s.complete && s.points.length === 1)).toBe(true);
    },
  );

  it('counts a resource with two metrics as two queries in one call, not two calls', async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(completeAnswer);
    const table = (id: string, metricName: string): MetricQuery => ({
      id,
      namespace: 'AWS/DynamoDB',
      metricName,
      dimensions: [{ name: 'TableName', value: 'orders' }],
      stat: 'Sum',
      region: 'us-east-1',
    });
    await reader.read(
      [
        table('orders_read', 'ConsumedReadCapacityUnits'),
        table('orders_write', 'ConsumedWriteCapacityUnits'),
      ],
      window,
    );
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
  });

  it('never mixes regions in a call and reads each region with its own client', async () => {
    const regionsSeen: Array<[string, string[]]> = [];
    cloudwatch.on(GetMetricDataCommand).callsFake(async (input: GetMetricDataInput, getClient) => {
      regionsSeen.push([
        await getClient().config.region(),
        (input.MetricDataQueries ?? []).map((q) => q.Id ?? ''),
      ]);
      return completeAnswer(input);
    });
    const queries = [
      ...Array.from({ length: 501 }, (_, i) => lambdaQuery(`use${i}`, 'us-east-1')),
      ...Array.from({ length: 3 }, (_, i) => lambdaQuery(`euw${i}`, 'eu-west-1')),
    ];
    await reader.read(queries, window);
    expect(reader.calls).toBe(3);
    for (const [region, ids] of regionsSeen) {
      expect(ids.every((id) => id.startsWith(region === 'us-east-1' ? 'use' : 'euw'))).toBe(true);
    }
    expect(regionsSeen.map(([region, ids]) => [region, ids.length]).sort()).toEqual([
      ['eu-west-1', 3],
      ['us-east-1', 1],
      ['us-east-1', 500],
    ]);
  });

  it('follows NextToken within a batch and merges a query split across pages', async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        NextToken: 'page-2',
        MetricDataResults: [
          { Id: 'a', Label: 'a', Timestamps: [day(1), day(2)], Values: [1, 2], StatusCode: 'PartialData' },
          { Id: 'b', Label: 'b', Timestamps: [day(1)], Values: [7], StatusCode: 'Complete' },
        ],
      })
      .resolvesOnce({
        NextToken: 'page-3',
        MetricDataResults: [
          { Id: 'a', Label: 'a', Timestamps: [day(3)], Values: [3], StatusCode: 'PartialData' },
        ],
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'a', Label: 'a', Timestamps: [day(4)], Values: [4], StatusCode: 'Complete' },
        ],
      });

    const series = await reader.read([lambdaQuery('a'), lambdaQuery('b')], window);

    const calls = cloudwatch.commandCalls(GetMetricDataCommand);
    expect(calls.map((call) => call.args[0].input.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
    // Every page repeats the same queries, as GetMetricData requires.
    expect(new Set(calls.map((call) => JSON.stringify(call.args[0].input.MetricDataQueries))).size).toBe(1);
    expect(reader.calls).toBe(3);
    expect(series.get('a')).toEqual({
      id: 'a',
      complete: true,
      points: [
        { timestamp: '2025-03-01T00:00:00.000Z', value: 1 },
        { timestamp: '2025-03-02T00:00:00.000Z', value: 2 },
        { timestamp: '2025-03-03T00:00:00.000Z', value: 3 },
        { timestamp: '2025-03-04T00:00:00.000Z', value: 4 },
      ],
    });
    expect(series.get('b')).toEqual({
      id: 'b',
      complete: true,
      points: [{ timestamp: '2025-03-01T00:00:00.000Z', value: 7 }],
    });
  });

  it('marks PartialData, InternalError and unanswered queries incomplete; no datapoints but Complete is zero activity', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'partial', Timestamps: [day(1)], Values: [5], StatusCode: 'PartialData' },
        { Id: 'broken', Timestamps: [], Values: [], StatusCode: 'InternalError' },
        { Id: 'idle', Timestamps: [], Values: [], StatusCode: 'Complete' },
        { Id: 'stranger', Timestamps: [day(1)], Values: [1], StatusCode: 'Complete' },
      ],
      Messages: [],
    });
    const series = await reader.read(
      ['partial', 'broken', 'idle', 'missing'].map((id) => lambdaQuery(id)),
      window,
    );
    expect([...series.keys()]).toEqual(['partial', 'broken', 'idle', 'missing']);
    expect(series.get('partial')).toMatchObject({ complete: false, points: [{ value: 5 }] });
    expect(series.get('broken')).toEqual({ id: 'broken', complete: false, points: [] });
    expect(series.get('idle')).toEqual({ id: 'idle', complete: true, points: [] });
    expect(series.get('missing')).toEqual({ id: 'missing', complete: false, points: [] });
  });

  it.each(['Fn1', '1fn', 'fn-1', 'fn.1', '', 'fn 1', `a${'b'.repeat(255)}`])(
    'rejects query id %j before calling AWS',
    async (id) => {
      await expect(reader.read([lambdaQuery('ok'), lambdaQuery(id)], window)).rejects.toThrow(
        /invalid metric query id .*\^\[a-z\]\[a-zA-Z0-9_\]\*\$/,
      );
      expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    },
  );

  it('accepts ids like fn_1 and aB9 and rejects duplicates', async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(completeAnswer);
    await expect(reader.read([lambdaQuery('fn_1'), lambdaQuery('aB9')], window)).resolves.toHaveProperty(
      'size',
      2,
    );
    await expect(reader.read([lambdaQuery('x'), lambdaQuery('x')], window)).rejects.toThrow(
      /duplicate metric query id "x"/,
    );
  });

  it('rejects an empty or inverted window and a period CloudWatch does not accept', async () => {
    const q = [lambdaQuery('a')];
    await expect(reader.read(q, { ...window, end: window.start })).rejects.toThrow(/start must be/);
    await expect(reader.read(q, { ...window, periodSeconds: 90 })).rejects.toThrow(/period 90/);
    await expect(reader.read(q, { ...window, periodSeconds: 0 })).rejects.toThrow(/period 0/);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it('makes no call for no queries', async () => {
    expect((await reader.read([], window)).size).toBe(0);
    expect(reader.calls).toBe(0);
  });
});
