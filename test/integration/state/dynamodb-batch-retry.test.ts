import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { DynamoDbStateStore } from '../../../src/state/dynamodb-state-store.js';
import { StateStoreError } from '../../../src/state/state-store.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { CONTRACT_COST_KEY, daysFrom } from '../../support/state-store-contract.js';

// DynamoDB answers a throttled batch with the part it did not do; dynalite never does, so this
// replaces the document client's send.
const dynamo = mockClient(DynamoDBDocumentClient);
const restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
afterAll(() => {
  dynamo.restore();
  restoreEnv();
});
beforeEach(() => dynamo.reset());
afterEach(() => vi.useRealTimers());

const TABLE = 'state';
const store = () => new DynamoDbStateStore({ tableName: TABLE, meter: new ApiMeter() });
type WriteRequest = { PutRequest: { Item: Record<string, unknown> } };

describe('DynamoDbStateStore batches', () => {
  it('writes in chunks of 25 and retries the items DynamoDB left unprocessed', async () => {
    const written: string[] = [];
    let calls = 0;
    dynamo.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
      calls++;
      const requests = input.RequestItems[TABLE] ?? [];
      expect(requests.length).toBeLessThanOrEqual(25);
      // The first call of each chunk leaves its last two items undone.
      const done = calls % 2 === 1 ? requests.slice(0, -2) : requests;
      const left = calls % 2 === 1 ? requests.slice(-2) : [];
      written.push(...done.map((request) => String(request.PutRequest.Item.sk)));
      return { UnprocessedItems: left.length > 0 ? { [TABLE]: left } : {} };
    });
    const days = daysFrom('2026-01-01', 30);
    await store().put(CONTRACT_COST_KEY, days, [], 'USD');
    expect(written.sort()).toEqual(days);
    expect(calls).toBe(4);
  });

  it('reads in chunks of 100 and retries the keys DynamoDB left unprocessed', async () => {
    const asked: string[] = [];
    dynamo
      .on(BatchGetCommand)
      .callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string; sk: string }> }> }) => {
        const keys = input.RequestItems[TABLE]?.Keys ?? [];
        expect(keys.length).toBeLessThanOrEqual(100);
        const first = asked.length === 0;
        asked.push(...keys.map((key) => key.sk));
        const done = first ? keys.slice(0, 10) : keys;
        return {
          Responses: { [TABLE]: done.map((key) => ({ sk: key.sk, day: '2026-11-01', threshold: 0 })) },
          UnprocessedKeys: first ? { [TABLE]: { Keys: keys.slice(10) } } : {},
        };
      });
    const arns = Array.from({ length: 150 }, (_, i) => `arn:${i}`);
    const found = await store().lastActive(arns);
    expect([...found.keys()]).toEqual(arns);
    expect(asked).toHaveLength(150 + 90);
  });

  it('gives up, with a StateStoreError, when DynamoDB keeps leaving items undone', async () => {
    vi.useFakeTimers();
    let calls = 0;
    dynamo.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
      calls++;
      return { UnprocessedItems: input.RequestItems };
    });
    const failure = store()
      .recordActive(new Map([['arn:x', { day: '2026-11-01', threshold: 0 }]]))
      .catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    const error = await failure;
    expect(error).toBeInstanceOf(StateStoreError);
    expect(String(error)).toMatch(/1 items unwritten after 8 attempts/);
    expect(calls).toBe(8);
  });
});
