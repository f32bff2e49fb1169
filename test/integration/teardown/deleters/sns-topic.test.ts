/**
 * The SNS deleter over SNS's Query protocol against the fake endpoint: fauxqs (used for the alert
 * tests) has no ListTagsForResource, and the deleter's single client cannot reach two endpoints.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { snsTopicDeleter as deleter } from '../../../../src/teardown/deleters/sns-topic.js';
import { deleterFor } from '../../../../src/teardown/deleters.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { awsQueryError, FakeAwsServer } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, expectCode, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_SNS: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:orders-events`;

const attributes = `<GetTopicAttributesResponse xmlns="${NS}">
  <GetTopicAttributesResult><Attributes>
    <entry><key>TopicArn</key><value>${ARN}</value></entry>
    <entry><key>SubscriptionsConfirmed</key><value>1</value></entry>
  </Attributes></GetTopicAttributesResult>
  <ResponseMetadata><RequestId>1469e8d7-1642-564e-b85d-a19b4b341f83</RequestId></ResponseMetadata>
</GetTopicAttributesResponse>`;

const tags = `<ListTagsForResourceResponse xmlns="${NS}">
  <ListTagsForResourceResult><Tags>
    <member><Key>poc</Key><Value>checkout</Value></member>
    <member><Key>owner</Key><Value>dana@example.com</Value></member>
  </Tags></ListTagsForResourceResult>
  <ResponseMetadata><RequestId>97fa763f-861b-5223-a946-20251f2a42e2</RequestId></ResponseMetadata>
</ListTagsForResourceResponse>`;

const deleted = `<DeleteTopicResponse xmlns="${NS}">
  <ResponseMetadata><RequestId>f3aa9ac9-3c3d-11df-8235-9dab105e9c32</RequestId></ResponseMetadata>
</DeleteTopicResponse>`;

describe('SNS topic deleter', () => {
  it('finds the deleter from the bare topic ARN and describes the topic with its tags', async () => {
    expect(deleterFor(target(ARN))).toBe(deleter);
    server
      .on('GetTopicAttributes', () => ({ body: attributes }))
      .on('ListTagsForResource', () => ({ body: tags }));
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
    });
    expect(server.calls('GetTopicAttributes')[0]?.body).toEqual({
      Action: 'GetTopicAttributes',
      Version: '2010-03-31',
      TopicArn: ARN,
    });
    expect(server.calls('ListTagsForResource')[0]?.body).toMatchObject({ ResourceArn: ARN });
    clients.destroy();
  });

  it('reports an unknown topic as gone', async () => {
    server.on('GetTopicAttributes', () => awsQueryError(404, 'NotFound', 'Topic does not exist'));
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('deletes the topic by ARN; a concurrent change is "not yet"', async () => {
    server.on('DeleteTopic', (_request, index) =>
      index === 0 ? { body: deleted } : awsQueryError(400, 'ConcurrentAccess', 'Cannot modify the topic now'),
    );
    const clients = clientPool();
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(server.calls('DeleteTopic')[0]?.body).toEqual({
      Action: 'DeleteTopic',
      Version: '2010-03-31',
      TopicArn: ARN,
    });
    await expectCode(deleter, 'dependency', deleter.delete(clients, target(ARN), DISCARD));
    clients.destroy();
  });
});
