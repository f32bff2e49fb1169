import { DeleteQueueCommand, GetQueueUrlCommand, ListQueueTagsCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClientPool } from '../aws-client-pool.js';
import type { Deleter } from '../deleter.js';
import type { TeardownTarget } from '../teardown-target.js';
import { isAwsError } from './aws-error.js';

// SQS speaks JSON with query compatibility: the code is the legacy one from x-amzn-query-error when
// AWS sends it, else the JSON one.
const NOT_FOUND = ['AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist'];

function sqsClient(clients: AwsClientPool, region: string): SQSClient {
  // The queue URL comes from GetQueueUrl on this same client, so its endpoint is already the right one;
  // not following the URL keeps local emulators (whose URLs name hosts that need not resolve) working.
  return clients.get('sqs', region, (config) => new SQSClient({ ...config, useQueueUrlAsEndpoint: false }));
}

/** The queue's URL from its ARN (arn:aws:sqs:region:account:name): the id is the name. */
async function queueUrl(sqs: SQSClient, target: TeardownTarget): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({
      QueueName: target.id,
      ...(target.account ? { QueueOwnerAWSAccountId: target.account } : {}),
    }),
  );
  if (!QueueUrl) throw new Error(`GetQueueUrl returned no URL for ${target.arn}`);
  return QueueUrl;
}

/**
 * SQS queues: free while idle; messages still in them are lost, which a PoC's idle queue does not
 * hold. Deleted after what sends to them. AWS takes up to 60 seconds to forget a deleted queue.
 *
 * tagCondition: sqs:DeleteQueue on the `queue` resource type lists aws:ResourceTag/${TagKey}
 * (Service Authorization Reference, "Actions, resources, and condition keys for Amazon SQS",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html; SQS developer
 * guide, "ABAC condition keys for Amazon SQS").
 */
export const sqsQueueDeleter: Deleter = {
  type: 'sqs:queue',
  label: 'SQS queue',
  order: 40,
  data: { kind: 'none' },
  iam: {
    describe: ['sqs:GetQueueUrl', 'sqs:ListQueueTags'],
    delete: ['sqs:GetQueueUrl', 'sqs:DeleteQueue'],
    tagCondition: true,
  },
  notFound: NOT_FOUND,
  dependency: [],
  async describe(clients, target) {
    const sqs = sqsClient(clients, target.region);
    try {
      const url = await queueUrl(sqs, target);
      const { Tags = {} } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
      return { status: 'present', tags: { ...Tags } };
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target) {
    const sqs = sqsClient(clients, target.region);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: await queueUrl(sqs, target) }));
    return {};
  },
};
