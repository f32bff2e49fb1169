import { count, GET_METRIC_DATA, metricRule } from '../rule-kit.js';

/**
 * A REST API nobody calls. Its metrics are dimensioned by ApiName, which the ARN
 * (arn:aws:apigateway:region::/restapis/<id>) does not carry, so the name is taken from the API's
 * `Name` tag. Without that tag the API is reported as not judged rather than guessed at: a wrong
 * name would read as zero requests. (The caller may fill the tag from apigateway:GetRestApis.)
 */
export const apiGatewayRest = metricRule({
  type: 'apigateway:restapis',
  label: 'API Gateway REST API',
  signal: 'requests: AWS/ApiGateway Count, Sum, by ApiName (from the Name tag)',
  threshold: 0,
  windowDays: 30,
  rationale:
    '0 requests in 30 days (anchors: 14-30 days). An idle REST API costs nothing, so the long end avoids flagging APIs used once a month.',
  holdsData: false,
  iamActions: [GET_METRIC_DATA],
  metrics: [
    { key: 'requests', namespace: 'AWS/ApiGateway', metricName: 'Count', stat: 'Sum', missing: 'zero' },
  ],
  conditions: [{ metrics: ['requests'], measure: 'total', limit: 'threshold', phrase: count('request') }],
  dimensions: (resource) => {
    const name = resource.tags.Name?.trim();
    if (name) return [{ name: 'ApiName', value: name }];
    return {
      problem:
        'REST API metrics are keyed by the API name, which its ARN does not carry: tag the API with Name=<API name> to have it checked',
    };
  },
});
