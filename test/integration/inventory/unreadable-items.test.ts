/**
 * An item of a page that cannot be read is skipped and counted, never the whole listing: a metric
 * result for an id nobody asked for or with values that do not line up, a described volume or NAT
 * gateway without its id. Over the real SDK against the fake endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { CloudWatchActivityReader } from '../../../src/inventory/cloudwatch-activity.js';
import { Ec2StateReader } from '../../../src/inventory/ec2-state.js';
import { SkippedItems } from '../../../src/inventory/skipped-items.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';

const server = new FakeAwsServer();
let restoreEnv: () => void;
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const MARCH_1 = Date.UTC(2025, 2, 1) / 1000;

beforeAll(async () => {
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});

const query = (id: string) => ({
  id,
  namespace: 'AWS/Lambda',
  metricName: 'Invocations',
  dimensions: [{ name: 'FunctionName', value: id }],
  stat: 'Sum' as const,
  region: 'us-east-1',
});

describe('unreadable items', () => {
  it('CloudWatch: counts a stray id and leaves a series whose values do not line up unjudged', async () => {
    server.on('GetMetricData', () => ({
      body: {
        Messages: [],
        MetricDataResults: [
          { Id: 'stray\u001b]8;;', StatusCode: 'Complete', Timestamps: [], Values: [] },
          { Id: 'good', StatusCode: 'Complete', Timestamps: [MARCH_1], Values: [3] },
          { Id: 'short', StatusCode: 'Complete', Timestamps: [MARCH_1, MARCH_1 + 86_400], Values: [5] },
        ],
      },
    }));
    const reader = new CloudWatchActivityReader({ meter: new ApiMeter() });
    const skipped = new SkippedItems();
    const series = await reader.read(
      [query('good'), query('short')],
      {
        start: new Date(MARCH_1 * 1000),
        end: new Date((MARCH_1 + 2 * 86_400) * 1000),
        periodSeconds: 86_400,
      },
      skipped,
    );
    reader.destroy();
    expect(series.get('good')).toMatchObject({ complete: true, points: [{ value: 3 }] });
    // A dropped datapoint could make a busy resource look idle: the series is not complete.
    expect(series.get('short')).toMatchObject({ complete: false, points: [] });
    expect(skipped.count).toBe(2);
    const [warning] = skipped.warnings();
    expect(warning).toMatchObject({
      code: 'item-skipped',
      operation: 'cloudwatch:GetMetricData',
      region: 'us-east-1',
    });
    expect(warning?.message).toContain(
      '2 unreadable items skipped, e.g. "stray\uFFFD]8;;" (not an id that was asked for)',
    );
  });

  it('EC2: skips a volume without an id and keeps the others', async () => {
    server.on('DescribeVolumes', () => ({
      body: `<DescribeVolumesResponse xmlns="${EC2_NS}"><requestId>1</requestId><volumeSet><item><size>8</size><status>available</status></item><item><volumeId>vol-1</volumeId><status>available</status><size>8</size></item></volumeSet></DescribeVolumesResponse>`,
    }));
    const reader = new Ec2StateReader({ meter: new ApiMeter() }, { account: '111122223333' });
    const skipped = new SkippedItems();
    const states = await reader.readKind('volume', 'poc', 'us-east-1', skipped);
    reader.destroy();
    expect(states.map((state) => state.arn)).toEqual(['arn:aws:ec2:us-east-1:111122223333:volume/vol-1']);
    expect(skipped.warnings()).toEqual([
      expect.objectContaining({ operation: 'ec2:DescribeVolumes', region: 'us-east-1', partial: true }),
    ]);
    expect(skipped.warnings()[0]?.message).toMatch(/1 unreadable item skipped, e\.g\. .* \(no VolumeId\)$/);
  });
});
