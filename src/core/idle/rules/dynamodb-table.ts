import { formatNumber, GET_METRIC_DATA, leadingName, metricRule } from '../rule-kit.js';

/** A table nobody reads or writes. Provisioned capacity bills by the hour even then. */
export const dynamodbTable = metricRule({
  type: 'dynamodb:table',
  label: 'DynamoDB table',
  signal:
    'consumed capacity: AWS/DynamoDB ConsumedReadCapacityUnits + ConsumedWriteCapacityUnits, Sum, by TableName',
  threshold: 0,
  windowDays: 30,
  rationale:
    '0 consumed read and write units in 30 days (anchors: 14-30 days). Tables hold data, so the long end: a quarterly batch reader should not be proposed lightly.',
  holdsData: true,
  iamActions: [GET_METRIC_DATA],
  metrics: [
    {
      key: 'reads',
      namespace: 'AWS/DynamoDB',
      metricName: 'ConsumedReadCapacityUnits',
      stat: 'Sum',
      missing: 'zero',
    },
    {
      key: 'writes',
      namespace: 'AWS/DynamoDB',
      metricName: 'ConsumedWriteCapacityUnits',
      stat: 'Sum',
      missing: 'zero',
    },
  ],
  conditions: [
    {
      metrics: ['reads', 'writes'],
      measure: 'total',
      limit: 'threshold',
      phrase: (value) => `${formatNumber(value)} consumed read and write capacity units`,
    },
  ],
  dimensions: (resource) => [{ name: 'TableName', value: leadingName(resource) }],
});
