import { HOURLY_PRICES, timesUnits } from '../price-table.js';
import { count, GET_METRIC_DATA, leadingName, metricRule } from '../rule-kit.js';

/** A stream nothing writes to; provisioned shards bill every hour. */
export const kinesisStream = metricRule({
  type: 'kinesis:stream',
  label: 'Kinesis data stream',
  signal: 'records in: AWS/Kinesis IncomingRecords, Sum, by StreamName',
  threshold: 0,
  windowDays: 14,
  rationale:
    '0 incoming records in 14 days (anchor: 0). Records expire after the retention period anyway, and each shard bills $0.015 an hour.',
  holdsData: true,
  iamActions: [GET_METRIC_DATA, 'kinesis:DescribeStreamSummary'],
  hourlyPrice: (_resource, state) => timesUnits(HOURLY_PRICES.kinesisShard, state?.shardCount),
  billing: { kind: 'time-without-usage', maxUsageCost: '0' },
  metrics: [
    { key: 'records', namespace: 'AWS/Kinesis', metricName: 'IncomingRecords', stat: 'Sum', missing: 'zero' },
  ],
  conditions: [
    { metrics: ['records'], measure: 'total', limit: 'threshold', phrase: count('incoming record') },
  ],
  dimensions: (resource) => [{ name: 'StreamName', value: leadingName(resource) }],
});
