import {
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListTagsForStreamCommand,
} from '@aws-sdk/client-kinesis';
import { tagRecord } from '../../inventory/tag-record.js';
import type { Deleter } from '../deleter.js';
import { isAwsError } from './aws-error.js';

const NOT_FOUND = ['ResourceNotFoundException'];

/**
 * Kinesis data streams: every provisioned shard bills every hour ($0.015). A stream's records cannot be
 * backed up, so while the policy keeps data the stream is not deleted at all (the executor decides that
 * from `data`); when it is, its consumers go with it.
 *
 * tagCondition: kinesis:DeleteStream on the `stream` resource type lists aws:ResourceTag/${TagKey}
 * (Service Authorization Reference, "Actions, resources, and condition keys for Amazon Kinesis Data
 * Streams", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesis.html).
 */
export const kinesisStreamDeleter: Deleter = {
  type: 'kinesis:stream',
  label: 'Kinesis data stream',
  order: 40,
  data: {
    kind: 'not-deleted',
    why: "a stream's records cannot be backed up; it is deleted only when the policy deletes data",
  },
  iam: {
    describe: ['kinesis:DescribeStreamSummary', 'kinesis:ListTagsForStream'],
    delete: ['kinesis:DeleteStream'],
    tagCondition: true,
  },
  notFound: NOT_FOUND,
  // Still being created or updated (resharding): deleted on a later pass.
  dependency: ['ResourceInUseException'],
  async describe(clients, target) {
    const kinesis = clients.get('kinesis', target.region, (config) => new KinesisClient(config));
    try {
      const { StreamDescriptionSummary: stream } = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: target.id }),
      );
      if (!stream) return { status: 'gone', tags: {} };
      const tags: Record<string, string> = {};
      let start: string | undefined;
      for (;;) {
        const page = await kinesis.send(
          new ListTagsForStreamCommand({
            StreamName: target.id,
            ...(start ? { ExclusiveStartTagKey: start } : {}),
          }),
        );
        Object.assign(tags, tagRecord(page.Tags));
        start = page.Tags?.at(-1)?.Key;
        if (!page.HasMoreTags || !start) break;
      }
      const provisioned = stream.StreamModeDetails?.StreamMode !== 'ON_DEMAND';
      return {
        status: stream.StreamStatus === 'DELETING' ? 'deleting' : 'present',
        tags,
        state: {
          ...(stream.StreamCreationTimestamp
            ? { createdAt: stream.StreamCreationTimestamp.toISOString() }
            : {}),
          ...(provisioned && stream.OpenShardCount !== undefined
            ? { shardCount: stream.OpenShardCount }
            : {}),
        },
      };
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target) {
    const kinesis = clients.get('kinesis', target.region, (config) => new KinesisClient(config));
    await kinesis.send(new DeleteStreamCommand({ StreamName: target.id, EnforceConsumerDeletion: true }));
    return {};
  },
};
