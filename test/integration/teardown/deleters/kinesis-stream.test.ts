import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kinesisStreamDeleter as deleter } from '../../../../src/teardown/deleters/kinesis-stream.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { awsJsonError, FakeAwsServer } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, expectCode, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  // The Kinesis client's default handler speaks HTTP/2 (for SubscribeToShard): so does this endpoint.
  server = new FakeAwsServer({ http2: true });
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_KINESIS: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const ARN = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/clickstream`;

function summary(status: string, mode = 'PROVISIONED') {
  return {
    body: {
      StreamDescriptionSummary: {
        StreamName: 'clickstream',
        StreamARN: ARN,
        StreamStatus: status,
        StreamModeDetails: { StreamMode: mode },
        RetentionPeriodHours: 24,
        StreamCreationTimestamp: 1736499600,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        OpenShardCount: 4,
        ConsumerCount: 1,
      },
    },
  };
}

describe('Kinesis stream deleter', () => {
  it('keeps the stream while data is kept: its records have no backup', () => {
    expect(deleter.data).toEqual({ kind: 'not-deleted', why: expect.stringMatching(/cannot be backed up/) });
  });

  it('describes a provisioned stream with all its tags (paginated), shards and creation date', async () => {
    server
      .on('DescribeStreamSummary', () => summary('ACTIVE'))
      .on('ListTagsForStream', (request) =>
        request.body.ExclusiveStartTagKey === 'owner'
          ? { body: { Tags: [{ Key: 'poc', Value: 'checkout' }], HasMoreTags: false } }
          : { body: { Tags: [{ Key: 'owner', Value: 'dana@example.com' }], HasMoreTags: true } },
      );
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
      state: { createdAt: '2025-01-10T09:00:00.000Z', shardCount: 4 },
    });
    expect(server.calls('DescribeStreamSummary')[0]?.body).toEqual({ StreamName: 'clickstream' });
    expect(server.calls('ListTagsForStream').map((call) => call.body)).toEqual([
      { StreamName: 'clickstream' },
      { StreamName: 'clickstream', ExclusiveStartTagKey: 'owner' },
    ]);
    clients.destroy();
  });

  it('reports a DELETING stream as deleting, an on-demand one without shards, an unknown one as gone', async () => {
    server
      .on('DescribeStreamSummary', (_request, index) =>
        index === 0
          ? summary('DELETING')
          : index === 1
            ? summary('ACTIVE', 'ON_DEMAND')
            : awsJsonError(
                400,
                'ResourceNotFoundException',
                `Stream clickstream under account ${ACCOUNT} not found.`,
              ),
      )
      .on('ListTagsForStream', () => ({ body: { Tags: [], HasMoreTags: false } }));
    const clients = clientPool();
    expect((await deleter.describe(clients, target(ARN))).status).toBe('deleting');
    expect((await deleter.describe(clients, target(ARN))).state).toEqual({
      createdAt: '2025-01-10T09:00:00.000Z',
    });
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('deletes the stream with its consumers; a stream being resharded is "not yet"', async () => {
    server.on('DeleteStream', (_request, index) =>
      index === 0
        ? { body: {} }
        : index === 1
          ? awsJsonError(400, 'ResourceInUseException', 'Stream clickstream is in UPDATING state')
          : awsJsonError(400, 'ResourceNotFoundException', 'Stream clickstream not found'),
    );
    const clients = clientPool();
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(server.calls('DeleteStream')[0]?.body).toEqual({
      StreamName: 'clickstream',
      EnforceConsumerDeletion: true,
    });
    await expectCode(deleter, 'dependency', deleter.delete(clients, target(ARN), DISCARD));
    await expectCode(deleter, 'notFound', deleter.delete(clients, target(ARN), DISCARD));
    clients.destroy();
  });
});
