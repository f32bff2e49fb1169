import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { AwsCallError } from '../../../src/aws/aws-errors.js';
import { arnRegion, SnsPublisher } from '../../../src/delivery/sns-publisher.js';
import { signedRegion, useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer, type FakeResponse } from '../../support/fake-aws-server.js';

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function published(id: string): FakeResponse {
  return {
    body: `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`,
  };
}

function snsError(status: number, type: 'Sender' | 'Receiver', code: string, message: string): FakeResponse {
  return {
    status,
    body: `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
  };
}

let server: FakeAwsServer;
let restore: () => void;

beforeAll(async () => {
  let flaky = 0;
  server = new FakeAwsServer().on('Publish', (request, index) => {
    if (String(request.body.TopicArn).endsWith(':flaky') && flaky++ === 0) {
      return snsError(500, 'Receiver', 'InternalError', 'try again');
    }
    if (String(request.body.TopicArn).endsWith(':denied')) {
      return snsError(403, 'Sender', 'AuthorizationError', 'not authorized to perform: SNS:Publish');
    }
    return published(`message-${index}`);
  });
  restore = useFakeAwsEnv({ AWS_ENDPOINT_URL: await server.start() });
});

afterAll(async () => {
  restore();
  await server.stop();
});

describe('SnsPublisher', () => {
  it('publishes in the region of the topic, whatever the default region, and counts the call', async () => {
    const meter = new ApiMeter();
    const publisher = new SnsPublisher({ meter, maxAttempts: 1 });
    const id = await publisher.publish({
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      Message: '{"default":"hello"}',
      MessageStructure: 'json',
      Subject: '[pocketwatch] test',
      MessageAttributes: { poc: { DataType: 'String', StringValue: 'p' } },
    });
    publisher.destroy();
    expect(id).toBe('message-0');
    const [call] = server.calls('Publish');
    expect(signedRegion(call?.headers.authorization)).toBe('eu-west-1');
    expect(call?.body).toMatchObject({
      MessageStructure: 'json',
      Subject: '[pocketwatch] test',
      'MessageAttributes.entry.1.Name': 'poc',
      'MessageAttributes.entry.1.Value.StringValue': 'p',
    });
    expect(meter.counts()).toEqual({ 'sns:Publish': 1 });
  });

  it('retries a server error with the SDK standard retries (each attempt metered)', async () => {
    const meter = new ApiMeter();
    const publisher = new SnsPublisher({ meter, maxAttempts: 3 });
    expect(
      await publisher.publish({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:flaky', Message: 'm' }),
    ).toMatch(/^message-\d+$/);
    publisher.destroy();
    expect(meter.counts()).toEqual({ 'sns:Publish': 2 });
  });

  it('explains a final error as an AwsCallError naming sns:Publish', async () => {
    const publisher = new SnsPublisher({ meter: new ApiMeter(), maxAttempts: 2 });
    const error = await publisher
      .publish({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:denied', Message: 'm' })
      .catch((failure: unknown) => failure);
    publisher.destroy();
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toContain('missing IAM permission sns:Publish');
  });

  it('reads the region from an ARN', () => {
    expect(arnRegion('arn:aws:sns:ap-south-1:123456789012:t')).toBe('ap-south-1');
    expect(arnRegion('arn:aws-cn:sns:cn-north-1:123456789012:t.fifo')).toBe('cn-north-1');
    expect(arnRegion('not-an-arn')).toBeUndefined();
    expect(arnRegion(undefined)).toBeUndefined();
  });
});
