import {
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { tagRecord } from '../../inventory/tag-record.js';
import type { Deleter } from '../deleter.js';
import { isAwsError } from './aws-error.js';

// Query protocol: the wire codes ("NotFound", "ResourceNotFound"), with the SDK's names as a fallback.
const NOT_FOUND = ['NotFound', 'NotFoundException', 'ResourceNotFound', 'ResourceNotFoundException'];

/**
 * SNS topics: free while idle. Deleting one deletes its subscriptions too. Deleted after what
 * publishes to them.
 *
 * tagCondition: sns:DeleteTopic on the `topic` resource type lists aws:ResourceTag/${TagKey}
 * (Service Authorization Reference, "Actions, resources, and condition keys for Amazon SNS",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html).
 */
export const snsTopicDeleter: Deleter = {
  type: 'sns:topic',
  label: 'SNS topic',
  order: 40,
  data: { kind: 'none' },
  iam: {
    describe: ['sns:GetTopicAttributes', 'sns:ListTagsForResource'],
    delete: ['sns:DeleteTopic'],
    tagCondition: true,
  },
  notFound: NOT_FOUND,
  // Another tag or attribute change on the topic is under way.
  dependency: ['ConcurrentAccess', 'ConcurrentAccessException'],
  async describe(clients, target) {
    const sns = clients.get('sns', target.region, (config) => new SNSClient(config));
    try {
      await sns.send(new GetTopicAttributesCommand({ TopicArn: target.arn }));
      const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: target.arn }));
      return { status: 'present', tags: tagRecord(Tags) };
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target) {
    const sns = clients.get('sns', target.region, (config) => new SNSClient(config));
    await sns.send(new DeleteTopicCommand({ TopicArn: target.arn }));
    return {};
  },
};
