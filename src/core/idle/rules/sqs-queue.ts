import { count, GET_METRIC_DATA, leadingName, metricRule } from '../rule-kit.js';

/** A queue nothing sends to. SQS stops publishing metrics for inactive queues: no data is zero. */
export const sqsQueue = metricRule({
  type: 'sqs:queue',
  label: 'SQS queue',
  signal: 'messages sent: AWS/SQS NumberOfMessagesSent, Sum, by QueueName',
  threshold: 0,
  windowDays: 30,
  rationale: '0 messages sent in 30 days (anchor: 0); an idle queue costs nothing, so a long window.',
  holdsData: false,
  iamActions: [GET_METRIC_DATA],
  metrics: [
    { key: 'sent', namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', stat: 'Sum', missing: 'zero' },
  ],
  conditions: [
    {
      metrics: ['sent'],
      measure: 'total',
      limit: 'threshold',
      phrase: count('message sent', 'messages sent'),
    },
  ],
  dimensions: (resource) => [{ name: 'QueueName', value: leadingName(resource) }],
});
