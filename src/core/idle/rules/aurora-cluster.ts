import { GET_METRIC_DATA, metricRule } from '../rule-kit.js';
import { RDS_CONNECTIONS_CONDITION, RDS_CONNECTIONS_METRIC } from './rds-connections.js';

/** An Aurora cluster nobody connects to (cluster-level DatabaseConnections covers every instance). */
export const auroraCluster = metricRule({
  type: 'rds:cluster',
  label: 'Aurora DB cluster',
  signal: 'connections: AWS/RDS DatabaseConnections, Maximum, by DBClusterIdentifier',
  threshold: 0,
  windowDays: 14,
  rationale:
    '0 connections at any time in 14 days, as for RDS instances (Trusted Advisor 7 days, thrifty 30). Serverless v2 with auto-pause costs little idle, provisioned instances bill every hour.',
  holdsData: true,
  iamActions: [GET_METRIC_DATA, 'rds:DescribeDBClusters'],
  metrics: [RDS_CONNECTIONS_METRIC],
  conditions: [RDS_CONNECTIONS_CONDITION],
  dimensions: (resource) => [{ name: 'DBClusterIdentifier', value: resource.id }],
});
