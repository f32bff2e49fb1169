import { HOURLY_PRICES } from '../price-table.js';
import { count, GET_METRIC_DATA, metricRule } from '../rule-kit.js';

/**
 * An ALB with (almost) no requests. Trusted Advisor also flags load balancers without registered
 * targets; that needs DescribeTargetHealth per target group and is left to the caller.
 */
export const applicationLoadBalancer = metricRule({
  type: 'elasticloadbalancing:loadbalancer/app',
  label: 'Application Load Balancer',
  signal: 'requests per day: AWS/ApplicationELB RequestCount, Sum, by LoadBalancer',
  threshold: 100,
  windowDays: 7,
  rationale:
    "At most 100 requests on every day of 7 days, Trusted Advisor's idle load balancer check (it says fewer than 100; health checks are not requests). ~$16 a month idle.",
  holdsData: false,
  iamActions: [GET_METRIC_DATA, 'elasticloadbalancing:DescribeLoadBalancers'],
  hourlyPrice: () => HOURLY_PRICES.loadBalancer,
  // LCU-hours measure use; a cent over the window is noise, not traffic.
  billing: { kind: 'time-without-usage', maxUsageCost: '0.01' },
  metrics: [
    {
      key: 'requests',
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      stat: 'Sum',
      missing: 'zero',
    },
  ],
  conditions: [
    {
      metrics: ['requests'],
      measure: 'daily',
      limit: 'threshold',
      phrase: (value) => `at most ${count('request')(value)} a day`,
    },
  ],
  // The LoadBalancer dimension is the ARN's "app/<name>/<id>".
  dimensions: (resource) => [{ name: 'LoadBalancer', value: resource.id }],
});
