/**
 * dynalite, an in-process DynamoDB API emulator, for tests that reach DynamoDB over HTTP with the real
 * SDK; and the state table laid out as the CDK stack creates it.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface DynaliteServer {
  listen(port: number, callback: (error?: Error) => void): void;
  close(callback: () => void): void;
  address(): AddressInfo;
}

export interface LocalDynamoDb {
  /** For AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts dynalite on a free port; tables are ACTIVE at once. */
export async function startDynalite(): Promise<LocalDynamoDb> {
  // dynalite ships no types; the specifier is a string so TypeScript does not look for them.
  const specifier: string = 'dynalite';
  const create = (await import(specifier)).default as (options: object) => DynaliteServer;
  const server = create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) =>
    server.listen(0, (error) => (error ? reject(error) : resolve())),
  );
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

/** The state table as the stateful stack defines it (on demand, `pk` and `sk` strings), once ACTIVE. */
export async function createStateTable(tableName: string, client = new DynamoDBClient({})): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
