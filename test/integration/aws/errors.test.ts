import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { AwsCallError } from '../../../src/aws/aws-errors.js';
import { CloudWatchActivityReader } from '../../../src/inventory/cloudwatch-activity.js';
import { TaggingInventory } from '../../../src/inventory/tagging-inventory.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { awsJsonError, FakeAwsServer } from '../../support/fake-aws-server.js';

let server: FakeAwsServer;
let restore: () => void;

beforeAll(async () => {
  server = new FakeAwsServer()
    .on('GetResources', () =>
      awsJsonError(
        400,
        'AccessDeniedException',
        'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: tag:GetResources',
      ),
    )
    .on('GetMetricData', () => awsJsonError(400, 'Throttling', 'Rate exceeded'));
  restore = useFakeAwsEnv({ AWS_ENDPOINT_URL: await server.start() });
});

afterAll(async () => {
  restore();
  await server.stop();
});

describe('errors from any metered client', () => {
  it('name the IAM action that is missing', async () => {
    const inventory = new TaggingInventory({ meter: new ApiMeter(), maxAttempts: 1 });
    const error = await inventory.list('poc', ['us-east-1']).catch((failure: unknown) => failure);
    inventory.destroy();
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toContain('tag:GetResources');
    expect((error as AwsCallError).message).toMatch(/permission|not authori[sz]ed/i);
  });

  it('say that throttling outlasted the retries, never a silent zero', async () => {
    const meter = new ApiMeter();
    const reader = new CloudWatchActivityReader({ meter, maxAttempts: 2, retryStrategy: undefined });
    const query = {
      id: 'q1',
      namespace: 'AWS/Lambda',
      metricName: 'Invocations',
      dimensions: [{ name: 'FunctionName', value: 'f' }],
      stat: 'Sum' as const,
      region: 'us-east-1',
    };
    const error = await reader
      .read([query], {
        start: new Date('2026-11-01T00:00:00Z'),
        end: new Date('2026-11-19T00:00:00Z'),
        periodSeconds: 86_400,
      })
      .catch((failure: unknown) => failure);
    reader.destroy();
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toContain('cloudwatch:GetMetricData');
    expect((error as AwsCallError).message).toMatch(/throttl/i);
    expect(meter.counts()['cloudwatch:GetMetricData']).toBe(2);
  });
});
