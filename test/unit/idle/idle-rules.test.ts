import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IdleRule } from '../../../src/core/idle/idle-rule.js';
import {
  IDLE_RULES,
  idleRuleFor,
  idleScanIamActions,
  idleTypeOf,
} from '../../../src/core/idle/idle-rules.js';
import {
  HOURLY_PRICES,
  monthlyFromHourly,
  sageMakerHostingPrice,
  timesUnits,
} from '../../../src/core/idle/price-table.js';
import { formatMoneyExact } from '../../../src/core/money.js';
import { DEFAULT_PER_USE_WINDOW_DAYS, DEFAULT_PROTECT_TAG } from '../../../src/policy/defaults.js';
import { ACCOUNT, REGION, resource } from './builders.js';

const REQUIRED = [
  'lambda:function',
  'apigateway:restapis',
  'apigateway:apis',
  'dynamodb:table',
  'sqs:queue',
  'sns:topic',
  'states:stateMachine',
  'ec2:natgateway',
  'elasticloadbalancing:loadbalancer/app',
  'elasticloadbalancing:loadbalancer/net',
  'rds:db',
  'rds:cluster',
  'ec2:instance',
  'ec2:volume',
  'ec2:elastic-ip',
  'sagemaker:endpoint',
  'kinesis:stream',
];

const RULES: [string, IdleRule][] = Object.entries(IDLE_RULES);

function schema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../policies/${name}`, import.meta.url), 'utf8'));
}

describe('the idle rule registry', () => {
  it('has a rule for every required resource type, each under its own type', () => {
    expect(Object.keys(IDLE_RULES).sort()).toEqual([...REQUIRED].sort());
    for (const [type, rule] of RULES) expect(rule.type).toBe(type);
  });

  it.each(RULES)('%s declares its signal, defaults, data risk and IAM actions', (_type, rule) => {
    expect(rule.label).not.toBe('');
    expect(rule.signal).not.toBe('');
    expect(rule.rationale.length).toBeGreaterThan(20);
    expect(rule.windowDays).toBeGreaterThanOrEqual(1);
    expect(rule.threshold).toBeGreaterThanOrEqual(0);
    expect(rule.iamActions.length).toBeGreaterThan(0);
    for (const action of rule.iamActions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    if (rule.kind === 'metric') {
      const keys = rule.metrics.map((metric) => metric.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const condition of rule.conditions)
        for (const key of condition.metrics) expect(keys).toContain(key);
      if (rule.probe !== undefined) expect(keys).toContain(rule.probe);
      expect(rule.iamActions).toContain('cloudwatch:GetMetricData');
      expect(rule.conditions[0]?.limit).toBe('threshold');
    }
  });

  it('marks which deletions lose data', () => {
    const holdsData = Object.fromEntries(RULES.map(([type, rule]) => [type, rule.holdsData]));
    expect(holdsData).toMatchObject({
      'dynamodb:table': true,
      'rds:db': true,
      'rds:cluster': true,
      'ec2:volume': true,
      'kinesis:stream': true,
      'lambda:function': false,
      'ec2:natgateway': false,
      'ec2:elastic-ip': false,
    });
  });

  it('uses the documented default thresholds and windows', () => {
    const defaults = Object.fromEntries(
      RULES.map(([type, rule]) => [type, [rule.threshold, rule.windowDays]]),
    );
    expect(defaults).toMatchObject({
      'lambda:function': [0, 30],
      'ec2:natgateway': [0, 14],
      'elasticloadbalancing:loadbalancer/app': [100, 7],
      'rds:db': [0, 14],
      'ec2:instance': [10, 14],
    });
  });

  it('lists the same types as policy.schema.json, so unknown types are rejected', () => {
    const definitions = schema('policy.schema.json').definitions as Record<string, { properties: object }>;
    expect(Object.keys(definitions.idle?.properties ?? {}).sort()).toEqual(Object.keys(IDLE_RULES).sort());
  });

  it('matches the defaults the schemas document', () => {
    const settings = schema('settings.schema.json').properties as Record<
      string,
      { properties: Record<string, { default: unknown }> }
    >;
    expect({
      key: settings.protectTag?.properties.key?.default,
      value: settings.protectTag?.properties.value?.default,
    }).toEqual(DEFAULT_PROTECT_TAG);
    const definitions = schema('policy.schema.json').definitions as Record<
      string,
      { properties: Record<string, { default: unknown }> }
    >;
    expect(definitions.perUse?.properties.windowDays?.default).toBe(DEFAULT_PER_USE_WINDOW_DAYS);
  });

  it('derives an IAM policy from the rules, Cloud Custodian style', () => {
    expect(idleScanIamActions()).toEqual([
      'cloudwatch:GetMetricData',
      'ec2:DescribeAddresses',
      'ec2:DescribeInstances',
      'ec2:DescribeNatGateways',
      'ec2:DescribeVolumes',
      'elasticloadbalancing:DescribeLoadBalancers',
      'kinesis:DescribeStreamSummary',
      'rds:DescribeDBClusters',
      'rds:DescribeDBInstances',
      'sagemaker:DescribeEndpoint',
      'tag:GetResources',
    ]);
    expect(idleScanIamActions([IDLE_RULES['ec2:volume']])).toEqual([
      'ec2:DescribeVolumes',
      'tag:GetResources',
    ]);
  });
});

describe('idleTypeOf', () => {
  it.each([
    ['lambda', 'function:checkout-api', 'lambda:function'],
    [
      'elasticloadbalancing',
      'loadbalancer/app/web/50dc6c495c0c9188',
      'elasticloadbalancing:loadbalancer/app',
    ],
    [
      'elasticloadbalancing',
      'loadbalancer/net/tcp/70dc6c495c0c9188',
      'elasticloadbalancing:loadbalancer/net',
    ],
    ['elasticloadbalancing', 'loadbalancer/classic-lb', undefined],
    ['sqs', 'orders', 'sqs:queue'],
    ['sns', 'alerts', 'sns:topic'],
    ['states', 'stateMachine:checkout-flow', 'states:stateMachine'],
    ['rds', 'db:orders-db', 'rds:db'],
    ['rds', 'cluster:orders', 'rds:cluster'],
    ['ec2', 'natgateway/nat-0abc', 'ec2:natgateway'],
    ['ec2', 'elastic-ip/eipalloc-0abc', 'ec2:elastic-ip'],
    ['s3', 'bucket-name', undefined],
  ])('%s %s → %s', (service, path, type) => {
    expect(idleTypeOf(resource(path, { service }))).toBe(type);
  });

  it('tells REST from HTTP APIs by their ARN path, and ignores stages', () => {
    const api = (path: string) => resource(`arn:aws:apigateway:${REGION}::${path}`);
    expect(idleTypeOf(api('/restapis/a1b2c3'))).toBe('apigateway:restapis');
    expect(idleTypeOf(api('/apis/x9y8z7'))).toBe('apigateway:apis');
    expect(idleTypeOf(api('/restapis/a1b2c3/stages/prod'))).toBeUndefined();
  });

  it('finds the rule itself', () => {
    expect(idleRuleFor(resource('natgateway/nat-0abc'))).toBe(IDLE_RULES['ec2:natgateway']);
    expect(idleRuleFor(resource(`arn:aws:s3:::bucket`))).toBeUndefined();
  });
});

describe('metric queries', () => {
  it('derive namespaces, metric names, dimensions and stats from the ARN', () => {
    const fn = resource(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:checkout-api`);
    expect(IDLE_RULES['lambda:function'].queries(fn, 'r1')).toEqual([
      {
        id: 'r1_invocations',
        namespace: 'AWS/Lambda',
        metricName: 'Invocations',
        dimensions: [{ name: 'FunctionName', value: 'checkout-api' }],
        stat: 'Sum',
        region: REGION,
      },
    ]);
    const nat = resource('natgateway/nat-0abc');
    expect(
      IDLE_RULES['ec2:natgateway'].queries(nat, 'r2').map((q) => [q.id, q.metricName, q.stat, q.dimensions]),
    ).toEqual([
      ['r2_bytesOut', 'BytesOutToDestination', 'Sum', [{ name: 'NatGatewayId', value: 'nat-0abc' }]],
      ['r2_connections', 'ActiveConnectionCount', 'Maximum', [{ name: 'NatGatewayId', value: 'nat-0abc' }]],
    ]);
    const db = resource('db:orders-db', { service: 'rds' });
    expect(IDLE_RULES['rds:db'].queries(db, 'r3')[0]).toMatchObject({
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      stat: 'Maximum',
      dimensions: [{ name: 'DBInstanceIdentifier', value: 'orders-db' }],
    });
    const alb = resource('loadbalancer/app/web/50dc6c495c0c9188', { service: 'elasticloadbalancing' });
    expect(IDLE_RULES['elasticloadbalancing:loadbalancer/app'].queries(alb, 'r4')[0]?.dimensions).toEqual([
      { name: 'LoadBalancer', value: 'app/web/50dc6c495c0c9188' },
    ]);
    const machine = resource('stateMachine:flow', { service: 'states' });
    expect(IDLE_RULES['states:stateMachine'].queries(machine, 'r5')[0]?.dimensions).toEqual([
      { name: 'StateMachineArn', value: machine.arn },
    ]);
  });

  it('name REST APIs by their Name tag and HTTP APIs by their id', () => {
    const rest = resource(`arn:aws:apigateway:${REGION}::/restapis/a1b2c3`, {
      tags: { Name: 'checkout-api' },
    });
    expect(IDLE_RULES['apigateway:restapis'].queries(rest, 'r1')[0]?.dimensions).toEqual([
      { name: 'ApiName', value: 'checkout-api' },
    ]);
    const unnamed = resource(`arn:aws:apigateway:${REGION}::/restapis/a1b2c3`);
    expect(IDLE_RULES['apigateway:restapis'].queries(unnamed, 'r1')).toEqual([]);
    const http = resource(`arn:aws:apigateway:${REGION}::/apis/x9y8z7`);
    expect(IDLE_RULES['apigateway:apis'].queries(http, 'r1')[0]?.dimensions).toEqual([
      { name: 'ApiId', value: 'x9y8z7' },
    ]);
  });

  it('have GetMetricData-valid ids for every metric rule', () => {
    for (const [, rule] of RULES) {
      for (const query of rule.queries(resource('natgateway/nat-1', { tags: { Name: 'x' } }), 'rabc123')) {
        expect(query.id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
      }
    }
  });

  it('are none for state rules', () => {
    expect(IDLE_RULES['ec2:volume'].queries(resource('volume/vol-1'), 'r1')).toEqual([]);
  });
});

describe('the price table', () => {
  const monthly = (rule: IdleRule, path: string, state = {}) => {
    const price = rule.hourlyPrice?.(resource(path), state);
    return price && formatMoneyExact(monthlyFromHourly(price));
  };

  it('prices resources billed by the hour, × 730 hours', () => {
    expect(monthly(IDLE_RULES['ec2:natgateway'], 'natgateway/nat-1')).toBe('32.85');
    expect(monthly(IDLE_RULES['elasticloadbalancing:loadbalancer/app'], 'loadbalancer/app/a/1')).toBe(
      '16.425',
    );
    expect(monthly(IDLE_RULES['elasticloadbalancing:loadbalancer/net'], 'loadbalancer/net/a/1')).toBe(
      '16.425',
    );
    expect(monthly(IDLE_RULES['ec2:elastic-ip'], 'elastic-ip/eipalloc-1')).toBe('3.65');
    expect(monthly(IDLE_RULES['kinesis:stream'], 'stream/s')).toBe('10.95');
    expect(monthly(IDLE_RULES['kinesis:stream'], 'stream/s', { shardCount: 4 })).toBe('43.8');
  });

  it('prices SageMaker endpoints only by a known instance type', () => {
    const rule = IDLE_RULES['sagemaker:endpoint'];
    expect(monthly(rule, 'endpoint/e', { instanceType: 'ml.g5.xlarge' })).toBe('1027.84');
    expect(monthly(rule, 'endpoint/e', { instanceType: 'ml.g5.xlarge', instanceCount: 2 })).toBe('2055.68');
    expect(monthly(rule, 'endpoint/e', { instanceType: 'ml.p5.48xlarge' })).toBeUndefined();
    expect(monthly(rule, 'endpoint/e')).toBeUndefined();
    expect(sageMakerHostingPrice(undefined)).toBeUndefined();
  });

  it('leaves RDS and EC2 to billing data', () => {
    expect(IDLE_RULES['rds:db'].hourlyPrice).toBeUndefined();
    expect(IDLE_RULES['rds:cluster'].hourlyPrice).toBeUndefined();
    expect(IDLE_RULES['ec2:instance'].hourlyPrice).toBeUndefined();
  });

  it('multiplies whole units only', () => {
    expect(timesUnits(HOURLY_PRICES.kinesisShard, 0)).toBe(HOURLY_PRICES.kinesisShard);
    expect(timesUnits(HOURLY_PRICES.kinesisShard, 1.5)).toBe(HOURLY_PRICES.kinesisShard);
    expect(timesUnits(HOURLY_PRICES.kinesisShard, 3).item).toBe('3 × Kinesis shard hour');
  });
});
