import { gunzipSync, gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { IdleScanResult } from '../app/idle-scanner.js';
import type { ApiMeter } from '../aws/api-meter.js';
import { type AwsClientOptions, awsClientConfig } from '../aws/aws-clients.js';
import { meterClient } from '../aws/metered-client.js';
import { StateStoreError } from './state-store.js';

/*
 * Organisation runs, in the state table (see dynamodb-state-store.ts for the others):
 *
 *   member scans  pk = "memberscan#<run id>"  sk = <account id>
 *                 status "scanned" (result: JSON of the IdleScanResult, resultGz when large) or
 *                 "failed" (error), scannedAt (ISO), expiresAt (7 days later: a run needs them for
 *                 minutes; the week leaves time to look into a failed one).
 *
 * Each member account's scan runs in its own invocation and writes its own item, so no item is ever
 * written twice at once; the management account's run reads them all with one Query.
 */

export interface MemberScanRecord {
  account: string;
  status: 'scanned' | 'failed';
  result?: IdleScanResult;
  /** Why the scan failed (an error message, never a credential). */
  error?: string;
  scannedAt: string;
}

export interface MemberScanStoreOptions {
  tableName: string;
  meter: ApiMeter;
  clientOptions?: AwsClientOptions;
}

const RETENTION_SECONDS = 7 * 24 * 60 * 60;
const GZIP_ABOVE_BYTES = 64 * 1024;
/** DynamoDB's item limit is 400 KB; the rest of the item and the attribute names fit in the margin. */
const MAX_RESULT_BYTES = 380 * 1024;

export class MemberScanStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: MemberScanStoreOptions) {
    this.tableName = options.tableName;
    const base = meterClient(
      new DynamoDBClient(awsClientConfig(options.clientOptions)),
      'dynamodb',
      options.meter,
    );
    this.client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  }

  async save(runId: string, record: MemberScanRecord): Promise<void> {
    const item: Record<string, unknown> = {
      pk: memberScanPk(runId),
      sk: record.account,
      status: record.status,
      scannedAt: record.scannedAt,
      expiresAt: Math.floor(Date.now() / 1000) + RETENTION_SECONDS,
    };
    if (record.error !== undefined) item.error = record.error.slice(0, 2000);
    if (record.result) {
      const json = encodeScanResult(record.result);
      if (Buffer.byteLength(json) <= GZIP_ABOVE_BYTES) item.result = json;
      else item.resultGz = gzipSync(json);
      const size =
        typeof item.result === 'string' ? Buffer.byteLength(item.result) : (item.resultGz as Buffer).length;
      if (size > MAX_RESULT_BYTES) {
        throw new StateStoreError(
          `the scan of account ${record.account} is ${Math.round(size / 1024)} KB even compressed, above DynamoDB's item limit`,
          `dynamodb:${this.tableName}`,
        );
      }
    }
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /** Every account's record of the run, in account order. */
  async list(runId: string): Promise<MemberScanRecord[]> {
    const records: MemberScanRecord[] = [];
    let exclusiveStartKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': memberScanPk(runId) },
          ConsistentRead: true,
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) records.push(decodeItem(item));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return records;
  }

  destroy(): void {
    this.client.destroy();
  }
}

function memberScanPk(runId: string): string {
  return `memberscan#${runId}`;
}

function decodeItem(item: Record<string, unknown>): MemberScanRecord {
  const account = String(item.sk);
  const record: MemberScanRecord = {
    account,
    status: item.status === 'scanned' ? 'scanned' : 'failed',
    scannedAt: String(item.scannedAt ?? ''),
  };
  if (typeof item.error === 'string') record.error = item.error;
  if (typeof item.result !== 'string' && !(item.resultGz instanceof Uint8Array)) return record;
  try {
    // A damaged item fails its own account, not the whole organisation run.
    const json =
      typeof item.result === 'string'
        ? item.result
        : gunzipSync(item.resultGz as Uint8Array).toString('utf8');
    record.result = decodeScanResult(json);
  } catch {
    return { ...record, status: 'failed', error: 'its stored result could not be read' };
  }
  return record;
}

/** JSON with Money (bigint) as {"$bigint":"…"} and the per-use Map as entries. */
export function encodeScanResult(result: IdleScanResult): string {
  return JSON.stringify({ ...result, perUse: [...result.perUse] }, (_key, value) =>
    typeof value === 'bigint' ? { $bigint: value.toString() } : value,
  );
}

export function decodeScanResult(json: string): IdleScanResult {
  const parsed = JSON.parse(json, (_key, value) =>
    value !== null &&
    typeof value === 'object' &&
    typeof value.$bigint === 'string' &&
    Object.keys(value).length === 1
      ? BigInt(value.$bigint)
      : value,
  ) as Omit<IdleScanResult, 'perUse'> & {
    perUse: Array<[string, IdleScanResult['perUse'] extends Map<string, infer V> ? V : never]>;
  };
  return { ...parsed, perUse: new Map(parsed.perUse) };
}
