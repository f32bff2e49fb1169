import {
  CloudWatchClient,
  type CloudWatchClientConfig,
  GetMetricDataCommand,
  type GetMetricDataInput,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { meterClient } from '../aws/metered-client.js';
import { mapBounded } from './bounded-map.js';
import { type MetricBatch, packMetricQueries } from './metric-batches.js';
import type { ActivityReader, MetricQuery, MetricSeries } from './metric-query.js';
import { nextPageToken } from './page-token.js';
import { type InventoryClientConfig, RegionalClients, sdkConfigOf } from './regional-clients.js';
import { SkippedItems } from './skipped-items.js';

export type CloudWatchActivityConfig = InventoryClientConfig<CloudWatchClientConfig>;

export interface CloudWatchActivityOptions {
  /** Regions read at the same time (default 4); batches within a region run one after another. */
  concurrency?: number;
}

export interface MetricWindow {
  start: Date;
  end: Date;
  periodSeconds: number;
}

/** GetMetricData's rule for query ids. */
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const MAX_ID_LENGTH = 255;

/**
 * Reads CloudWatch metrics for many resources with as few GetMetricData calls as the 500-query limit
 * allows (Cloud Custodian-style GetMetricStatistics would be one call per resource per metric).
 * GetMetricData is billed per metric requested; the ApiMeter on each client records that.
 */
export class CloudWatchActivityReader implements ActivityReader {
  private readonly clients: RegionalClients<CloudWatchClient>;
  private readonly concurrency: number;
  private callCount = 0;

  constructor(config: CloudWatchActivityConfig, options: CloudWatchActivityOptions = {}) {
    const sdkConfig = sdkConfigOf(config);
    this.clients = new RegionalClients((region) =>
      meterClient(new CloudWatchClient({ ...sdkConfig, region }), 'cloudwatch', config.meter),
    );
    this.concurrency = options.concurrency ?? 4;
  }

  /** GetMetricData requests this reader has sent so far, NextToken pages included (SDK retries not). */
  get calls(): number {
    return this.callCount;
  }

  /**
   * One series per query id, for every query passed in. A series is `complete` only when the last
   * page that mentioned it said "Complete"; a query CloudWatch never answered gets no points and
   * `complete: false`, so a caller cannot mistake a missing answer for zero activity.
   */
  async read(
    queries: readonly MetricQuery[],
    window: MetricWindow,
    skipped: SkippedItems = new SkippedItems(),
  ): Promise<Map<string, MetricSeries>> {
    validateQueries(queries);
    validateWindow(window);
    const merged = new Map<string, MergedSeries>(queries.map((query) => [query.id, { points: new Map() }]));
    const batchesByRegion = new Map<string, MetricBatch[]>();
    for (const batch of packMetricQueries(queries)) {
      const regionBatches = batchesByRegion.get(batch.region);
      if (regionBatches) regionBatches.push(batch);
      else batchesByRegion.set(batch.region, [batch]);
    }
    await mapBounded([...batchesByRegion.values()], this.concurrency, async (batches) => {
      for (const batch of batches) await this.readBatch(batch, window, merged, skipped);
    });
    const series = new Map<string, MetricSeries>();
    for (const [id, { points, status }] of merged) {
      const timestamps = [...points.keys()].sort();
      series.set(id, {
        id,
        points: timestamps.map((timestamp) => ({ timestamp, value: points.get(timestamp) ?? 0 })),
        complete: status === 'Complete',
      });
    }
    return series;
  }

  /** Closes the SDK clients' connections. */
  destroy(): void {
    this.clients.destroy();
  }

  /** One batch: one call, plus one per NextToken page (results for an id can span pages). */
  private async readBatch(
    batch: MetricBatch,
    window: MetricWindow,
    merged: Map<string, MergedSeries>,
    skipped: SkippedItems,
  ): Promise<void> {
    const client = this.clients.get(batch.region);
    const input: GetMetricDataInput = {
      MetricDataQueries: batch.queries.map((query) => toMetricDataQuery(query, window.periodSeconds)),
      StartTime: window.start,
      EndTime: window.end,
      ScanBy: 'TimestampAscending',
    };
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      this.callCount += 1;
      const page = await client.send(
        new GetMetricDataCommand(token ? { ...input, NextToken: token } : input),
      );
      for (const result of page.MetricDataResults ?? []) mergeResult(merged, result, batch.region, skipped);
      token = nextPageToken(page.NextToken, seen, 'cloudwatch:GetMetricData');
    } while (token);
  }
}

interface MergedSeries {
  /** ISO timestamp → value; a map so a datapoint repeated on two pages is kept once. */
  points: Map<string, number>;
  /** StatusCode of the last page that mentioned the id: PartialData on an early page means "more follows". */
  status?: string;
  /** One of its pages could not be read: it stays incomplete whatever later pages say. */
  unreadable?: boolean;
}

/** Marks a series whose answer could not be read: it is never complete, so never judged idle. */
const UNREADABLE = 'Unreadable';

function mergeResult(
  merged: Map<string, MergedSeries>,
  result: MetricDataResult,
  region: string,
  skipped: SkippedItems,
): void {
  const series = typeof result.Id === 'string' ? merged.get(result.Id) : undefined;
  if (!series) {
    skipped.note('cloudwatch:GetMetricData', region, String(result.Id ?? ''), 'not an id that was asked for');
    return;
  }
  const timestamps = Array.isArray(result.Timestamps) ? result.Timestamps : [];
  const values = Array.isArray(result.Values) ? result.Values : [];
  const readable =
    timestamps.length === values.length &&
    timestamps.every((t) => t instanceof Date && !Number.isNaN(t.getTime())) &&
    values.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!readable) {
    // A dropped datapoint could make a busy resource look idle: the whole series is left unjudged.
    skipped.note('cloudwatch:GetMetricData', region, result.Id as string, 'unreadable timestamps or values');
    series.status = UNREADABLE;
    series.unreadable = true;
    return;
  }
  for (let i = 0; i < timestamps.length; i++) {
    series.points.set((timestamps[i] as Date).toISOString(), values[i] as number);
  }
  if (result.StatusCode !== undefined && !series.unreadable) series.status = result.StatusCode;
}

function toMetricDataQuery(query: MetricQuery, periodSeconds: number): MetricDataQuery {
  return {
    Id: query.id,
    MetricStat: {
      Metric: {
        Namespace: query.namespace,
        MetricName: query.metricName,
        Dimensions: query.dimensions.map((dimension) => ({ Name: dimension.name, Value: dimension.value })),
      },
      Period: periodSeconds,
      Stat: query.stat,
    },
    ReturnData: true,
  };
}

/** Rejects what GetMetricData would reject, before any (billed) call is made. */
function validateQueries(queries: readonly MetricQuery[]): void {
  const ids = new Set<string>();
  for (const query of queries) {
    if (!QUERY_ID.test(query.id) || query.id.length > MAX_ID_LENGTH) {
      throw new Error(
        `invalid metric query id ${JSON.stringify(query.id)}: GetMetricData ids must match ` +
          `^[a-z][a-zA-Z0-9_]*$ (start with a lowercase letter; letters, digits and _ only; at most ${MAX_ID_LENGTH} characters)`,
      );
    }
    if (ids.has(query.id)) throw new Error(`duplicate metric query id ${JSON.stringify(query.id)}`);
    ids.add(query.id);
    if (query.region === '') throw new Error(`metric query ${query.id} has no region`);
  }
}

function validateWindow({ start, end, periodSeconds }: MetricWindow): void {
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start.getTime() >= end.getTime()) {
    throw new Error('metric window: start must be a valid date before end');
  }
  // CloudWatch accepts 1, 5, 10, 20, 30 (high resolution) or any multiple of 60.
  const valid =
    [1, 5, 10, 20, 30].includes(periodSeconds) ||
    (Number.isInteger(periodSeconds) && periodSeconds > 0 && periodSeconds % 60 === 0);
  if (!valid)
    throw new Error(`metric window: period ${periodSeconds} s is not 1, 5, 10, 20, 30 or a multiple of 60`);
}
