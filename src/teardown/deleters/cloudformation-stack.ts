import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type Stack,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { nextPageToken } from '../../inventory/page-token.js';
import { tagRecord } from '../../inventory/tag-record.js';
import type { AwsClientPool } from '../aws-client-pool.js';
import type { Deleter, LiveResource } from '../deleter.js';
import type { TeardownTarget } from '../teardown-target.js';
import { isAwsError } from './aws-error.js';
import { ensureTableBackup, pendingBackups } from './dynamodb-backup.js';
import { s3Client } from './s3-bucket.js';

/** CloudFormation answers for an unknown stack name with a validation error, told apart by message. */
const VALIDATION = ['ValidationError', 'ValidationException'];
const MISSING = /does not exist/i;
const TABLE_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']);

function cloudformation(clients: AwsClientPool, region: string): CloudFormationClient {
  return clients.get('cloudformation', region, (config) => new CloudFormationClient(config));
}

/** The stack by its ARN: deleted stacks stay visible by ARN (as DELETE_COMPLETE) for 90 days. */
async function findStack(clients: AwsClientPool, target: TeardownTarget): Promise<Stack | undefined> {
  try {
    const { Stacks = [] } = await cloudformation(clients, target.region).send(
      new DescribeStacksCommand({ StackName: target.arn }),
    );
    return Stacks[0];
  } catch (error) {
    if (isAwsError(error, VALIDATION, MISSING)) return undefined;
    throw error;
  }
}

async function stackResources(
  clients: AwsClientPool,
  region: string,
  stackId: string,
): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await cloudformation(clients, region).send(
      new ListStackResourcesCommand({ StackName: stackId, ...(token ? { NextToken: token } : {}) }),
    );
    resources.push(...(page.StackResourceSummaries ?? []));
    token = nextPageToken(page.NextToken, seen, 'cloudformation:ListStackResources');
  } while (token);
  return resources;
}

/** Whether a bucket still holds any object version or delete marker. */
async function bucketHoldsData(clients: AwsClientPool, region: string, bucket: string): Promise<boolean> {
  const s3 = s3Client(clients, region);
  try {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1 }));
    return (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0) > 0;
  } catch (error) {
    if (isAwsError(error, ['NoSuchBucket'])) return false;
    throw error;
  }
}

/**
 * CloudFormation stacks: when a PoC is a stack, DeleteStack removes it the way it was built, in
 * dependency order, so stacks go first. With data kept, every DynamoDB table in the stack gets an
 * on-demand backup first (CloudFormation has no Snapshot DeletionPolicy for tables); RDS instances and
 * clusters are snapshotted by CloudFormation itself (their default DeletionPolicy is Snapshot). A stack
 * whose deletion failed (DELETE_FAILED: typically non-empty S3 buckets) is deleted again with those
 * buckets retained when data is kept. Once gone, the resources CloudFormation skipped (DeletionPolicy:
 * Retain) are reported: they keep costing money.
 *
 * DeleteStack runs with the caller's permissions (unless the stack has a service role), so the teardown
 * role also needs the delete permissions of every resource type in the stack.
 *
 * tagCondition: cloudformation:DeleteStack on the `stack` resource type lists aws:ResourceTag/${TagKey}
 * (Service Authorization Reference, "Actions, resources, and condition keys for AWS CloudFormation",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html).
 */
export const cloudformationStackDeleter: Deleter = {
  type: 'cloudformation:stack',
  label: 'CloudFormation stack',
  order: 10,
  data: {
    kind: 'final-copy',
    copy: 'on-demand backups of its DynamoDB tables (RDS final snapshots by its DeletionPolicy; non-empty S3 buckets retained)',
  },
  iam: {
    // ListStackResources serves afterGone (read-only) as well as delete; the re-check lists the
    // stack's members by their stack tag (stack-members.ts).
    describe: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources', 'tag:GetResources'],
    delete: [
      'cloudformation:DescribeStacks',
      'cloudformation:ListStackResources',
      'dynamodb:ListBackups',
      'dynamodb:CreateBackup',
      's3:ListBucketVersions',
      'cloudformation:DeleteStack',
    ],
    tagCondition: true,
  },
  // DeleteStack on an unknown stack succeeds: nothing is "not found".
  notFound: [],
  dependency: [],
  async describe(clients, target): Promise<LiveResource> {
    const stack = await findStack(clients, target);
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return { status: 'gone', tags: {} };
    return {
      status: stack.StackStatus === 'DELETE_IN_PROGRESS' ? 'deleting' : 'present',
      tags: tagRecord(stack.Tags),
      ...(stack.EnableTerminationProtection ? { protection: 'termination protection is on' } : {}),
      ...(stack.StackStatus === 'DELETE_FAILED'
        ? { failure: stack.StackStatusReason || 'the stack deletion failed (DELETE_FAILED)' }
        : {}),
      ...(stack.CreationTime ? { state: { createdAt: stack.CreationTime.toISOString() } } : {}),
    };
  },
  async delete(clients, target, options) {
    const stack = await findStack(clients, target);
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return {};
    // Idempotent: a deletion under way is not started again.
    if (stack.StackStatus === 'DELETE_IN_PROGRESS') return {};
    const stackId = stack.StackId ?? target.arn;
    const kept: string[] = [];
    const retain: string[] = [];
    if (options.keepData) {
      const resources = await stackResources(clients, target.region, stackId);
      const tables = resources.filter(
        (resource) =>
          TABLE_TYPES.has(resource.ResourceType ?? '') &&
          resource.PhysicalResourceId &&
          resource.ResourceStatus !== 'DELETE_COMPLETE',
      );
      if (tables.length > 0) {
        const dynamodb = clients.get('dynamodb', target.region, (config) => new DynamoDBClient(config));
        const backups = [];
        for (const table of tables) {
          backups.push(
            await ensureTableBackup(dynamodb, table.PhysicalResourceId as string, options.finalCopyName),
          );
        }
        kept.push(...backups.map((backup) => backup.arn));
        const waitingFor = pendingBackups(backups);
        if (waitingFor) return { kept: kept.join(', '), waitingFor };
      }
      if (stack.StackStatus === 'DELETE_FAILED') {
        for (const resource of resources) {
          if (
            resource.ResourceStatus === 'DELETE_FAILED' &&
            resource.ResourceType === 'AWS::S3::Bucket' &&
            resource.LogicalResourceId &&
            resource.PhysicalResourceId &&
            (await bucketHoldsData(clients, target.region, resource.PhysicalResourceId))
          ) {
            retain.push(resource.LogicalResourceId);
            kept.push(
              `retained non-empty S3 bucket ${resource.PhysicalResourceId} (${resource.LogicalResourceId})`,
            );
          }
        }
      }
    }
    retain.sort();
    await cloudformation(clients, target.region).send(
      new DeleteStackCommand({
        StackName: stackId,
        ...(retain.length > 0 ? { RetainResources: retain } : {}),
      }),
    );
    return kept.length > 0 ? { kept: kept.join(', ') } : {};
  },
  async afterGone(clients, target) {
    let resources: StackResourceSummary[];
    try {
      // A stack's ARN is its stack id, which still answers for 90 days after deletion.
      resources = await stackResources(clients, target.region, target.arn);
    } catch (error) {
      if (isAwsError(error, VALIDATION, MISSING)) return undefined;
      throw error;
    }
    const retained = resources
      .filter((resource) => resource.ResourceStatus === 'DELETE_SKIPPED')
      .map(
        (resource) =>
          `retained: ${resource.LogicalResourceId} ${resource.ResourceType} ${resource.PhysicalResourceId ?? '(no physical id)'}`,
      );
    return retained.length > 0 ? retained.join('; ') : undefined;
  },
};
