import { count, GET_METRIC_DATA, leadingName, metricRule } from '../rule-kit.js';

/** A topic nothing publishes to. */
export const snsTopic = metricRule({
  type: 'sns:topic',
  label: 'SNS topic',
  signal: 'messages published: AWS/SNS NumberOfMessagesPublished, Sum, by TopicName',
  threshold: 0,
  windowDays: 30,
  rationale:
    '0 messages published in 30 days (anchor: 0). Alarm topics are quiet by design: protect or exclude them.',
  holdsData: false,
  iamActions: [GET_METRIC_DATA],
  metrics: [
    {
      key: 'published',
      namespace: 'AWS/SNS',
      metricName: 'NumberOfMessagesPublished',
      stat: 'Sum',
      missing: 'zero',
    },
  ],
  conditions: [
    {
      metrics: ['published'],
      measure: 'total',
      limit: 'threshold',
      phrase: count('message published', 'messages published'),
    },
  ],
  dimensions: (resource) => [{ name: 'TopicName', value: leadingName(resource) }],
});
