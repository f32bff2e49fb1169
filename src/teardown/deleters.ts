import { idleTypeOf } from '../core/idle/idle-rules.js';
import type { Deleter } from './deleter.js';
import { ebsVolumeDeleter } from './deleters/ebs-volume.js';
import { elasticIpDeleter } from './deleters/elastic-ip.js';
import { natGatewayDeleter } from './deleters/nat-gateway.js';
import type { TeardownTarget } from './teardown-target.js';

/**
 * Every deleter, by type. An explicit map, like the idle rules: what a teardown can delete is visible
 * here, and the teardown role's IAM policy is derived from it. A type without a deleter is never
 * deleted: its resources are reported as skipped, to be removed by hand.
 */
export const DELETERS: Readonly<Record<string, Deleter>> = {
  'ec2:natgateway': natGatewayDeleter,
  'ec2:elastic-ip': elasticIpDeleter,
  'ec2:volume': ebsVolumeDeleter,
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
