import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { moneyFromNumber } from '../../../src/core/money.js';
import { MemberScanStore } from '../../../src/state/member-scan-store.js';
import { createStateTable, type LocalDynamoDb, startDynalite } from '../../support/dynalite.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';

const TABLE = 'pocketwatch-state';
let dynamo: LocalDynamoDb;
let restoreEnv: () => void;

beforeAll(async () => {
  dynamo = await startDynalite();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: dynamo.endpoint });
  await createStateTable(TABLE);
});

afterAll(async () => {
  restoreEnv?.();
  await dynamo?.stop();
});

describe('MemberScanStore', () => {
  it('keeps each account’s scan of a run, large ones compressed, money exact', async () => {
    const store = new MemberScanStore({ tableName: TABLE, meter: new ApiMeter() });
    const warnings = Array.from({ length: 2000 }, (_, i) => ({
      code: 'x',
      message: `warning ${i} `.repeat(10),
    }));
    await store.save('run-1', {
      account: '111122223333',
      status: 'scanned',
      scannedAt: '2026-11-19T07:00:00Z',
      result: {
        recommendations: [],
        perUse: new Map([
          [
            'api',
            {
              signal: 's',
              windowDays: 30,
              cost: moneyFromNumber(0.1),
              usage: 5,
              per: 1000,
              max: 1n,
              breached: false,
            },
          ],
        ]),
        alerts: [],
        warnings,
        taggedResourceCount: 7,
      },
    });
    await store.save('run-1', { account: '444455556666', status: 'failed', error: 'denied', scannedAt: '' });
    await store.save('run-2', {
      account: '111122223333',
      status: 'failed',
      error: 'other run',
      scannedAt: '',
    });
    const records = await store.list('run-1');
    expect(records.map((record) => [record.account, record.status])).toEqual([
      ['111122223333', 'scanned'],
      ['444455556666', 'failed'],
    ]);
    expect(records[0]?.result?.warnings).toHaveLength(2000);
    expect(records[0]?.result?.perUse.get('api')?.cost).toBe(moneyFromNumber(0.1));
    expect(records[1]?.error).toBe('denied');
    store.destroy();
  });

  it('fails only the account whose stored result is damaged, compressed or not', async () => {
    const store = new MemberScanStore({ tableName: TABLE, meter: new ApiMeter() });
    await store.save('run-3', { account: '111122223333', status: 'failed', error: 'denied', scannedAt: '' });
    const admin = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    for (const [account, damage] of [
      ['444455556666', { resultGz: new Uint8Array([1, 2, 3]) }],
      ['777788889999', { result: '{not json' }],
    ] as const) {
      await admin.send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: 'memberscan#run-3', sk: account, status: 'scanned', scannedAt: 'x', ...damage },
        }),
      );
    }
    admin.destroy();
    const records = await store.list('run-3');
    expect(records.map((record) => [record.account, record.status, record.error])).toEqual([
      ['111122223333', 'failed', 'denied'],
      ['444455556666', 'failed', 'its stored result could not be read'],
      ['777788889999', 'failed', 'its stored result could not be read'],
    ]);
    store.destroy();
  });
});
