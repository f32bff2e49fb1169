import { parseArn } from '../inventory/resource.js';

/** One resource of an approved set, as the executor addresses it. */
export interface TeardownTarget {
  arn: string;
  /** Tagging API style type, e.g. "ec2:natgateway" (as the recommendation recorded it). */
  type: string;
  region: string;
  /** The account in the ARN; '' for ARNs without one (S3 buckets, API Gateway). */
  account: string;
  /** The ARN's resource id: "nat-0abc", "my-function", "app/my-alb/50dc6c49", "/restapis/a1b2c3". */
  id: string;
}

/**
 * The target for a recorded resource. Its recorded type and region win over the ARN's: S3 bucket
 * ARNs carry no region (the Tagging API listing that found it does), and types may be finer.
 */
export function teardownTarget(resource: { arn: string; type?: string; region?: string }): TeardownTarget {
  const parsed = parseArn(resource.arn);
  return {
    arn: resource.arn,
    type: resource.type || parsed.type,
    region: resource.region || parsed.region,
    account: parsed.account,
    id: parsed.resourceId,
  };
}
