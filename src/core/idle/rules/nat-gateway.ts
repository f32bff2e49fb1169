import { HOURLY_PRICES } from '../price-table.js';
import { count, formatBytes, GET_METRIC_DATA, metricRule } from '../rule-kit.js';

/** A NAT gateway nothing sends through: ~$32 a month for nothing. */
export const natGateway = metricRule({
  type: 'ec2:natgateway',
  label: 'NAT gateway',
  signal:
    'traffic: AWS/NATGateway BytesOutToDestination, Sum, and ActiveConnectionCount, Maximum, by NatGatewayId',
  threshold: 0,
  windowDays: 14,
  rationale:
    '0 bytes out and no active connection in 14 days: between thrifty (5 days) and Trusted Advisor (30) / Compute Optimizer (32). It bills $0.045 an hour idle, so waiting a month costs more than a false alarm.',
  holdsData: false,
  // DescribeNatGateways gives the creation time (young gateways are not judged).
  iamActions: [GET_METRIC_DATA, 'ec2:DescribeNatGateways'],
  hourlyPrice: () => HOURLY_PRICES.natGateway,
  billing: { kind: 'time-without-usage', maxUsageCost: '0' },
  metrics: [
    {
      key: 'bytesOut',
      namespace: 'AWS/NATGateway',
      metricName: 'BytesOutToDestination',
      stat: 'Sum',
      missing: 'zero',
    },
    {
      key: 'connections',
      namespace: 'AWS/NATGateway',
      metricName: 'ActiveConnectionCount',
      stat: 'Maximum',
      missing: 'zero',
    },
  ],
  conditions: [
    {
      metrics: ['bytesOut'],
      measure: 'total',
      limit: 'threshold',
      phrase: (bytes) => `${formatBytes(bytes)} out`,
    },
    {
      metrics: ['connections'],
      measure: 'peak',
      limit: 0,
      phrase: (value) => `at most ${count('active connection')(value)}`,
    },
  ],
  dimensions: (resource) => [{ name: 'NatGatewayId', value: resource.id }],
});
