import { gunzipSync, gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { proposedRecord, type RecommendationRecord } from '../approval/lifecycle.js';
import {
  decodeRecommendationRecord,
  encodeRecommendationRecord,
  type RecommendationStore,
} from '../approval/recommendation-store.js';
import type { UsedTokenStore } from '../approval/used-tokens.js';
import type { ApiMeter } from '../aws/api-meter.js';
import { type AwsClientOptions, awsClientConfig } from '../aws/aws-clients.js';
import { meterClient } from '../aws/metered-client.js';
import type { IsoDate } from '../core/calendar.js';
import type { DailyCost } from '../core/cost-data.js';
import type { Recommendation } from '../core/report.js';
import {
  type CachedCosts,
  type CachedRow,
  type CostCache,
  decodeCachedRows,
  type EstimatedFreshness,
  encodeCachedRow,
} from '../sources/cost-cache.js';
import type { ActiveMark, ActivityCache } from './activity-cache.js';
import {
  type CompletedDelivery,
  type Delivery,
  type DeliveryClaim,
  type DeliveryStateStore,
  StateStoreError,
} from './state-store.js';

/*
 * The table (created by the CDK stack): one table, on-demand (PAY_PER_REQUEST), partition key `pk`
 * (S), sort key `sk` (S), TTL on `expiresAt` (epoch seconds). Items:
 *
 *   deliveries  pk = "delivery#<key>"   sk = "delivery"
 *               status "claimed":   owner, claimedAt (ISO), leaseUntil (epoch ms)
 *               status "delivered": channel, deliveredAt, messageId?, run (the owner that sent it)
 *               Claim and delivery of a key are one item, so every transition is one conditional
 *               write: claim = put if `attribute_not_exists(pk) OR (status = claimed AND leaseUntil
 *               <= :now)`; complete = put if `attribute_not_exists(pk) OR status <> delivered`;
 *               release = delete if `status = claimed AND owner = :owner`.
 *   cost cache  pk = "cost#<cacheKey>"  sk = <IsoDate>
 *               rows (JSON of encodeCachedRow rows; rowsGz, gzipped, when large), currency?,
 *               fetchedOn? (only while the figures were estimates). A range is one Query on
 *               `sk BETWEEN start AND end - 1 day`.
 *   activity    pk = "activity"         sk = <resource ARN>
 *               day, threshold
 *   recommendations pk = "recommendations" sk = <recommendation id>
 *               version (number), record (JSON of the encoded RecommendationRecord; recordGz when
 *               large). A proposal is a put if `attribute_not_exists(pk)`; an update a put if
 *               `version = :expected` (optimistic concurrency). Listing is one Query on the pk.
 *   used links  pk = "token#<nonce>"    sk = "token"
 *               usedAt (ISO). Spending a link's nonce is a put if `attribute_not_exists(pk) OR
 *               expiresAt <= :now`, so of concurrent spends exactly one wins; an entry counts only
 *               until its token expires (the token is refused as expired from then on anyway).
 *
 * Every item carries `expiresAt` (400 days after it was written; a claim: a day after its lease; a
 * used link: its token's expiry) so the table never grows without bound. Items past their TTL may linger until DynamoDB deletes them;
 * nothing here depends on when it does (an expired claim is claimable either way).
 */

export interface DynamoDbStateStoreOptions {
  tableName: string;
  meter: ApiMeter;
  clientOptions?: AwsClientOptions;
  /** The clock that decides when a spent link's entry has expired (tests pass their own). */
  now?: () => Date;
}

const DELIVERY_SK = 'delivery';
const ACTIVITY_PK = 'activity';
const RECOMMENDATIONS_PK = 'recommendations';
const USED_TOKEN_SK = 'token';
const CLAIMED = 'claimed';
const DELIVERED = 'delivered';
const RETENTION_SECONDS = 400 * 24 * 60 * 60;
const CLAIM_RETENTION_MS = 24 * 60 * 60 * 1000;
const BATCH_WRITE_LIMIT = 25;
const BATCH_GET_LIMIT = 100;
/** Attempts at the unprocessed part of a batch before giving up (DynamoDB throttling the table). */
const BATCH_ATTEMPTS = 8;
/** Rows JSON above this is stored gzipped, keeping a day's item well under DynamoDB's 400 KB. */
const GZIP_ABOVE_BYTES = 64 * 1024;

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/**
 * The state store in AWS: one DynamoDB table (see the table design above). Same guarantees as
 * LocalStateStore: a delivery is recorded once, a key is claimed by one run at a time, and a run that
 * delivers nothing writes nothing. A refused conditional write is an answer (false), not an error.
 */
export class DynamoDbStateStore
  implements DeliveryStateStore, CostCache, ActivityCache, RecommendationStore, UsedTokenStore
{
  readonly location: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly now: () => Date;

  constructor(options: DynamoDbStateStoreOptions) {
    this.tableName = options.tableName;
    this.now = options.now ?? (() => new Date());
    this.location = `dynamodb:${options.tableName}`;
    const base = meterClient(
      new DynamoDBClient(awsClientConfig(options.clientOptions)),
      'dynamodb',
      options.meter,
    );
    this.client = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async deliveredAlertIds(alertIds: readonly string[]): Promise<Set<string>> {
    const keys = [...new Set(alertIds)].map(deliveryKey);
    const items = await this.batchGet(keys, 'pk, #status', { '#status': 'status' });
    const delivered = new Set<string>();
    for (const item of items) {
      if (item.status === DELIVERED && typeof item.pk === 'string') delivered.add(fromDeliveryPk(item.pk));
    }
    return new Set(alertIds.filter((id) => delivered.has(id)));
  }

  async recordDeliveries(deliveries: readonly Delivery[]): Promise<string[]> {
    const first = new Map<string, Delivery>();
    for (const delivery of deliveries)
      if (!first.has(delivery.alertId)) first.set(delivery.alertId, delivery);
    const results = await Promise.all(
      [...first.values()].map(async (delivery) => {
        const recorded = await this.putIfNotDelivered({
          ...deliveryKey(delivery.alertId),
          status: DELIVERED,
          channel: delivery.channel,
          deliveredAt: delivery.deliveredAt,
          expiresAt: retainUntil(),
        });
        return recorded ? delivery.alertId : undefined;
      }),
    );
    return results.filter((id): id is string => id !== undefined);
  }

  async claimDelivery(key: string, claim: DeliveryClaim): Promise<boolean> {
    const now = claim.now.getTime();
    if (!Number.isFinite(now) || !Number.isFinite(claim.leaseMs) || claim.leaseMs <= 0) {
      throw new StateStoreError(
        `invalid claim on ${JSON.stringify(key)}: needs a valid time and a positive lease`,
        this.location,
      );
    }
    const leaseUntil = now + claim.leaseMs;
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...deliveryKey(key),
          status: CLAIMED,
          owner: claim.owner,
          claimedAt: claim.now.toISOString(),
          leaseUntil,
          expiresAt: Math.ceil((leaseUntil + CLAIM_RETENTION_MS) / 1000),
        },
        // A lease holds while leaseUntil > now, as in LocalStateStore.
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND leaseUntil <= :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': CLAIMED, ':now': now },
      }),
    );
  }

  /**
   * Like LocalStateStore: whoever completes first is recorded, whether or not it still holds the
   * claim (a run whose lease ran out did send), and the claim goes with it.
   */
  async completeDelivery(key: string, record: CompletedDelivery): Promise<boolean> {
    return this.putIfNotDelivered({
      ...deliveryKey(key),
      status: DELIVERED,
      channel: record.channel,
      deliveredAt: record.deliveredAt,
      ...(record.messageId ? { messageId: record.messageId } : {}),
      run: record.owner,
      expiresAt: retainUntil(),
    });
  }

  async releaseClaim(key: string, owner: string): Promise<void> {
    await this.conditional(
      new DeleteCommand({
        TableName: this.tableName,
        Key: deliveryKey(key),
        ConditionExpression: '#status = :claimed AND #owner = :owner',
        ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
        ExpressionAttributeValues: { ':claimed': CLAIMED, ':owner': owner },
      }),
    );
  }

  async get(key: string, start: IsoDate, end: IsoDate): Promise<CachedCosts> {
    const result: CachedCosts = { rows: [], days: new Set(), estimated: new Map() };
    const last = dayBefore(end);
    if (last === undefined || last < start) return result;
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :start AND :last',
          ExpressionAttributeValues: { ':pk': costPk(key), ':start': start, ':last': last },
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const day = item.sk;
        if (typeof day !== 'string' || day < start || day >= end) continue;
        const fetchedOn = typeof item.fetchedOn === 'string' ? item.fetchedOn : undefined;
        // A damaged day only costs a re-fetch, so it is skipped rather than failing the run.
        const rows = decodeCachedRows(day, decodeRows(item), fetchedOn !== undefined);
        if (!rows) continue;
        result.days.add(day);
        if (fetchedOn !== undefined) result.estimated.set(day, fetchedOn);
        result.rows.push(...rows);
        // Days come in order, so the latest day's currency wins.
        if (typeof item.currency === 'string' && item.currency) result.currency = item.currency;
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return result;
  }

  async put(
    key: string,
    days: readonly IsoDate[],
    rows: readonly DailyCost[],
    currency?: string,
    estimated?: EstimatedFreshness,
  ): Promise<void> {
    if (days.length === 0) return;
    const fresh = new Map(days.map((day): [IsoDate, CachedRow[]] => [day, []]));
    for (const row of rows) fresh.get(row.date)?.push(encodeCachedRow(row));
    const expiresAt = retainUntil();
    const items = [...fresh].map(
      ([day, encoded]): Item => ({
        pk: costPk(key),
        sk: day,
        ...encodeRows(encoded),
        ...(currency ? { currency } : {}),
        ...(estimated ? { fetchedOn: estimated.fetchedOn } : {}),
        expiresAt,
      }),
    );
    await this.batchWrite(items);
  }

  async lastActive(arns: readonly string[]): Promise<Map<string, ActiveMark>> {
    const keys = [...new Set(arns)].map((arn): Key => ({ pk: ACTIVITY_PK, sk: arn }));
    const items = await this.batchGet(keys, 'sk, #day, threshold', { '#day': 'day' });
    const marks = new Map<string, ActiveMark>();
    for (const item of items) {
      if (typeof item.sk === 'string' && typeof item.day === 'string' && typeof item.threshold === 'number') {
        marks.set(item.sk, { day: item.day, threshold: item.threshold });
      }
    }
    const found = new Map<string, ActiveMark>();
    for (const arn of arns) {
      const mark = marks.get(arn);
      if (mark) found.set(arn, mark);
    }
    return found;
  }

  async recordActive(marks: ReadonlyMap<string, ActiveMark>): Promise<void> {
    if (marks.size === 0) return;
    const expiresAt = retainUntil();
    await this.batchWrite(
      [...marks].map(
        ([arn, mark]): Item => ({
          pk: ACTIVITY_PK,
          sk: arn,
          day: mark.day,
          threshold: mark.threshold,
          expiresAt,
        }),
      ),
    );
  }

  async recordProposals(recommendations: readonly Recommendation[], at: Date): Promise<void> {
    const first = new Map<string, Recommendation>();
    for (const recommendation of recommendations) {
      if (!first.has(recommendation.id)) first.set(recommendation.id, recommendation);
    }
    await Promise.all(
      [...first.values()].map((recommendation) =>
        this.conditional(
          new PutCommand({
            TableName: this.tableName,
            Item: recommendationItem(
              proposedRecord(recommendation, { actor: 'pocketwatch', at, from: 'run' }),
            ),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      ),
    );
  }

  async getRecommendation(id: string): Promise<RecommendationRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: RECOMMENDATIONS_PK, sk: id },
        ConsistentRead: true,
      }),
    );
    return Item ? decodeRecommendationItem(Item, id) : undefined;
  }

  async listRecommendations(): Promise<RecommendationRecord[]> {
    const records: RecommendationRecord[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': RECOMMENDATIONS_PK },
          ConsistentRead: true,
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const record = typeof item.sk === 'string' ? decodeRecommendationItem(item, item.sk) : undefined;
        if (record) records.push(record);
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return records.sort((a, b) =>
      a.proposedAt === b.proposedAt ? compareText(a.id, b.id) : compareText(a.proposedAt, b.proposedAt),
    );
  }

  async updateRecommendation(
    id: string,
    expectedVersion: number,
    next: RecommendationRecord,
  ): Promise<boolean> {
    if (next.id !== id) {
      throw new StateStoreError(`cannot store recommendation ${next.id} under id ${id}`, this.location);
    }
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: recommendationItem({ ...next, version: expectedVersion + 1 }),
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
  }

  async markUsed(nonce: string, expiresAt: number): Promise<boolean> {
    if (typeof nonce !== 'string' || nonce === '' || !Number.isSafeInteger(expiresAt)) {
      throw new StateStoreError('a used token needs a nonce and an integer expiry', this.location);
    }
    const now = this.now();
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...usedTokenKey(nonce), usedAt: now.toISOString(), expiresAt },
        // TTL deletion lags by up to days: an item past its expiry counts as gone already.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
        ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
      }),
    );
  }

  async wasUsed(nonce: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: usedTokenKey(nonce), ConsistentRead: true }),
    );
    return typeof Item?.expiresAt === 'number' && Item.expiresAt > Math.floor(this.now().getTime() / 1000);
  }

  async releaseUsed(nonce: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: usedTokenKey(nonce) }));
  }

  /** Writes a delivered item unless the key is delivered already; returns whether it wrote. */
  private putIfNotDelivered(item: Item): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk) OR #status <> :delivered',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':delivered': DELIVERED },
      }),
    );
  }

  /** Sends a conditional write: true when it was applied, false when its condition refused it. */
  private async conditional(command: PutCommand | DeleteCommand): Promise<boolean> {
    try {
      // The overloads of send() take one command type at a time.
      if (command instanceof PutCommand) await this.client.send(command);
      else await this.client.send(command);
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private async batchGet(keys: Key[], projection: string, names: Record<string, string>): Promise<Item[]> {
    const items: Item[] = [];
    for (let index = 0; index < keys.length; index += BATCH_GET_LIMIT) {
      let pending: Key[] = keys.slice(index, index + BATCH_GET_LIMIT);
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > BATCH_ATTEMPTS) {
          throw new StateStoreError(
            `DynamoDB left ${pending.length} keys unread after ${BATCH_ATTEMPTS} attempts (throttled); try again later`,
            this.location,
          );
        }
        if (attempt > 1) await backoff(attempt);
        const output: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ProjectionExpression: projection,
                ExpressionAttributeNames: names,
              },
            },
          }),
        );
        items.push(...(output.Responses?.[this.tableName] ?? []));
        pending = (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[];
      }
    }
    return items;
  }

  private async batchWrite(items: Item[]): Promise<void> {
    for (let index = 0; index < items.length; index += BATCH_WRITE_LIMIT) {
      let pending = items.slice(index, index + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > BATCH_ATTEMPTS) {
          throw new StateStoreError(
            `DynamoDB left ${pending.length} items unwritten after ${BATCH_ATTEMPTS} attempts (throttled); try again later`,
            this.location,
          );
        }
        if (attempt > 1) await backoff(attempt);
        const output: BatchWriteCommandOutput = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = (output.UnprocessedItems?.[this.tableName] ?? []).flatMap((request) =>
          request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
        );
      }
    }
  }
}

function deliveryKey(key: string): Key {
  return { pk: `delivery#${key}`, sk: DELIVERY_SK };
}

function usedTokenKey(nonce: string): Key {
  return { pk: `token#${nonce}`, sk: USED_TOKEN_SK };
}

function fromDeliveryPk(pk: string): string {
  return pk.slice('delivery#'.length);
}

function costPk(key: string): string {
  return `cost#${key}`;
}

/** TTL of a delivery, cost day or activity mark: 400 days from now, in epoch seconds. */
function retainUntil(now = Date.now()): number {
  return Math.floor(now / 1000) + RETENTION_SECONDS;
}

/** The day before an ISO date (the last day of a range ending there), or undefined if not a date. */
function dayBefore(day: IsoDate): IsoDate | undefined {
  const time = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !Number.isFinite(time)) return undefined;
  return new Date(time - 86_400_000).toISOString().slice(0, 10);
}

function encodeRows(rows: CachedRow[]): { rows: string } | { rowsGz: Uint8Array } {
  const json = JSON.stringify(rows);
  if (Buffer.byteLength(json) <= GZIP_ABOVE_BYTES) return { rows: json };
  return { rowsGz: new Uint8Array(gzipSync(json)) };
}

/** The rows of a cost item as stored; undefined when they cannot be read (skipped as damaged). */
function decodeRows(item: Item): unknown {
  try {
    if (typeof item.rows === 'string') return JSON.parse(item.rows);
    if (item.rowsGz instanceof Uint8Array) return JSON.parse(gunzipSync(item.rowsGz).toString('utf8'));
  } catch {
    return undefined;
  }
  return undefined;
}

function recommendationItem(record: RecommendationRecord): Item {
  const json = JSON.stringify(encodeRecommendationRecord(record));
  return {
    pk: RECOMMENDATIONS_PK,
    sk: record.id,
    version: record.version,
    ...(Buffer.byteLength(json) <= GZIP_ABOVE_BYTES
      ? { record: json }
      : { recordGz: new Uint8Array(gzipSync(json)) }),
    expiresAt: retainUntil(),
  };
}

/** The record of an item; undefined when it cannot be read (skipped as damaged). */
function decodeRecommendationItem(item: Item, id: string): RecommendationRecord | undefined {
  let value: unknown;
  try {
    if (typeof item.record === 'string') value = JSON.parse(item.record);
    else if (item.recordGz instanceof Uint8Array)
      value = JSON.parse(gunzipSync(item.recordGz).toString('utf8'));
  } catch {
    return undefined;
  }
  const record = decodeRecommendationRecord(value);
  if (record === undefined || record.id !== id || typeof item.version !== 'number') return undefined;
  // The item's version attribute is the one conditions check.
  return { ...record, version: item.version };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isConditionalCheckFailed(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { name, code, cause } = current as { name?: unknown; code?: unknown; cause?: unknown };
    if (name === 'ConditionalCheckFailedException' || code === 'ConditionalCheckFailedException') return true;
    current = cause;
  }
  return false;
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
