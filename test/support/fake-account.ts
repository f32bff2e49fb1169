import type { FakeAwsServer, FakeHandler } from './fake-aws-server.js';

/** The answers every live run needs besides its costs: who we are, tagged resources, EC2 state. */
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function callerIdentity(account: string): FakeHandler {
  return () => ({
    body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  });
}

/** One page of GetResources for `resources` (ARN → tags). */
export function taggedResources(
  resources: () => Array<{ arn: string; tags: Record<string, string> }>,
): FakeHandler {
  return () => ({
    body: {
      PaginationToken: '',
      ResourceTagMappingList: resources().map((resource) => ({
        ResourceARN: resource.arn,
        Tags: Object.entries(resource.tags).map(([Key, Value]) => ({ Key, Value })),
      })),
    },
  });
}

interface MetricDataRequest {
  StartTime: number;
  EndTime: number;
  MetricDataQueries: Array<{
    Id: string;
    MetricStat: { Metric: { MetricName: string; Dimensions?: Array<{ Name: string; Value: string }> } };
  }>;
}

/**
 * GetMetricData with one value a day per query, as `perDay` says for the query's dimensions; a query
 * for which it says undefined has no datapoints (zero activity for a count metric).
 */
export function dailyMetrics(
  perDay: (dimensions: ReadonlyArray<{ Name: string; Value: string }>) => number | undefined,
): FakeHandler {
  return (request) => {
    const body = request.body as unknown as MetricDataRequest;
    const days: number[] = [];
    for (let t = body.StartTime; t < body.EndTime; t += 86_400) days.push(t);
    return {
      body: {
        Messages: [],
        MetricDataResults: body.MetricDataQueries.map((query) => {
          const value = perDay(query.MetricStat.Metric.Dimensions ?? []);
          return {
            Id: query.Id,
            Label: query.MetricStat.Metric.MetricName,
            StatusCode: 'Complete',
            Timestamps: value === undefined ? [] : days,
            Values: value === undefined ? [] : days.map(() => value),
          };
        }),
      },
    };
  };
}

/** No volumes or addresses; the NAT gateways given as `<item>` XML. */
export function ec2State(server: FakeAwsServer, natGatewayItems = ''): FakeAwsServer {
  return server
    .on('DescribeVolumes', () => ({
      body: `<DescribeVolumesResponse xmlns="${EC2_NS}"><requestId>1</requestId><volumeSet/></DescribeVolumesResponse>`,
    }))
    .on('DescribeAddresses', () => ({
      body: `<DescribeAddressesResponse xmlns="${EC2_NS}"><requestId>1</requestId><addressesSet/></DescribeAddressesResponse>`,
    }))
    .on('DescribeNatGateways', () => ({
      body: `<DescribeNatGatewaysResponse xmlns="${EC2_NS}"><requestId>1</requestId><natGatewaySet>${natGatewayItems}</natGatewaySet></DescribeNatGatewaysResponse>`,
    }));
}
