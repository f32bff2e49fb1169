import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rdsClusterDeleter as clusterDeleter } from '../../../../src/teardown/deleters/rds-cluster.js';
import { rdsInstanceDeleter as instanceDeleter } from '../../../../src/teardown/deleters/rds-instance.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { awsQueryError, FakeAwsServer, type RecordedRequest } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, expectCode, FINAL_COPY, KEEP, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_RDS: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const NS = 'http://rds.amazonaws.com/doc/2014-10-31/';
const METADATA =
  '<ResponseMetadata><RequestId>7f2d8d2c-5c1e-4b7a-9d5e-1f0e8c3b2a11</RequestId></ResponseMetadata>';
const arnOf = (kind: 'db' | 'cluster', id: string) => `arn:aws:rds:us-east-1:${ACCOUNT}:${kind}:${id}`;

interface InstanceFacts {
  status?: string;
  protection?: boolean;
  cluster?: string;
  source?: string;
}

function instanceXml(id: string, facts: InstanceFacts): string {
  return `<DBInstance>
    <DBInstanceIdentifier>${id}</DBInstanceIdentifier>
    <DBInstanceArn>${arnOf('db', id)}</DBInstanceArn>
    <DBInstanceClass>db.t4g.micro</DBInstanceClass>
    <Engine>${facts.cluster ? 'aurora-postgresql' : 'postgres'}</Engine>
    <DBInstanceStatus>${facts.status ?? 'available'}</DBInstanceStatus>
    <InstanceCreateTime>2025-01-10T09:00:00.000Z</InstanceCreateTime>
    <DeletionProtection>${facts.protection ?? false}</DeletionProtection>
    ${facts.cluster ? `<DBClusterIdentifier>${facts.cluster}</DBClusterIdentifier>` : ''}
    ${facts.source ? `<ReadReplicaSourceDBInstanceIdentifier>${facts.source}</ReadReplicaSourceDBInstanceIdentifier>` : ''}
    <TagList>
      <Tag><Key>poc</Key><Value>checkout</Value></Tag>
      <Tag><Key>owner</Key><Value>dana@example.com</Value></Tag>
    </TagList>
  </DBInstance>`;
}

/** DescribeDBInstances answering from `instances` by DBInstanceIdentifier, as RDS does. */
function describeInstances(instances: Record<string, InstanceFacts>) {
  return (request: RecordedRequest) => {
    const id = String(request.body.DBInstanceIdentifier);
    const facts = instances[id];
    if (!facts) return awsQueryError(404, 'DBInstanceNotFound', `DBInstance ${id} not found.`);
    return {
      body: `<DescribeDBInstancesResponse xmlns="${NS}"><DescribeDBInstancesResult><DBInstances>${instanceXml(id, facts)}</DBInstances></DescribeDBInstancesResult>${METADATA}</DescribeDBInstancesResponse>`,
    };
  };
}

function deletedInstance(request: RecordedRequest) {
  const id = String(request.body.DBInstanceIdentifier);
  return {
    body: `<DeleteDBInstanceResponse xmlns="${NS}"><DeleteDBInstanceResult>${instanceXml(id, { status: 'deleting' })}</DeleteDBInstanceResult>${METADATA}</DeleteDBInstanceResponse>`,
  };
}

describe('RDS DB instance deleter', () => {
  it('describes an instance with its tags, deletion protection, class and creation date', async () => {
    server.on(
      'DescribeDBInstances',
      describeInstances({ 'orders-db': { protection: true }, 'old-db': { status: 'deleting' } }),
    );
    const clients = clientPool();
    expect(await instanceDeleter.describe(clients, target(arnOf('db', 'orders-db')))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
      protection: 'deletion protection is on',
      state: { createdAt: '2025-01-10T09:00:00.000Z', instanceType: 'db.t4g.micro' },
    });
    expect(server.calls('DescribeDBInstances')[0]?.body).toEqual({
      Action: 'DescribeDBInstances',
      Version: '2014-10-31',
      DBInstanceIdentifier: 'orders-db',
    });
    expect((await instanceDeleter.describe(clients, target(arnOf('db', 'old-db')))).status).toBe('deleting');
    expect(await instanceDeleter.describe(clients, target(arnOf('db', 'gone-db')))).toEqual({
      status: 'gone',
      tags: {},
    });
    clients.destroy();
  });

  it('keeps data with a final DB snapshot and the automated backups, and never deletes twice', async () => {
    const instances: Record<string, InstanceFacts> = { 'orders-db': {} };
    server.on('DescribeDBInstances', describeInstances(instances)).on('DeleteDBInstance', (request) => {
      instances['orders-db'] = { status: 'deleting' };
      return deletedInstance(request);
    });
    const clients = clientPool();
    const arn = arnOf('db', 'orders-db');
    expect(await instanceDeleter.delete(clients, target(arn), KEEP)).toEqual({ kept: FINAL_COPY });
    expect(server.calls('DeleteDBInstance').map((call) => call.body)).toEqual([
      {
        Action: 'DeleteDBInstance',
        Version: '2014-10-31',
        DBInstanceIdentifier: 'orders-db',
        SkipFinalSnapshot: 'false',
        FinalDBSnapshotIdentifier: FINAL_COPY,
        DeleteAutomatedBackups: 'false',
      },
    ]);
    // A later pass finds the deletion (and its snapshot) under way.
    expect(await instanceDeleter.delete(clients, target(arn), KEEP)).toEqual({ kept: FINAL_COPY });
    expect(server.calls('DeleteDBInstance')).toHaveLength(1);
    clients.destroy();
  });

  it('skips the final snapshot only when data is not kept', async () => {
    server
      .on('DescribeDBInstances', describeInstances({ 'scratch-db': {} }))
      .on('DeleteDBInstance', deletedInstance);
    const clients = clientPool();
    expect(await instanceDeleter.delete(clients, target(arnOf('db', 'scratch-db')), DISCARD)).toEqual({});
    expect(server.calls('DeleteDBInstance')[0]?.body).toEqual({
      Action: 'DeleteDBInstance',
      Version: '2014-10-31',
      DBInstanceIdentifier: 'scratch-db',
      SkipFinalSnapshot: 'true',
    });
    clients.destroy();
  });

  it('deletes an Aurora instance without a snapshot: its cluster keeps the data', async () => {
    server
      .on('DescribeDBInstances', describeInstances({ 'orders-aurora-1': { cluster: 'orders-aurora' } }))
      .on('DeleteDBInstance', deletedInstance);
    const clients = clientPool();
    const result = await instanceDeleter.delete(clients, target(arnOf('db', 'orders-aurora-1')), KEEP);
    expect(result.kept).toMatch(/^DB cluster orders-aurora \(its final snapshot keeps/);
    expect(result.waitingFor).toBeUndefined();
    expect(server.calls('DeleteDBInstance')[0]?.body).toEqual({
      Action: 'DeleteDBInstance',
      Version: '2014-10-31',
      DBInstanceIdentifier: 'orders-aurora-1',
    });
    clients.destroy();
  });

  it('deletes a read replica without a snapshot: its source keeps the data', async () => {
    server
      .on('DescribeDBInstances', describeInstances({ 'orders-replica': { source: 'orders-db' } }))
      .on('DeleteDBInstance', deletedInstance);
    const clients = clientPool();
    const result = await instanceDeleter.delete(clients, target(arnOf('db', 'orders-replica')), KEEP);
    expect(result.kept).toMatch(/^source DB instance orders-db/);
    expect(server.calls('DeleteDBInstance')[0]?.body).toMatchObject({ SkipFinalSnapshot: 'true' });
    expect(server.calls('DeleteDBInstance')[0]?.body.FinalDBSnapshotIdentifier).toBeUndefined();
    clients.destroy();
  });

  it('says "not yet" while the instance cannot be deleted, and nothing to do once it is gone', async () => {
    server
      .on('DescribeDBInstances', describeInstances({ 'busy-db': { status: 'backing-up' } }))
      .on('DeleteDBInstance', () =>
        awsQueryError(400, 'InvalidDBInstanceState', 'Instance busy-db is not in available state.'),
      );
    const clients = clientPool();
    await expectCode(
      instanceDeleter,
      'dependency',
      instanceDeleter.delete(clients, target(arnOf('db', 'busy-db')), KEEP),
    );
    expect(await instanceDeleter.delete(clients, target(arnOf('db', 'gone-db')), KEEP)).toEqual({});
    expect(server.calls('DeleteDBInstance')).toHaveLength(1);
    clients.destroy();
  });
});

interface ClusterFacts {
  status?: string;
  protection?: boolean;
  members?: string[];
}

function clusterXml(id: string, facts: ClusterFacts): string {
  const members = (facts.members ?? [])
    .map(
      (member) =>
        `<DBClusterMember><DBInstanceIdentifier>${member}</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter></DBClusterMember>`,
    )
    .join('');
  return `<DBCluster>
    <DBClusterIdentifier>${id}</DBClusterIdentifier>
    <DBClusterArn>${arnOf('cluster', id)}</DBClusterArn>
    <Engine>aurora-postgresql</Engine>
    <Status>${facts.status ?? 'available'}</Status>
    <ClusterCreateTime>2025-01-10T09:00:00.000Z</ClusterCreateTime>
    <DeletionProtection>${facts.protection ?? false}</DeletionProtection>
    <DBClusterMembers>${members}</DBClusterMembers>
    <TagList><Tag><Key>poc</Key><Value>checkout</Value></Tag></TagList>
  </DBCluster>`;
}

function describeClusters(clusters: Record<string, ClusterFacts>) {
  return (request: RecordedRequest) => {
    const id = String(request.body.DBClusterIdentifier);
    const facts = clusters[id];
    if (!facts) return awsQueryError(404, 'DBClusterNotFoundFault', `DBCluster ${id} not found.`);
    return {
      body: `<DescribeDBClustersResponse xmlns="${NS}"><DescribeDBClustersResult><DBClusters>${clusterXml(id, facts)}</DBClusters></DescribeDBClustersResult>${METADATA}</DescribeDBClustersResponse>`,
    };
  };
}

describe('Aurora DB cluster deleter', () => {
  it('describes a cluster with its tags, deletion protection and creation date; deleting; gone', async () => {
    server.on(
      'DescribeDBClusters',
      describeClusters({ 'orders-aurora': { protection: true }, 'old-aurora': { status: 'deleting' } }),
    );
    const clients = clientPool();
    expect(await clusterDeleter.describe(clients, target(arnOf('cluster', 'orders-aurora')))).toEqual({
      status: 'present',
      tags: { poc: 'checkout' },
      protection: 'deletion protection is on',
      state: { createdAt: '2025-01-10T09:00:00.000Z' },
    });
    expect((await clusterDeleter.describe(clients, target(arnOf('cluster', 'old-aurora')))).status).toBe(
      'deleting',
    );
    expect(await clusterDeleter.describe(clients, target(arnOf('cluster', 'no-aurora')))).toEqual({
      status: 'gone',
      tags: {},
    });
    clients.destroy();
  });

  it('waits for its DB instances (a dependency), then takes a final cluster snapshot, once', async () => {
    const clusters: Record<string, ClusterFacts> = { 'orders-aurora': { members: ['orders-aurora-1'] } };
    server.on('DescribeDBClusters', describeClusters(clusters)).on('DeleteDBCluster', (request) => {
      if (clusters['orders-aurora']?.members?.length) {
        return awsQueryError(
          400,
          'InvalidDBClusterStateFault',
          'Cluster cannot be deleted, it still contains DB instances in non-deleting state.',
        );
      }
      clusters['orders-aurora'] = { status: 'deleting' };
      return {
        body: `<DeleteDBClusterResponse xmlns="${NS}"><DeleteDBClusterResult>${clusterXml(String(request.body.DBClusterIdentifier), { status: 'deleting' })}</DeleteDBClusterResult>${METADATA}</DeleteDBClusterResponse>`,
      };
    });
    const clients = clientPool();
    const arn = arnOf('cluster', 'orders-aurora');
    await expectCode(clusterDeleter, 'dependency', clusterDeleter.delete(clients, target(arn), KEEP));

    clusters['orders-aurora'] = { members: [] };
    expect(await clusterDeleter.delete(clients, target(arn), KEEP)).toEqual({ kept: FINAL_COPY });
    expect(await clusterDeleter.delete(clients, target(arn), KEEP)).toEqual({ kept: FINAL_COPY });
    const deletes = server.calls('DeleteDBCluster').map((call) => call.body);
    expect(deletes).toHaveLength(2);
    expect(deletes[1]).toEqual({
      Action: 'DeleteDBCluster',
      Version: '2014-10-31',
      DBClusterIdentifier: 'orders-aurora',
      SkipFinalSnapshot: 'false',
      FinalDBSnapshotIdentifier: FINAL_COPY,
      DeleteAutomatedBackups: 'false',
    });
    clients.destroy();
  });

  it('skips the final snapshot only when data is not kept', async () => {
    server
      .on('DescribeDBClusters', describeClusters({ 'scratch-aurora': {} }))
      .on('DeleteDBCluster', (request) => ({
        body: `<DeleteDBClusterResponse xmlns="${NS}"><DeleteDBClusterResult>${clusterXml(String(request.body.DBClusterIdentifier), { status: 'deleting' })}</DeleteDBClusterResult>${METADATA}</DeleteDBClusterResponse>`,
      }));
    const clients = clientPool();
    expect(await clusterDeleter.delete(clients, target(arnOf('cluster', 'scratch-aurora')), DISCARD)).toEqual(
      {},
    );
    expect(server.calls('DeleteDBCluster')[0]?.body).toEqual({
      Action: 'DeleteDBCluster',
      Version: '2014-10-31',
      DBClusterIdentifier: 'scratch-aurora',
      SkipFinalSnapshot: 'true',
    });
    clients.destroy();
  });
});
