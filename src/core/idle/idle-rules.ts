import type { TaggedResource } from '../../inventory/resource.js';
import type { IdleRule } from './idle-rule.js';
import { apiGatewayHttp } from './rules/api-gateway-http.js';
import { apiGatewayRest } from './rules/api-gateway-rest.js';
import { applicationLoadBalancer } from './rules/application-load-balancer.js';
import { auroraCluster } from './rules/aurora-cluster.js';
import { dynamodbTable } from './rules/dynamodb-table.js';
import { ebsVolume } from './rules/ebs-volume.js';
import { ec2Instance } from './rules/ec2-instance.js';
import { elasticIp } from './rules/elastic-ip.js';
import { kinesisStream } from './rules/kinesis-stream.js';
import { lambdaFunction } from './rules/lambda-function.js';
import { natGateway } from './rules/nat-gateway.js';
import { networkLoadBalancer } from './rules/network-load-balancer.js';
import { rdsInstance } from './rules/rds-instance.js';
import { sagemakerEndpoint } from './rules/sagemaker-endpoint.js';
import { snsTopic } from './rules/sns-topic.js';
import { sqsQueue } from './rules/sqs-queue.js';
import { stepFunctionsStateMachine } from './rules/step-functions-state-machine.js';

/**
 * Every idle rule, by type. An explicit map rather than rules registering themselves on import:
 * what is checked is visible here, and policies/policy.schema.json lists the same keys (a test keeps
 * the two in step).
 */
export const IDLE_RULES = {
  'lambda:function': lambdaFunction,
  'apigateway:restapis': apiGatewayRest,
  'apigateway:apis': apiGatewayHttp,
  'dynamodb:table': dynamodbTable,
  'sqs:queue': sqsQueue,
  'sns:topic': snsTopic,
  'states:stateMachine': stepFunctionsStateMachine,
  'ec2:natgateway': natGateway,
  'elasticloadbalancing:loadbalancer/app': applicationLoadBalancer,
  'elasticloadbalancing:loadbalancer/net': networkLoadBalancer,
  'rds:db': rdsInstance,
  'rds:cluster': auroraCluster,
  'ec2:instance': ec2Instance,
  'ec2:volume': ebsVolume,
  'ec2:elastic-ip': elasticIp,
  'sagemaker:endpoint': sagemakerEndpoint,
  'kinesis:stream': kinesisStream,
} as const satisfies Record<string, IdleRule>;

export type IdleType = keyof typeof IDLE_RULES;

export function isIdleType(type: string): type is IdleType {
  return Object.hasOwn(IDLE_RULES, type);
}

/**
 * The idle rule type of a resource. The Tagging API's type (the ARN's "service:resource-type") is
 * not always fine enough or not always present: ALBs and NLBs share one type, API Gateway ARNs
 * (arn:aws:apigateway:region::/restapis/id) have no resource type part, SQS and SNS ARNs end in a
 * bare name.
 */
export function idleTypeOf(resource: Pick<TaggedResource, 'arn' | 'type' | 'id'>): IdleType | undefined {
  const { type, id, arn } = resource;
  if (type === 'elasticloadbalancing:loadbalancer') {
    if (id.startsWith('app/')) return 'elasticloadbalancing:loadbalancer/app';
    if (id.startsWith('net/')) return 'elasticloadbalancing:loadbalancer/net';
    // Classic and Gateway Load Balancers have no rule.
    return undefined;
  }
  if (type.startsWith('apigateway')) {
    // Only the API itself: stages, deployments, ... are listed under the same service.
    if (/:\/restapis\/[^/]+$/.test(arn)) return 'apigateway:restapis';
    if (/:\/apis\/[^/]+$/.test(arn)) return 'apigateway:apis';
    return undefined;
  }
  if (type === 'sqs') return 'sqs:queue';
  if (type === 'sns') return 'sns:topic';
  return isIdleType(type) ? type : undefined;
}

export function idleRuleFor(resource: Pick<TaggedResource, 'arn' | 'type' | 'id'>): IdleRule | undefined {
  const type = idleTypeOf(resource);
  return type === undefined ? undefined : IDLE_RULES[type];
}

/**
 * The IAM actions an idle scan needs, Cloud Custodian style: listing the tagged resources plus what
 * each rule's signal reads. Sorted, without duplicates, ready for a policy statement.
 */
export function idleScanIamActions(rules: Iterable<IdleRule> = Object.values(IDLE_RULES)): string[] {
  const actions = new Set<string>(['tag:GetResources']);
  for (const rule of rules) for (const action of rule.iamActions) actions.add(action);
  return [...actions].sort();
}
