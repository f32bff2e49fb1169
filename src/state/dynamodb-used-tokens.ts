import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { UsedTokenStore } from '../approval/used-tokens.js';
import type { ApiMeter } from '../aws/api-meter.js';
import { type AwsClientOptions, awsClientConfig } from '../aws/aws-clients.js';
import { meterClient } from '../aws/metered-client.js';

/*
 * Spent approval tokens, in the state table (see dynamodb-state-store.ts for the other items):
 *
 *   used tokens  pk = "token#<nonce>"  sk = "used"   usedAt (ISO), expiresAt = the token's own expiry
 *
 * Spending is one conditional put (`attribute_not_exists(pk)`), so of any number of concurrent clicks
 * on one link exactly one succeeds. The item can go once the token has expired: the token is refused
 * as expired from then on, so DynamoDB's TTL deleting it late or early changes nothing.
 */

export interface DynamoDbUsedTokenStoreOptions {
  tableName: string;
  meter: ApiMeter;
  clientOptions?: AwsClientOptions;
}

export class DynamoDbUsedTokenStore implements UsedTokenStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbUsedTokenStoreOptions) {
    this.tableName = options.tableName;
    const base = meterClient(
      new DynamoDBClient(awsClientConfig(options.clientOptions)),
      'dynamodb',
      options.meter,
    );
    this.client = DynamoDBDocumentClient.from(base);
  }

  async markUsed(nonce: string, expiresAt: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `token#${nonce}`, sk: 'used', usedAt: new Date().toISOString(), expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** The metered client wraps SDK errors (AwsCallError), so the refusal may sit in a cause. */
function isConditionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { name, code, cause } = current as { name?: unknown; code?: unknown; cause?: unknown };
    if (name === 'ConditionalCheckFailedException' || code === 'ConditionalCheckFailedException') return true;
    current = cause;
  }
  return false;
}
