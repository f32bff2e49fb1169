import {
  type DBInstance,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { tagRecord } from '../../inventory/tag-record.js';
import type { AwsClientPool } from '../aws-client-pool.js';
import type { Deleter, LiveResource } from '../deleter.js';
import type { TeardownTarget } from '../teardown-target.js';
import { isAwsError } from './aws-error.js';

// Query protocol: the wire codes, with the SDK's names as a fallback.
const NOT_FOUND = ['DBInstanceNotFound', 'DBInstanceNotFoundFault'];

async function findInstance(clients: AwsClientPool, target: TeardownTarget): Promise<DBInstance | undefined> {
  const rds = clients.get('rds', target.region, (config) => new RDSClient(config));
  try {
    const { DBInstances = [] } = await rds.send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: target.id }),
    );
    return DBInstances.find((instance) => instance.DBInstanceIdentifier === target.id);
  } catch (error) {
    if (isAwsError(error, NOT_FOUND)) return undefined;
    throw error;
  }
}

/**
 * RDS DB instances: billed every hour they run. With data kept, DeleteDBInstance takes a final DB
 * snapshot named after the teardown (`SkipFinalSnapshot: false`) and keeps the automated backups. An
 * instance in an Aurora cluster, or a read replica, cannot take one: it is deleted without, since its
 * data lives on in its cluster (whose own final snapshot keeps it) or in its source instance.
 *
 * tagCondition: rds:DeleteDBInstance on the `db` resource type lists aws:ResourceTag/${TagKey} and
 * rds:db-tag/${TagKey} (Service Authorization Reference, "Actions, resources, and condition keys for
 * Amazon RDS", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html).
 * Since August 2024 a final snapshot also needs rds:CreateDBSnapshot (and rds:AddTagsToResource when the
 * instance copies its tags to snapshots) on the new snapshot, which carries no tag yet when authorized.
 */
export const rdsInstanceDeleter: Deleter = {
  type: 'rds:db',
  label: 'RDS DB instance',
  order: 30,
  data: { kind: 'final-copy', copy: 'final DB snapshot' },
  iam: {
    describe: ['rds:DescribeDBInstances'],
    delete: [
      'rds:DescribeDBInstances',
      'rds:DeleteDBInstance',
      'rds:CreateDBSnapshot',
      'rds:AddTagsToResource',
    ],
    tagCondition: true,
  },
  notFound: NOT_FOUND,
  // Not in a state that allows deletion yet (creating, modifying, backing up, stopping).
  dependency: ['InvalidDBInstanceState', 'InvalidDBInstanceStateFault'],
  async describe(clients, target): Promise<LiveResource> {
    const instance = await findInstance(clients, target);
    if (!instance) return { status: 'gone', tags: {} };
    return {
      status: instance.DBInstanceStatus === 'deleting' ? 'deleting' : 'present',
      tags: tagRecord(instance.TagList),
      ...(instance.DeletionProtection ? { protection: 'deletion protection is on' } : {}),
      state: {
        ...(instance.InstanceCreateTime ? { createdAt: instance.InstanceCreateTime.toISOString() } : {}),
        ...(instance.DBInstanceClass ? { instanceType: instance.DBInstanceClass } : {}),
      },
    };
  },
  async delete(clients, target, options) {
    const rds = clients.get('rds', target.region, (config) => new RDSClient(config));
    const instance = await findInstance(clients, target);
    if (!instance) return {};
    const cluster = instance.DBClusterIdentifier;
    const source = instance.ReadReplicaSourceDBInstanceIdentifier;
    let kept: string | undefined;
    let snapshot = false;
    if (options.keepData) {
      if (cluster) kept = `DB cluster ${cluster} (its final snapshot keeps this instance's data)`;
      else if (source) kept = `source DB instance ${source} (this read replica holds no data of its own)`;
      else {
        kept = options.finalCopyName;
        snapshot = true;
      }
    }
    // Idempotent: a deletion already under way took its final snapshot when it started.
    if (instance.DBInstanceStatus === 'deleting') return kept ? { kept } : {};
    await rds.send(
      new DeleteDBInstanceCommand({
        DBInstanceIdentifier: target.id,
        // Aurora instances take neither setting: the cluster owns the storage.
        ...(cluster
          ? {}
          : snapshot
            ? {
                SkipFinalSnapshot: false,
                FinalDBSnapshotIdentifier: options.finalCopyName,
                DeleteAutomatedBackups: false,
              }
            : { SkipFinalSnapshot: true }),
      }),
    );
    return kept ? { kept } : {};
  },
};
