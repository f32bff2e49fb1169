import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applicationLoadBalancerDeleter as alb,
  networkLoadBalancerDeleter as nlb,
} from '../../../../src/teardown/deleters/load-balancer.js';
import { deleterFor } from '../../../../src/teardown/deleters.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { awsQueryError, FakeAwsServer } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, expectCode, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
const ALB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/orders-alb/50dc6c495c0c9188`;
const NLB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/net/orders-nlb/73e2d6bc24d8a067`;
const METADATA =
  '<ResponseMetadata><RequestId>6581c0ac-f39f-11e5-bb98-57895a9f70a0</RequestId></ResponseMetadata>';

function loadBalancers(arn: string, type: string) {
  return `<DescribeLoadBalancersResponse xmlns="${NS}"><DescribeLoadBalancersResult><LoadBalancers><member>
    <LoadBalancerArn>${arn}</LoadBalancerArn>
    <Scheme>internet-facing</Scheme>
    <LoadBalancerName>orders</LoadBalancerName>
    <VpcId>vpc-3ac0fb5f</VpcId>
    <CanonicalHostedZoneId>Z2P70J7EXAMPLE</CanonicalHostedZoneId>
    <CreatedTime>2025-01-10T09:00:00.000Z</CreatedTime>
    <Type>${type}</Type>
    <State><Code>active</Code></State>
    <DNSName>orders-1234567890.us-east-1.elb.amazonaws.com</DNSName>
  </member></LoadBalancers></DescribeLoadBalancersResult>${METADATA}</DescribeLoadBalancersResponse>`;
}

function tags(arn: string) {
  return `<DescribeTagsResponse xmlns="${NS}"><DescribeTagsResult><TagDescriptions><member>
    <ResourceArn>${arn}</ResourceArn>
    <Tags>
      <member><Key>poc</Key><Value>checkout</Value></member>
      <member><Key>owner</Key><Value>dana@example.com</Value></member>
    </Tags>
  </member></TagDescriptions></DescribeTagsResult>${METADATA}</DescribeTagsResponse>`;
}

function attributes(protection: boolean) {
  return `<DescribeLoadBalancerAttributesResponse xmlns="${NS}"><DescribeLoadBalancerAttributesResult><Attributes>
    <member><Key>access_logs.s3.enabled</Key><Value>false</Value></member>
    <member><Key>deletion_protection.enabled</Key><Value>${protection}</Value></member>
    <member><Key>idle_timeout.timeout_seconds</Key><Value>60</Value></member>
  </Attributes></DescribeLoadBalancerAttributesResult>${METADATA}</DescribeLoadBalancerAttributesResponse>`;
}

describe('load balancer deleters', () => {
  it('are found from the ARN for ALBs and NLBs', () => {
    expect(deleterFor(target(ALB_ARN))).toBe(alb);
    expect(deleterFor(target(NLB_ARN))).toBe(nlb);
  });

  it('describe a load balancer with its tags, deletion protection and creation date', async () => {
    server
      .on('DescribeLoadBalancers', () => ({ body: loadBalancers(ALB_ARN, 'application') }))
      .on('DescribeTags', () => ({ body: tags(ALB_ARN) }))
      .on('DescribeLoadBalancerAttributes', () => ({ body: attributes(true) }));
    const clients = clientPool();
    expect(await alb.describe(clients, target(ALB_ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
      protection: 'deletion protection is on',
      state: { createdAt: '2025-01-10T09:00:00.000Z' },
    });
    expect(server.calls('DescribeLoadBalancers')[0]?.body).toEqual({
      Action: 'DescribeLoadBalancers',
      Version: '2015-12-01',
      'LoadBalancerArns.member.1': ALB_ARN,
    });
    expect(server.calls('DescribeTags')[0]?.body).toMatchObject({ 'ResourceArns.member.1': ALB_ARN });
    expect(server.calls('DescribeLoadBalancerAttributes')[0]?.body).toMatchObject({
      LoadBalancerArn: ALB_ARN,
    });
    clients.destroy();
  });

  it('describe an unprotected NLB, and an unknown load balancer as gone', async () => {
    server
      .on('DescribeLoadBalancers', (_request, index) =>
        index === 0
          ? { body: loadBalancers(NLB_ARN, 'network') }
          : awsQueryError(400, 'LoadBalancerNotFound', `Load balancers '[${NLB_ARN}]' not found`),
      )
      .on('DescribeTags', () => ({ body: tags(NLB_ARN) }))
      .on('DescribeLoadBalancerAttributes', () => ({ body: attributes(false) }));
    const clients = clientPool();
    const live = await nlb.describe(clients, target(NLB_ARN));
    expect(live.status).toBe('present');
    expect(live.protection).toBeUndefined();
    expect(await nlb.describe(clients, target(NLB_ARN))).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('delete the load balancer by ARN; its errors carry the codes the executor matches', async () => {
    server.on('DeleteLoadBalancer', (_request, index) =>
      index === 0
        ? {
            body: `<DeleteLoadBalancerResponse xmlns="${NS}"><DeleteLoadBalancerResult/>${METADATA}</DeleteLoadBalancerResponse>`,
          }
        : index === 1
          ? awsQueryError(400, 'ResourceInUse', 'Load balancer is in use')
          : awsQueryError(400, 'LoadBalancerNotFound', 'One or more load balancers not found'),
    );
    const clients = clientPool();
    expect(await alb.delete(clients, target(ALB_ARN), DISCARD)).toEqual({});
    expect(server.calls('DeleteLoadBalancer')[0]?.body).toEqual({
      Action: 'DeleteLoadBalancer',
      Version: '2015-12-01',
      LoadBalancerArn: ALB_ARN,
    });
    await expectCode(alb, 'dependency', alb.delete(clients, target(ALB_ARN), DISCARD));
    await expectCode(alb, 'notFound', alb.delete(clients, target(ALB_ARN), DISCARD));
    clients.destroy();
  });
});
