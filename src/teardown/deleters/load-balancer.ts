import {
  DeleteLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { tagRecord } from '../../inventory/tag-record.js';
import type { Deleter } from '../deleter.js';
import { isAwsError } from './aws-error.js';

// Query protocol: the wire code, with the SDK's name as a fallback.
const NOT_FOUND = ['LoadBalancerNotFound', 'LoadBalancerNotFoundException'];

/*
 * tagCondition: elasticloadbalancing:DeleteLoadBalancer on the loadbalancer/app/ and loadbalancer/net/
 * resource types lists aws:ResourceTag/${TagKey} (Service Authorization Reference, "Actions, resources,
 * and condition keys for Elastic Load Balancing V2",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_elasticloadbalancingv2.html).
 */
function loadBalancerDeleter(type: string, label: string): Deleter {
  return {
    type,
    label,
    order: 20,
    data: { kind: 'none' },
    iam: {
      describe: [
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
      ],
      delete: ['elasticloadbalancing:DeleteLoadBalancer'],
      tagCondition: true,
    },
    notFound: NOT_FOUND,
    dependency: ['ResourceInUse', 'ResourceInUseException'],
    async describe(clients, target) {
      const elb = clients.get(
        'elasticloadbalancing',
        target.region,
        (config) => new ElasticLoadBalancingV2Client(config),
      );
      try {
        const { LoadBalancers = [] } = await elb.send(
          new DescribeLoadBalancersCommand({ LoadBalancerArns: [target.arn] }),
        );
        const balancer = LoadBalancers.find((candidate) => candidate.LoadBalancerArn === target.arn);
        if (!balancer) return { status: 'gone', tags: {} };
        const { TagDescriptions = [] } = await elb.send(
          new DescribeTagsCommand({ ResourceArns: [target.arn] }),
        );
        const tags = TagDescriptions.find((description) => description.ResourceArn === target.arn)?.Tags;
        const { Attributes = [] } = await elb.send(
          new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: target.arn }),
        );
        const protectedOn = Attributes.some(
          (attribute) => attribute.Key === 'deletion_protection.enabled' && attribute.Value === 'true',
        );
        return {
          // ELBv2 has no "deleting" state: a deleted load balancer is simply not found.
          status: 'present',
          tags: tagRecord(tags),
          ...(protectedOn ? { protection: 'deletion protection is on' } : {}),
          ...(balancer.CreatedTime ? { state: { createdAt: balancer.CreatedTime.toISOString() } } : {}),
        };
      } catch (error) {
        if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
        throw error;
      }
    },
    async delete(clients, target) {
      const elb = clients.get(
        'elasticloadbalancing',
        target.region,
        (config) => new ElasticLoadBalancingV2Client(config),
      );
      // Its listeners and rules go with it; target groups stay (they cost nothing).
      await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: target.arn }));
      return {};
    },
  };
}

/** Application Load Balancers: about $16 a month each while idle. Deleted before what they route to. */
export const applicationLoadBalancerDeleter = loadBalancerDeleter(
  'elasticloadbalancing:loadbalancer/app',
  'Application Load Balancer',
);

/** Network Load Balancers: about $16 a month each while idle. */
export const networkLoadBalancerDeleter = loadBalancerDeleter(
  'elasticloadbalancing:loadbalancer/net',
  'Network Load Balancer',
);
