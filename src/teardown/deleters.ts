import { idleTypeOf } from '../core/idle/idle-rules.js';
import type { Deleter } from './deleter.js';
import { httpApiDeleter, restApiDeleter } from './deleters/api-gateway.js';
import { cloudformationStackDeleter } from './deleters/cloudformation-stack.js';
import { dynamodbTableDeleter } from './deleters/dynamodb-table.js';
import { ebsVolumeDeleter } from './deleters/ebs-volume.js';
import { ec2InstanceDeleter } from './deleters/ec2-instance.js';
import { elasticIpDeleter } from './deleters/elastic-ip.js';
import { kinesisStreamDeleter } from './deleters/kinesis-stream.js';
import { lambdaFunctionDeleter } from './deleters/lambda-function.js';
import { applicationLoadBalancerDeleter, networkLoadBalancerDeleter } from './deleters/load-balancer.js';
import { natGatewayDeleter } from './deleters/nat-gateway.js';
import { rdsClusterDeleter } from './deleters/rds-cluster.js';
import { rdsInstanceDeleter } from './deleters/rds-instance.js';
import { s3BucketDeleter } from './deleters/s3-bucket.js';
import { sagemakerEndpointDeleter } from './deleters/sagemaker-endpoint.js';
import { snsTopicDeleter } from './deleters/sns-topic.js';
import { sqsQueueDeleter } from './deleters/sqs-queue.js';
import { stateMachineDeleter } from './deleters/step-functions-state-machine.js';
import type { TeardownTarget } from './teardown-target.js';

/**
 * Every deleter, by type. An explicit map, like the idle rules: what a teardown can delete is visible
 * here, and the teardown role's IAM policy is derived from it. A type without a deleter is never
 * deleted: its resources are reported as skipped, to be removed by hand.
 */
export const DELETERS: Readonly<Record<string, Deleter>> = {
  'cloudformation:stack': cloudformationStackDeleter,
  'lambda:function': lambdaFunctionDeleter,
  'apigateway:restapis': restApiDeleter,
  'apigateway:apis': httpApiDeleter,
  'dynamodb:table': dynamodbTableDeleter,
  'sqs:queue': sqsQueueDeleter,
  'sns:topic': snsTopicDeleter,
  'states:stateMachine': stateMachineDeleter,
  'ec2:natgateway': natGatewayDeleter,
  'elasticloadbalancing:loadbalancer/app': applicationLoadBalancerDeleter,
  'elasticloadbalancing:loadbalancer/net': networkLoadBalancerDeleter,
  'rds:db': rdsInstanceDeleter,
  'rds:cluster': rdsClusterDeleter,
  'ec2:instance': ec2InstanceDeleter,
  'ec2:volume': ebsVolumeDeleter,
  'ec2:elastic-ip': elasticIpDeleter,
  'sagemaker:endpoint': sagemakerEndpointDeleter,
  'kinesis:stream': kinesisStreamDeleter,
  s3: s3BucketDeleter,
};

/**
 * The deleter type of a target: the idle rules' type where there is one (ALB and NLB apart, API
 * Gateway APIs, SQS and SNS from their bare ARNs), else the recorded Tagging API type ("s3" for a
 * bucket ARN, "cloudformation:stack").
 */
export function deleterTypeOf(target: Pick<TeardownTarget, 'arn' | 'type' | 'id'>): string {
  return idleTypeOf(target) ?? target.type;
}

export function deleterFor(
  target: Pick<TeardownTarget, 'arn' | 'type' | 'id'>,
  deleters: Readonly<Record<string, Deleter>> = DELETERS,
): Deleter | undefined {
  const type = deleterTypeOf(target);
  return Object.hasOwn(deleters, type) ? deleters[type] : undefined;
}
