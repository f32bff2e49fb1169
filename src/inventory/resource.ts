/**
 * A resource that carries (or carried) the PoC tag, as the Resource Groups Tagging API lists it.
 * The Tagging API also lists resources deleted minutes to hours ago ("ghosts"), so nothing is
 * proposed for teardown on its word alone.
 */
export interface TaggedResource {
  arn: string;
  /** Tagging API style type, e.g. "ec2:natgateway", "lambda:function", "dynamodb:table". */
  type: string;
  region: string;
  account: string;
  /** The last part of the ARN: function name, table name, "nat-0abc…", "app/my-alb/50dc6c49…". */
  id: string;
  tags: Record<string, string>;
  /** The PoC tag's value. */
  poc: string;
}

/** Parses an ARN into its parts and the Tagging API type ("service:resource-type"). */
export function parseArn(arn: string): {
  partition: string;
  service: string;
  region: string;
  account: string;
  resourceType: string;
  resourceId: string;
  type: string;
} {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw new Error(`not an ARN: ${arn}`);
  const [, partition = '', service = '', region = '', account = ''] = parts;
  const resource = parts.slice(5).join(':');
  // "function:name", "table/name", "natgateway/nat-1", "loadbalancer/app/x/y", "bucket-name" (S3).
  const match = /^([^/:]+)[/:](.*)$/.exec(resource);
  const resourceType = match ? (match[1] ?? '') : '';
  const resourceId = match ? (match[2] ?? '') : resource;
  return {
    partition,
    service,
    region,
    account,
    resourceType,
    resourceId,
    type: resourceType ? `${service}:${resourceType}` : service,
  };
}
