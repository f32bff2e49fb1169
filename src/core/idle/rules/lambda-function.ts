import { count, GET_METRIC_DATA, leadingName, metricRule } from '../rule-kit.js';

/** A function nobody invokes. Idle on-demand Lambda costs nothing, so only a long silence counts. */
export const lambdaFunction = metricRule({
  type: 'lambda:function',
  label: 'Lambda function',
  signal: 'invocations: AWS/Lambda Invocations, Sum, by FunctionName',
  threshold: 0,
  windowDays: 30,
  rationale:
    '0 invocations in 30 days, the long end of the usual 14-30 days: an idle function costs nothing, so a monthly job must not be mistaken for a dead one.',
  holdsData: false,
  iamActions: [GET_METRIC_DATA],
  metrics: [
    { key: 'invocations', namespace: 'AWS/Lambda', metricName: 'Invocations', stat: 'Sum', missing: 'zero' },
  ],
  conditions: [
    { metrics: ['invocations'], measure: 'total', limit: 'threshold', phrase: count('invocation') },
  ],
  // An alias or version ARN ends in ":name:alias"; the function's metrics are under its bare name.
  dimensions: (resource) => [{ name: 'FunctionName', value: leadingName(resource) }],
});
