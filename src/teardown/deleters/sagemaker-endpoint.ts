import {
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { nextPageToken } from '../../inventory/page-token.js';
import { tagRecord } from '../../inventory/tag-record.js';
import type { Deleter } from '../deleter.js';
import { isAwsError } from './aws-error.js';

/** SageMaker answers for a missing endpoint with a ValidationException, told apart by its message. */
const MISSING = /Could not find endpoint/i;

/**
 * SageMaker real-time endpoints: their instances bill every hour (a GPU endpoint ~$1,000 a month).
 * Deleting the endpoint stops that; its endpoint configuration and model stay (they cost nothing).
 *
 * tagCondition: sagemaker:DeleteEndpoint on the `endpoint` resource type lists aws:ResourceTag/${TagKey}
 * and sagemaker:ResourceTag/${TagKey} (Service Authorization Reference, "Actions, resources, and
 * condition keys for Amazon SageMaker AI",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html).
 */
export const sagemakerEndpointDeleter: Deleter = {
  type: 'sagemaker:endpoint',
  label: 'SageMaker endpoint',
  order: 20,
  data: { kind: 'none' },
  iam: {
    describe: ['sagemaker:DescribeEndpoint', 'sagemaker:ListTags'],
    delete: ['sagemaker:DeleteEndpoint'],
    tagCondition: true,
  },
  // A ValidationException is not always "not found": `delete` tells them apart by message instead.
  notFound: [],
  dependency: [],
  async describe(clients, target) {
    const sagemaker = clients.get('sagemaker', target.region, (config) => new SageMakerClient(config));
    try {
      const endpoint = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: target.id }));
      const tags: Record<string, string> = {};
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        const page = await sagemaker.send(
          new ListTagsCommand({
            ResourceArn: endpoint.EndpointArn ?? target.arn,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        Object.assign(tags, tagRecord(page.Tags));
        token = nextPageToken(page.NextToken, seen, 'sagemaker:ListTags');
      } while (token);
      const variants = endpoint.ProductionVariants ?? [];
      const counts = variants.map((variant) => variant.CurrentInstanceCount);
      const instanceCount = counts.every((count) => count !== undefined)
        ? counts.reduce<number>((sum, count) => sum + (count ?? 0), 0)
        : undefined;
      return {
        status: endpoint.EndpointStatus === 'Deleting' ? 'deleting' : 'present',
        tags,
        state: {
          ...(endpoint.CreationTime ? { createdAt: endpoint.CreationTime.toISOString() } : {}),
          ...(variants.length > 0 && instanceCount !== undefined ? { instanceCount } : {}),
        },
      };
    } catch (error) {
      if (isAwsError(error, ['ValidationException'], MISSING)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target) {
    const sagemaker = clients.get('sagemaker', target.region, (config) => new SageMakerClient(config));
    try {
      await sagemaker.send(new DeleteEndpointCommand({ EndpointName: target.id }));
    } catch (error) {
      // Already gone: deleting is idempotent.
      if (!isAwsError(error, ['ValidationException'], MISSING)) throw error;
    }
    return {};
  },
};
