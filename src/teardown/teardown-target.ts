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

/** The target for an ARN; `type` is the recorded one when given (it may be finer than the ARN's). */
export function teardownTarget(arn: string, type?: string): TeardownTarget {
  const parsed = parseArn(arn);
  return {
    arn,
    type: type ?? parsed.type,
    region: parsed.region,
    account: parsed.account,
    id: parsed.resourceId,
  };
}
