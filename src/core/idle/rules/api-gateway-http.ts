import { count, GET_METRIC_DATA, metricRule } from '../rule-kit.js';

/** An HTTP (or WebSocket) API nobody calls; unlike REST APIs these are dimensioned by ApiId. */
export const apiGatewayHttp = metricRule({
  type: 'apigateway:apis',
  label: 'API Gateway HTTP API',
  signal: 'requests: AWS/ApiGateway Count, Sum, by ApiId',
  threshold: 0,
  windowDays: 30,
  rationale: '0 requests in 30 days (anchors: 14-30 days); an idle HTTP API costs nothing.',
  holdsData: false,
  iamActions: [GET_METRIC_DATA],
  metrics: [
    { key: 'requests', namespace: 'AWS/ApiGateway', metricName: 'Count', stat: 'Sum', missing: 'zero' },
  ],
  conditions: [{ metrics: ['requests'], measure: 'total', limit: 'threshold', phrase: count('request') }],
  dimensions: (resource) => {
    // arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5
    const apiId = /:\/apis\/([^/]+)$/.exec(resource.arn)?.[1];
    return apiId ? [{ name: 'ApiId', value: apiId }] : { problem: 'the ARN names no HTTP API id' };
  },
});
