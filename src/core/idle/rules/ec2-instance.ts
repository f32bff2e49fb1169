import { formatBytes, formatNumber, GET_METRIC_DATA, metricRule } from '../rule-kit.js';

/** Trusted Advisor's "5 MB of network I/O" a day, in bytes (AWS's decimal megabytes). */
const NETWORK_BYTES_A_DAY = 5_000_000;

/**
 * An instance that idles: low CPU and almost no network traffic every day. Stricter than Trusted
 * Advisor (4 of 14 days): every day with data must be quiet, since a teardown proposal should not
 * hit an instance that works twice a week. CPU and network are gauges: days without datapoints (the
 * instance was stopped) are skipped; none at all means not judged.
 */
export const ec2Instance = metricRule({
  type: 'ec2:instance',
  label: 'EC2 instance',
  signal:
    'daily average CPU (AWS/EC2 CPUUtilization, Average) and network (NetworkIn + NetworkOut, Sum), by InstanceId',
  threshold: 10,
  windowDays: 14,
  rationale:
    "Daily average CPU at most 10 % and network at most 5 MB on every day of 14 days: Trusted Advisor's low-utilisation thresholds, required on every day instead of 4.",
  holdsData: true,
  iamActions: [GET_METRIC_DATA, 'ec2:DescribeInstances'],
  metrics: [
    { key: 'cpu', namespace: 'AWS/EC2', metricName: 'CPUUtilization', stat: 'Average', missing: 'unknown' },
    { key: 'netIn', namespace: 'AWS/EC2', metricName: 'NetworkIn', stat: 'Sum', missing: 'unknown' },
    { key: 'netOut', namespace: 'AWS/EC2', metricName: 'NetworkOut', stat: 'Sum', missing: 'unknown' },
  ],
  conditions: [
    {
      metrics: ['cpu'],
      measure: 'daily',
      limit: 'threshold',
      phrase: (value) => `daily average CPU at most ${formatNumber(value)} %`,
      formatLimit: (limit) => `${formatNumber(limit)} %`,
    },
    {
      metrics: ['netIn', 'netOut'],
      measure: 'daily',
      limit: NETWORK_BYTES_A_DAY,
      phrase: (bytes) => `at most ${formatBytes(bytes)} of network traffic a day`,
      formatLimit: formatBytes,
    },
  ],
  dimensions: (resource) => [{ name: 'InstanceId', value: resource.id }],
});
