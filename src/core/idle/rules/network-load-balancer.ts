import { HOURLY_PRICES } from '../price-table.js';
import { count, GET_METRIC_DATA, metricRule } from '../rule-kit.js';

/** An NLB with (almost) no new flows; NLBs count flows, not requests. */
export const networkLoadBalancer = metricRule({
  type: 'elasticloadbalancing:loadbalancer/net',
  label: 'Network Load Balancer',
  signal: 'new flows per day: AWS/NetworkELB NewFlowCount, Sum, by LoadBalancer',
  threshold: 100,
  windowDays: 7,
  rationale:
    "At most 100 new flows on every day of 7 days, Trusted Advisor's idle load balancer threshold applied to flows. ~$16 a month idle.",
  holdsData: false,
  iamActions: [GET_METRIC_DATA, 'elasticloadbalancing:DescribeLoadBalancers'],
  hourlyPrice: () => HOURLY_PRICES.loadBalancer,
  billing: { kind: 'time-without-usage', maxUsageCost: '0.01' },
  metrics: [
    { key: 'flows', namespace: 'AWS/NetworkELB', metricName: 'NewFlowCount', stat: 'Sum', missing: 'zero' },
  ],
  conditions: [
    {
      metrics: ['flows'],
      measure: 'daily',
      limit: 'threshold',
      phrase: (value) => `at most ${count('new flow')(value)} a day`,
    },
  ],
  // The LoadBalancer dimension is the ARN's "net/<name>/<id>".
  dimensions: (resource) => [{ name: 'LoadBalancer', value: resource.id }],
});
