import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { parseMoney } from '../../../src/core/money.js';
import { CloudWatchActivityReader } from '../../../src/inventory/cloudwatch-activity.js';
import type { MetricQuery } from '../../../src/inventory/metric-query.js';
import { signedRegion, useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer, type RecordedRequest } from '../../support/fake-aws-server.js';

// This SDK version speaks AWS JSON 1.0 to CloudWatch (target prefix GraniteServiceVersion20100801);
// timestamps travel as epoch seconds.
const server = new FakeAwsServer();
let restoreEnv: () => void;

beforeAll(async () => {
  const endpoint = await server.start();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_CLOUDWATCH: endpoint });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});

const window = {
  start: new Date('2025-03-01T00:00:00Z'),
  end: new Date('2025-03-15T00:00:00Z'),
  periodSeconds: 86_400,
};
const MARCH_1 = Date.UTC(2025, 2, 1) / 1000;
const DAY = 86_400;

interface WireQuery {
  Id: string;
  ReturnData: boolean;
  MetricStat: {
    Period: number;
    Stat: string;
    Metric: { Namespace: string; MetricName: string; Dimensions: unknown[] };
  };
}

const wireQueries = (request: RecordedRequest) => request.body.MetricDataQueries as WireQuery[];

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

describe('CloudWatchActivityReader over the wire', () => {
  let reader: CloudWatchActivityReader | undefined;
  afterEach(() => reader?.destroy());

  it('sends 1,200 queries as 3 GetMetricData requests of at most 500, metered per metric', async () => {
    server.requests.length = 0;
    server.on('GetMetricData', (request) => ({
      body: {
        MetricDataResults: wireQueries(request).map((query, i) => ({
          Id: query.Id,
          Label: 'Invocations',
          Timestamps: i % 2 ? [] : [MARCH_1, MARCH_1 + DAY],
          Values: i % 2 ? [] : [0, 12],
          StatusCode: 'Complete',
        })),
        Messages: [],
      },
    }));
    const meter = new ApiMeter();
    reader = new CloudWatchActivityReader({ region: 'us-east-1', meter, maxAttempts: 1 });
    const queries = Array.from({ length: 1200 }, (_, i) => lambdaQuery(`fn${i}`));

    const series = await reader.read(queries, window);

    const calls = server.calls('GetMetricData');
    expect(calls).toHaveLength(3);
    expect(calls.map((call) => wireQueries(call).length)).toEqual([500, 500, 200]);
    for (const call of calls) {
      expect(call.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.GetMetricData');
      expect(wireQueries(call).length).toBeLessThanOrEqual(500);
      expect(call.body).toMatchObject({
        StartTime: MARCH_1,
        EndTime: MARCH_1 + 14 * DAY,
        ScanBy: 'TimestampAscending',
      });
    }
    expect(wireQueries(calls[0] as RecordedRequest)[0]).toEqual({
      Id: 'fn0',
      MetricStat: {
        Metric: {
          Namespace: 'AWS/Lambda',
          MetricName: 'Invocations',
          Dimensions: [{ Name: 'FunctionName', Value: 'fn-fn0' }],
        },
        Period: 86_400,
        Stat: 'Sum',
      },
      ReturnData: true,
    });
    expect(reader.calls).toBe(3);
    expect(series.size).toBe(1200);
    expect(series.get('fn0')).toEqual({
      id: 'fn0',
      complete: true,
      points: [
        { timestamp: '2025-03-01T00:00:00.000Z', value: 0 },
        { timestamp: '2025-03-02T00:00:00.000Z', value: 12 },
      ],
    });
    expect(series.get('fn1')).toEqual({ id: 'fn1', complete: true, points: [] });
    expect(meter.counts()).toEqual({ 'cloudwatch:GetMetricData': 3 });
    expect(meter.billedUnits()).toEqual({ 'cloudwatch:GetMetricData': 1200 });
    // $0.01 per 1,000 metrics.
    expect(meter.cost()).toBe(parseMoney('0.012'));
  });

  it('keeps regions apart and merges NextToken pages over the wire', async () => {
    server.requests.length = 0;
    server.on('GetMetricData', (request) => {
      const ids = wireQueries(request).map((query) => query.Id);
      if (ids.includes('split') && request.body.NextToken === undefined) {
        return {
          body: {
            NextToken: 'more',
            MetricDataResults: [
              { Id: 'split', Timestamps: [MARCH_1], Values: [1], StatusCode: 'PartialData' },
            ],
          },
        };
      }
      return {
        body: {
          MetricDataResults: ids.map((id) =>
            id === 'split'
              ? { Id: id, Timestamps: [MARCH_1 + DAY], Values: [2], StatusCode: 'Complete' }
              : { Id: id, Timestamps: [], Values: [], StatusCode: 'PartialData' },
          ),
        },
      };
    });
    const meter = new ApiMeter();
    reader = new CloudWatchActivityReader({ region: 'us-east-1', meter, maxAttempts: 1 });

    const series = await reader.read(
      [lambdaQuery('split', 'us-east-1'), lambdaQuery('other', 'eu-west-1')],
      window,
    );

    const calls = server.calls('GetMetricData');
    const byRegion = (region: string) =>
      calls
        .filter((call) => signedRegion(call.headers.authorization) === region)
        .map((call) => [wireQueries(call).map((query) => query.Id), call.body.NextToken]);
    expect(calls).toHaveLength(3);
    expect(byRegion('us-east-1')).toEqual([
      [['split'], undefined],
      [['split'], 'more'],
    ]);
    expect(byRegion('eu-west-1')).toEqual([[['other'], undefined]]);
    expect(series.get('split')).toEqual({
      id: 'split',
      complete: true,
      points: [
        { timestamp: '2025-03-01T00:00:00.000Z', value: 1 },
        { timestamp: '2025-03-02T00:00:00.000Z', value: 2 },
      ],
    });
    expect(series.get('other')).toEqual({ id: 'other', complete: false, points: [] });
    expect(reader.calls).toBe(3);
    expect(meter.counts()).toEqual({ 'cloudwatch:GetMetricData': 3 });
  });
});
