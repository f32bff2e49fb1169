/**
 * The DynamoDB deleter over the wire against the fake endpoint: dynalite (used for the state store)
 * has no backups, and the deleter's single client cannot reach two endpoints, so the whole deleter is
 * tested here; dynamodb-table-dynalite.test.ts runs describe and a plain delete against dynalite.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../../src/aws/api-meter.js';
import { dynamodbTableDeleter as deleter } from '../../../../src/teardown/deleters/dynamodb-table.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { awsJsonError, FakeAwsServer } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, expectCode, FINAL_COPY, KEEP, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_DYNAMODB: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
const BACKUP_ARN = `${ARN}/backup/01736499600000-abcdef12`;

function table(status: string, protection = false) {
  return {
    body: {
      Table: {
        TableName: 'orders',
        TableArn: ARN,
        TableStatus: status,
        CreationDateTime: 1736499600,
        DeletionProtectionEnabled: protection,
        BillingModeSummary: { BillingMode: 'PROVISIONED' },
      },
    },
  };
}

describe('DynamoDB table deleter', () => {
  it('describes the table with all its tags (paginated), protection and creation date', async () => {
    server
      .on('DescribeTable', () => table('ACTIVE', true))
      .on('ListTagsOfResource', (request) =>
        request.body.NextToken === 'page-2'
          ? { body: { Tags: [{ Key: 'owner', Value: 'dana@example.com' }] } }
          : { body: { Tags: [{ Key: 'poc', Value: 'checkout' }], NextToken: 'page-2' } },
      );
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
      protection: 'deletion protection is on',
      state: { createdAt: '2025-01-10T09:00:00.000Z' },
    });
    expect(server.calls('DescribeTable')[0]?.body).toEqual({ TableName: 'orders' });
    expect(server.calls('ListTagsOfResource').map((call) => call.body)).toEqual([
      { ResourceArn: ARN },
      { ResourceArn: ARN, NextToken: 'page-2' },
    ]);
    clients.destroy();
  });

  it('reports a DELETING table as deleting and an unknown one as gone', async () => {
    server
      .on('DescribeTable', (_request, index) =>
        index === 0
          ? table('DELETING')
          : awsJsonError(
              400,
              'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
              'Requested resource not found',
            ),
      )
      .on('ListTagsOfResource', () => ({ body: { Tags: [] } }));
    const clients = clientPool();
    expect((await deleter.describe(clients, target(ARN))).status).toBe('deleting');
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('takes one on-demand backup, waits for it, then deletes the table', async () => {
    let status = 'CREATING';
    let created = false;
    server
      .on('ListBackups', (request) => {
        // Another backup of the table on the first page; ours (once created) on the second.
        if (request.body.ExclusiveStartBackupArn === undefined) {
          return {
            body: {
              BackupSummaries: [
                {
                  TableName: 'orders',
                  BackupName: 'nightly',
                  BackupArn: `${ARN}/backup/older`,
                  BackupStatus: 'AVAILABLE',
                },
              ],
              LastEvaluatedBackupArn: `${ARN}/backup/older`,
            },
          };
        }
        return {
          body: {
            BackupSummaries: created
              ? [
                  {
                    TableName: 'orders',
                    BackupName: FINAL_COPY,
                    BackupArn: BACKUP_ARN,
                    BackupStatus: status,
                    BackupType: 'USER',
                  },
                ]
              : [],
          },
        };
      })
      .on('CreateBackup', () => {
        created = true;
        return {
          body: {
            BackupDetails: {
              BackupArn: BACKUP_ARN,
              BackupName: FINAL_COPY,
              BackupStatus: 'CREATING',
              BackupType: 'USER',
              BackupCreationDateTime: 1736499600,
            },
          },
        };
      })
      .on('DeleteTable', () => ({
        body: { TableDescription: { TableName: 'orders', TableStatus: 'DELETING' } },
      }));
    const meter = new ApiMeter();
    const clients = clientPool(meter);

    const first = await deleter.delete(clients, target(ARN), KEEP);
    expect(first.kept).toBe(BACKUP_ARN);
    expect(first.waitingFor).toContain('CREATING');
    expect(server.calls('CreateBackup').map((call) => call.body)).toEqual([
      { TableName: 'orders', BackupName: FINAL_COPY },
    ]);
    expect(server.calls('ListBackups').map((call) => call.body)).toEqual([
      { TableName: 'orders', BackupType: 'USER' },
      { TableName: 'orders', BackupType: 'USER', ExclusiveStartBackupArn: `${ARN}/backup/older` },
    ]);

    // A later pass finds the backup it started instead of starting another.
    const second = await deleter.delete(clients, target(ARN), KEEP);
    expect(second).toEqual({
      kept: BACKUP_ARN,
      waitingFor: `backup ${BACKUP_ARN} of table orders (CREATING)`,
    });

    status = 'AVAILABLE';
    expect(await deleter.delete(clients, target(ARN), KEEP)).toEqual({ kept: BACKUP_ARN });
    expect(server.calls('CreateBackup')).toHaveLength(1);
    expect(server.calls('DeleteTable').map((call) => call.body)).toEqual([{ TableName: 'orders' }]);
    // The table goes only after its backup is AVAILABLE.
    const operations = server.requests.map((request) => request.operation);
    expect(operations.indexOf('DeleteTable')).toBe(operations.length - 1);
    expect(meter.counts()).toEqual({
      'dynamodb:CreateBackup': 1,
      'dynamodb:DeleteTable': 1,
      'dynamodb:ListBackups': 6,
    });
    clients.destroy();
  });

  it('deletes without a backup when data is not kept; errors carry the codes the executor matches', async () => {
    server.on('DeleteTable', (_request, index) =>
      index === 0
        ? { body: { TableDescription: { TableName: 'orders', TableStatus: 'DELETING' } } }
        : index === 1
          ? awsJsonError(
              400,
              'com.amazonaws.dynamodb.v20120810#ResourceInUseException',
              'Table is being created',
            )
          : awsJsonError(
              400,
              'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
              'Requested resource not found',
            ),
    );
    const clients = clientPool();
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(server.requests.map((request) => request.operation)).toEqual(['DeleteTable']);
    await expectCode(deleter, 'dependency', deleter.delete(clients, target(ARN), DISCARD));
    await expectCode(deleter, 'notFound', deleter.delete(clients, target(ARN), DISCARD));
    clients.destroy();
  });
});
