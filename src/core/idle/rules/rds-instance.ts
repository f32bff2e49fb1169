import { GET_METRIC_DATA, metricRule } from '../rule-kit.js';
import { RDS_CONNECTIONS_CONDITION, RDS_CONNECTIONS_METRIC } from './rds-connections.js';

/**
 * A database instance nobody connects to. DatabaseConnections is a gauge: a stopped instance has no
 * datapoints, which proves nothing (it is not judged). The price depends on the instance class and
 * engine, so its cost comes from billing data, not the price table.
 */
export const rdsInstance = metricRule({
  type: 'rds:db',
  label: 'RDS DB instance',
  signal: 'connections: AWS/RDS DatabaseConnections, Maximum, by DBInstanceIdentifier',
  threshold: 0,
  windowDays: 14,
  rationale:
    '0 connections at any time in 14 days: between Trusted Advisor (7 days) and thrifty (30). It holds data, so a week is too short; running instances bill every hour, so a month is too long.',
  holdsData: true,
  iamActions: [GET_METRIC_DATA, 'rds:DescribeDBInstances'],
  metrics: [RDS_CONNECTIONS_METRIC],
  conditions: [RDS_CONNECTIONS_CONDITION],
  dimensions: (resource) => [{ name: 'DBInstanceIdentifier', value: resource.id }],
});
