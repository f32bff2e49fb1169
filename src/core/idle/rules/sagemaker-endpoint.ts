import { sageMakerHostingPrice, timesUnits } from '../price-table.js';
import { count, GET_METRIC_DATA, metricRule } from '../rule-kit.js';

/**
 * A real-time endpoint nobody invokes; it bills for its instances every hour. Endpoint metrics are
 * dimensioned by EndpointName and VariantName; the variant is assumed to be "AllTraffic" (the
 * SageMaker SDK's default). CPUUtilization, published whenever an instance-backed endpoint runs,
 * proves that assumption: without it, zero invocations prove nothing and the endpoint is not judged.
 */
export const sagemakerEndpoint = metricRule({
  type: 'sagemaker:endpoint',
  label: 'SageMaker endpoint',
  signal: 'invocations: AWS/SageMaker Invocations, Sum, by EndpointName and VariantName=AllTraffic',
  threshold: 0,
  windowDays: 14,
  rationale:
    '0 invocations in 14 days (anchor: 0 over 14 days). A GPU endpoint costs ~$1,000 a month idle, so two weeks is long enough.',
  holdsData: false,
  iamActions: [GET_METRIC_DATA, 'sagemaker:DescribeEndpoint'],
  hourlyPrice: (_resource, state) => {
    const unit = sageMakerHostingPrice(state?.instanceType);
    return unit && timesUnits(unit, state?.instanceCount);
  },
  metrics: [
    {
      key: 'invocations',
      namespace: 'AWS/SageMaker',
      metricName: 'Invocations',
      stat: 'Sum',
      missing: 'zero',
    },
    {
      key: 'cpu',
      namespace: '/aws/sagemaker/Endpoints',
      metricName: 'CPUUtilization',
      stat: 'Maximum',
      missing: 'unknown',
    },
  ],
  probe: 'cpu',
  conditions: [
    { metrics: ['invocations'], measure: 'total', limit: 'threshold', phrase: count('invocation') },
  ],
  dimensions: (resource) => [
    { name: 'EndpointName', value: resource.id },
    { name: 'VariantName', value: 'AllTraffic' },
  ],
});
