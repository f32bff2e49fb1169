import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { AwsCallError } from '../../../src/aws/aws-errors.js';
import { DynamoDbStateStore } from '../../../src/state/dynamodb-state-store.js';
import { createStateTable, type LocalDynamoDb, startDynalite } from '../../support/dynalite.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import {
  CONTRACT_COST_KEY,
  costRow,
  daysFrom,
  describeStateStoreContract,
  summarize,
} from '../../support/state-store-contract.js';

let dynamo: LocalDynamoDb;
let restoreEnv: () => void;
let admin: DynamoDBDocumentClient;
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: dynamo.endpoint });
  admin = DynamoDBDocumentClient.from(new DynamoDBClient({}));
});

afterAll(async () => {
  admin?.destroy();
  restoreEnv?.();
  await dynamo?.stop();
});

/** A new table laid out as the CDK stack creates it. */
async function createTable(): Promise<string> {
  const name = `pocketwatch-state-${++tables}`;
  await createStateTable(name);
  return name;
}

function storeOn(tableName: string, meter = new ApiMeter()): DynamoDbStateStore {
  return new DynamoDbStateStore({ tableName, meter, clientOptions: { maxAttempts: 2 } });
}

async function rawItem(
  tableName: string,
  pk: string,
  sk: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await admin.send(
    new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }),
  );
  return Item;
}

describeStateStoreContract('DynamoDbStateStore', async () => {
  const table = await createTable();
  return () => storeOn(table);
});

describe('DynamoDbStateStore items', () => {
  const inDays = (days: number) => Math.floor(Date.now() / 1000) + days * 86_400;

  it('keeps one item per delivery: the first completion, with its message id and run, and a TTL', async () => {
    const table = await createTable();
    const store = storeOn(table);
    const now = new Date('2026-11-19T06:00:00Z');
    expect(await store.claimDelivery('alert:1', { owner: 'run-1', leaseMs: 60_000, now })).toBe(true);
    expect(await rawItem(table, 'delivery#alert:1', 'delivery')).toEqual({
      pk: 'delivery#alert:1',
      sk: 'delivery',
      status: 'claimed',
      owner: 'run-1',
      claimedAt: '2026-11-19T06:00:00.000Z',
      leaseUntil: now.getTime() + 60_000,
      expiresAt: Math.ceil((now.getTime() + 60_000 + 86_400_000) / 1000),
    });
    const record = { owner: 'run-1', channel: 'sns', deliveredAt: now.toISOString(), messageId: 'msg-1' };
    expect(await store.completeDelivery('alert:1', record)).toBe(true);
    expect(await store.completeDelivery('alert:1', { ...record, owner: 'run-2', messageId: 'msg-2' })).toBe(
      false,
    );
    const { expiresAt, ...delivered } = (await rawItem(table, 'delivery#alert:1', 'delivery')) ?? {};
    expect(delivered).toEqual({
      pk: 'delivery#alert:1',
      sk: 'delivery',
      status: 'delivered',
      channel: 'sns',
      deliveredAt: '2026-11-19T06:00:00.000Z',
      messageId: 'msg-1',
      run: 'run-1',
    });
    expect(expiresAt).toBeGreaterThanOrEqual(inDays(400) - 5);
    expect(expiresAt).toBeLessThanOrEqual(inDays(400) + 5);
    // recordDeliveries keeps the first too.
    await store.recordDeliveries([{ alertId: 'b', channel: 'sns', deliveredAt: 'x' }]);
    await store.recordDeliveries([{ alertId: 'b', channel: 'slack', deliveredAt: 'y' }]);
    expect(await rawItem(table, 'delivery#b', 'delivery')).toMatchObject({
      channel: 'sns',
      deliveredAt: 'x',
    });
  });

  it('keeps a spent link as one item with the token’s expiry as its TTL', async () => {
    const table = await createTable();
    const now = new Date('2026-11-19T06:00:00Z');
    const store = new DynamoDbStateStore({ tableName: table, meter: new ApiMeter(), now: () => now });
    const expiresAt = now.getTime() / 1000 + 3600;
    expect(await store.markUsed('nonce-1', expiresAt)).toBe(true);
    expect(await rawItem(table, 'token#nonce-1', 'token')).toEqual({
      pk: 'token#nonce-1',
      sk: 'token',
      usedAt: '2026-11-19T06:00:00.000Z',
      expiresAt,
    });
    expect(await store.markUsed('nonce-1', expiresAt)).toBe(false);
    // Past its expiry the item counts as gone, whether or not DynamoDB's TTL has deleted it yet.
    const later = new DynamoDbStateStore({
      tableName: table,
      meter: new ApiMeter(),
      now: () => new Date((expiresAt + 1) * 1000),
    });
    expect(await later.wasUsed('nonce-1')).toBe(false);
    expect(await later.markUsed('nonce-1', expiresAt + 7200)).toBe(true);
    expect((await rawItem(table, 'token#nonce-1', 'token'))?.expiresAt).toBe(expiresAt + 7200);
  });

  it('stores a cost day compactly, with its currency, freshness and a TTL', async () => {
    const table = await createTable();
    const store = storeOn(table);
    await store.put(CONTRACT_COST_KEY, ['2026-10-01'], [costRow('2026-10-01', 'a', '1.5')], 'USD', {
      fetchedOn: '2026-10-02',
    });
    const item = await rawItem(table, `cost#${CONTRACT_COST_KEY}`, '2026-10-01');
    expect(item).toMatchObject({
      rows: '[["a","AWS Lambda","111122223333","1.5"]]',
      currency: 'USD',
      fetchedOn: '2026-10-02',
    });
    expect(item?.expiresAt).toBeGreaterThanOrEqual(inDays(400) - 5);
    // Final figures drop the freshness.
    await store.put(CONTRACT_COST_KEY, ['2026-10-01'], [], 'USD');
    expect(await rawItem(table, `cost#${CONTRACT_COST_KEY}`, '2026-10-01')).not.toHaveProperty('fetchedOn');
  });

  it('gzips a day too large for a plain item and reads it back', async () => {
    const table = await createTable();
    const store = storeOn(table);
    const rows = Array.from({ length: 6000 }, (_, i) =>
      costRow('2026-10-01', `poc-${i}`, `${i}.0000000001`, `Service number ${i % 40}`),
    );
    await store.put(CONTRACT_COST_KEY, ['2026-10-01'], rows, 'USD');
    const item = await rawItem(table, `cost#${CONTRACT_COST_KEY}`, '2026-10-01');
    expect(item).toHaveProperty('rowsGz');
    expect(item).not.toHaveProperty('rows');
    const got = await store.get(CONTRACT_COST_KEY, '2026-10-01', '2026-10-02');
    expect(summarize(got.rows)).toEqual(summarize(rows));
  });

  it('skips a damaged cost day (a re-fetch) instead of failing', async () => {
    const table = await createTable();
    const store = storeOn(table);
    await store.put(CONTRACT_COST_KEY, ['2026-10-02'], [], 'USD');
    for (const [day, rows] of [
      ['2026-10-01', '[["a","AWS Lambda","","abc"]]'],
      ['2026-10-03', 'not json'],
    ] as const) {
      await admin.send(
        new PutCommand({ TableName: table, Item: { pk: `cost#${CONTRACT_COST_KEY}`, sk: day, rows } }),
      );
    }
    expect([...(await store.get(CONTRACT_COST_KEY, '2026-10-01', '2026-11-01')).days]).toEqual([
      '2026-10-02',
    ]);
  });

  it('follows Query pages past 1 MB', async () => {
    const table = await createTable();
    const meter = new ApiMeter();
    const store = storeOn(table, meter);
    const days = daysFrom('2026-01-01', 90);
    // About 20 KB of rows per day: 90 days is well over the 1 MB a Query page holds.
    const rows = days.flatMap((day) =>
      Array.from({ length: 300 }, (_, i) =>
        costRow(day, `poc-${i}`, `${i}.0123456789`, 'Amazon Elastic Compute Cloud'),
      ),
    );
    await store.put(CONTRACT_COST_KEY, days, rows, 'USD');
    expect(meter.counts()['dynamodb:BatchWriteItem']).toBe(4);
    const got = await store.get(CONTRACT_COST_KEY, '2026-01-01', '2027-01-01');
    expect(meter.counts()['dynamodb:Query']).toBeGreaterThanOrEqual(2);
    expect(got.days.size).toBe(90);
    expect(got.rows).toHaveLength(rows.length);
    expect(got.currency).toBe('USD');
  });
});

describe('DynamoDbStateStore API calls', () => {
  it('counts every call by IAM action, and makes none when there is nothing to do', async () => {
    const table = await createTable();
    const meter = new ApiMeter();
    const store = storeOn(table, meter);
    await store.recordDeliveries([]);
    await store.put(CONTRACT_COST_KEY, [], []);
    await store.recordActive(new Map());
    await store.deliveredAlertIds([]);
    await store.lastActive([]);
    await store.get(CONTRACT_COST_KEY, '2026-10-01', '2026-10-01');
    expect(meter.counts()).toEqual({});

    const now = new Date('2026-11-19T06:00:00Z');
    await store.claimDelivery('a', { owner: 'run-1', leaseMs: 1000, now });
    await store.claimDelivery('a', { owner: 'run-2', leaseMs: 1000, now });
    await store.releaseClaim('a', 'run-2');
    await store.releaseClaim('a', 'run-1');
    await store.completeDelivery('a', { owner: 'run-1', channel: 'sns', deliveredAt: now.toISOString() });
    await store.recordDeliveries([{ alertId: 'b', channel: 'sns', deliveredAt: 'x' }]);
    await store.deliveredAlertIds(Array.from({ length: 150 }, (_, i) => `id-${i}`));
    await store.put(CONTRACT_COST_KEY, daysFrom('2026-01-01', 60), [], 'USD');
    await store.get(CONTRACT_COST_KEY, '2026-01-01', '2026-04-01');
    await store.recordActive(new Map([['arn:x', { day: '2026-11-01', threshold: 0 }]]));
    await store.lastActive(['arn:x', 'arn:y']);
    expect(meter.counts()).toEqual({
      'dynamodb:BatchGetItem': 3,
      'dynamodb:BatchWriteItem': 4,
      'dynamodb:DeleteItem': 2,
      'dynamodb:PutItem': 4,
      'dynamodb:Query': 1,
    });
    // DynamoDB calls cost nothing in the run's API bill (the table is on-demand, billed apart).
    expect(meter.cost()).toBe(0n);
  });

  it('names the IAM action when a call fails, rather than answering false', async () => {
    const store = storeOn('no-such-table');
    const now = new Date('2026-11-19T06:00:00Z');
    const failure = await store.claimDelivery('a', { owner: 'run-1', leaseMs: 1000, now }).catch((e) => e);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure.operation).toBe('dynamodb:PutItem');
    expect(failure.code).toBe('ResourceNotFoundException');
    await expect(store.get(CONTRACT_COST_KEY, '2026-10-01', '2026-10-02')).rejects.toThrow(/dynamodb:Query/);
    await expect(store.releaseClaim('a', 'run-1')).rejects.toThrow(AwsCallError);
  });
});
