/**
 * The DynamoDB deleter against dynalite, an in-process DynamoDB emulator: describe (tags through the
 * real ListTagsOfResource) and a deletion without a backup. dynalite has no backups; the final copy is
 * tested against the fake endpoint in dynamodb-table.test.ts.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamodbTableDeleter as deleter } from '../../../../src/teardown/deleters/dynamodb-table.js';
import { type LocalDynamoDb, startDynalite } from '../../../support/dynalite.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { clientPool, DISCARD, expectCode, target } from './harness.js';

let dynamo: LocalDynamoDb;
let restoreEnv: () => void;
let admin: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
  admin = new DynamoDBClient({});
});

afterAll(async () => {
  admin?.destroy();
  restoreEnv?.();
  await dynamo?.stop();
});

async function createTable(name: string): Promise<string> {
  await admin.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  for (;;) {
    const { Table } = await admin.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE' && Table.TableArn) {
      // dynalite ignores CreateTable's Tags; TagResource is what it keeps.
      await admin.send(
        new TagResourceCommand({
          ResourceArn: Table.TableArn,
          Tags: [
            { Key: 'poc', Value: 'checkout' },
            { Key: 'owner', Value: 'dana@example.com' },
          ],
        }),
      );
      return Table.TableArn;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('DynamoDB table deleter against dynalite', () => {
  it('describes a table with its tags, deletes it, and then finds it gone', async () => {
    const arn = await createTable('orders');
    const clients = clientPool();
    const live = await deleter.describe(clients, target(arn));
    expect(live.status).toBe('present');
    expect(live.tags).toEqual({ poc: 'checkout', owner: 'dana@example.com' });
    expect(live.protection).toBeUndefined();
    expect(live.state?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    expect(await deleter.delete(clients, target(arn), DISCARD)).toEqual({});
    for (;;) {
      const after = await deleter.describe(clients, target(arn));
      if (after.status === 'gone') break;
      expect(after.status).toBe('deleting');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Deleting it again: the code the executor takes for "already gone".
    await expectCode(deleter, 'notFound', deleter.delete(clients, target(arn), DISCARD));
    clients.destroy();
  });
});
