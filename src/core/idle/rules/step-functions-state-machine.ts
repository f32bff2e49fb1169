import { count, GET_METRIC_DATA, metricRule } from '../rule-kit.js';

/** A state machine nothing starts. */
export const stepFunctionsStateMachine = metricRule({
  type: 'states:stateMachine',
  label: 'Step Functions state machine',
  signal: 'executions started: AWS/States ExecutionsStarted, Sum, by StateMachineArn',
  threshold: 0,
  windowDays: 30,
  rationale: '0 executions started in 30 days (anchor: 0 over 30 days); idle state machines cost nothing.',
  holdsData: false,
  iamActions: [GET_METRIC_DATA],
  metrics: [
    {
      key: 'started',
      namespace: 'AWS/States',
      metricName: 'ExecutionsStarted',
      stat: 'Sum',
      missing: 'zero',
    },
  ],
  conditions: [
    {
      metrics: ['started'],
      measure: 'total',
      limit: 'threshold',
      phrase: count('execution started', 'executions started'),
    },
  ],
  dimensions: (resource) => [{ name: 'StateMachineArn', value: resource.arn }],
});
