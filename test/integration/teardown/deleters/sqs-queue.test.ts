/**
 * The SQS deleter against fauxqs, an in-process SQS emulator that speaks SQS's JSON protocol with the
 * legacy query error codes (x-amzn-query-error), as AWS does.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../../src/aws/api-meter.js';
import { sqsQueueDeleter as deleter } from '../../../../src/teardown/deleters/sqs-queue.js';
import { deleterFor } from '../../../../src/teardown/deleters.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { clientPool, DISCARD, expectCode, target } from './harness.js';

let server: FauxqsServer;
let restoreEnv: () => void;
let admin: SQSClient;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${server.port}` });
  admin = new SQSClient({ useQueueUrlAsEndpoint: false });
});
afterAll(async () => {
  admin?.destroy();
  restoreEnv?.();
  await server?.stop();
});

async function createQueue(name: string, tags: Record<string, string>): Promise<string> {
  const { QueueUrl } = await admin.send(new CreateQueueCommand({ QueueName: name, tags }));
  const { Attributes } = await admin.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn as string;
}

describe('SQS queue deleter against fauxqs', () => {
  it('finds the deleter from the bare queue ARN', async () => {
    const arn = await createQueue('orders-inbox', { poc: 'checkout' });
    expect(target(arn).type).toBe('sqs');
    expect(target(arn).id).toBe('orders-inbox');
    expect(deleterFor(target(arn))).toBe(deleter);
  });

  it('describes the queue with its tags, deletes it, and then finds it gone', async () => {
    const arn = await createQueue('orders-dlq', { poc: 'checkout', owner: 'dana@example.com' });
    const meter = new ApiMeter();
    const clients = clientPool(meter);
    expect(await deleter.describe(clients, target(arn))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
    });
    expect(await deleter.delete(clients, target(arn), DISCARD)).toEqual({});
    expect(await deleter.describe(clients, target(arn))).toEqual({ status: 'gone', tags: {} });
    // Deleting it again: the code the executor takes for "already gone".
    const code = await expectCode(deleter, 'notFound', deleter.delete(clients, target(arn), DISCARD));
    expect(code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(meter.counts()).toEqual({
      'sqs:DeleteQueue': 1,
      'sqs:GetQueueUrl': 4,
      'sqs:ListQueueTags': 1,
    });
    clients.destroy();
  });
});
