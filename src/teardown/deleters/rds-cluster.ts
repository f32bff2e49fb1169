import {
  type DBCluster,
  DeleteDBClusterCommand,
  DescribeDBClustersCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { tagRecord } from '../../inventory/tag-record.js';
import type { AwsClientPool } from '../aws-client-pool.js';
import type { Deleter, LiveResource } from '../deleter.js';
import type { TeardownTarget } from '../teardown-target.js';
import { isAwsError } from './aws-error.js';

// Query protocol: RDS's cluster errors carry "Fault" on the wire too.
const NOT_FOUND = ['DBClusterNotFoundFault'];

async function findCluster(clients: AwsClientPool, target: TeardownTarget): Promise<DBCluster | undefined> {
  const rds = clients.get('rds', target.region, (config) => new RDSClient(config));
  try {
    const { DBClusters = [] } = await rds.send(
      new DescribeDBClustersCommand({ DBClusterIdentifier: target.id }),
    );
    return DBClusters.find((cluster) => cluster.DBClusterIdentifier === target.id);
  } catch (error) {
    if (isAwsError(error, NOT_FOUND)) return undefined;
    throw error;
  }
}

/**
 * Aurora (and Multi-AZ) DB clusters: storage bills while the cluster exists, Serverless v2 capacity
 * every hour it is not paused. A cluster is deleted after its DB instances (order 30 before 40): while
 * members remain, DeleteDBCluster fails with InvalidDBClusterStateFault and is retried on a later pass.
 * With data kept, it takes a final cluster snapshot named after the teardown and keeps its automated
 * backups.
 *
 * tagCondition: rds:DeleteDBCluster on the `cluster` resource type lists aws:ResourceTag/${TagKey} and
 * rds:cluster-tag/${TagKey} (Service Authorization Reference, "Actions, resources, and condition keys
 * for Amazon RDS", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html).
 * The action also authorizes the `cluster-snapshot` it creates, and since August 2024 needs
 * rds:CreateDBClusterSnapshot (plus rds:AddTagsToResource when tags are copied) on that snapshot.
 */
export const rdsClusterDeleter: Deleter = {
  type: 'rds:cluster',
  label: 'Aurora DB cluster',
  order: 40,
  data: { kind: 'final-copy', copy: 'final DB cluster snapshot' },
  iam: {
    describe: ['rds:DescribeDBClusters'],
    delete: [
      'rds:DescribeDBClusters',
      'rds:DeleteDBCluster',
      'rds:CreateDBClusterSnapshot',
      'rds:AddTagsToResource',
    ],
    tagCondition: true,
  },
  notFound: NOT_FOUND,
  // DB instances still in the cluster, or the cluster is busy (modifying, backing up).
  dependency: ['InvalidDBClusterStateFault'],
  async describe(clients, target): Promise<LiveResource> {
    const cluster = await findCluster(clients, target);
    if (!cluster) return { status: 'gone', tags: {} };
    return {
      status: cluster.Status === 'deleting' ? 'deleting' : 'present',
      tags: tagRecord(cluster.TagList),
      ...(cluster.DeletionProtection ? { protection: 'deletion protection is on' } : {}),
      state: {
        ...(cluster.ClusterCreateTime ? { createdAt: cluster.ClusterCreateTime.toISOString() } : {}),
        ...(cluster.DBClusterInstanceClass ? { instanceType: cluster.DBClusterInstanceClass } : {}),
      },
    };
  },
  async delete(clients, target, options) {
    const rds = clients.get('rds', target.region, (config) => new RDSClient(config));
    const cluster = await findCluster(clients, target);
    if (!cluster) return {};
    const kept = options.keepData ? options.finalCopyName : undefined;
    // Idempotent: a deletion already under way took its final snapshot when it started.
    if (cluster.Status === 'deleting') return kept ? { kept } : {};
    await rds.send(
      new DeleteDBClusterCommand({
        DBClusterIdentifier: target.id,
        ...(kept
          ? { SkipFinalSnapshot: false, FinalDBSnapshotIdentifier: kept, DeleteAutomatedBackups: false }
          : { SkipFinalSnapshot: true }),
      }),
    );
    return kept ? { kept } : {};
  },
};
