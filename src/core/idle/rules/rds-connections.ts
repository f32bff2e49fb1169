import type { IdleCondition, MetricSpec } from '../idle-rule.js';
import { count } from '../rule-kit.js';

/** RDS instances and Aurora clusters share one signal: peak DatabaseConnections (a gauge). */
export const RDS_CONNECTIONS_METRIC: MetricSpec = {
  key: 'connections',
  namespace: 'AWS/RDS',
  metricName: 'DatabaseConnections',
  stat: 'Maximum',
  missing: 'unknown',
};

export const RDS_CONNECTIONS_CONDITION: IdleCondition = {
  metrics: ['connections'],
  measure: 'peak',
  limit: 'threshold',
  phrase: (value) => `at most ${count('connection')(value)}`,
};
