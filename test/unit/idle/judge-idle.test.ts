import { describe, expect, it } from 'vitest';
import { addDaysIso, type IsoDate } from '../../../src/core/calendar.js';
import type { IdleRule } from '../../../src/core/idle/idle-rule.js';
import { IDLE_RULES, type IdleType } from '../../../src/core/idle/idle-rules.js';
import { judgePlan, planIdleScan } from '../../../src/core/idle/idle-scan.js';
import { idleQueryPrefix, judgeIdle } from '../../../src/core/idle/judge-idle.js';
import type { MetricSeries } from '../../../src/inventory/metric-query.js';
import type { TaggedResource } from '../../../src/inventory/resource.js';
import { ACCOUNT, AS_OF, DATA, everyDay, REGION, resource, seriesFor } from './builders.js';

type Metrics = Record<string, Record<IsoDate, number>>;

interface Case {
  type: IdleType;
  target: TaggedResource;
  /** A quiet month, as CloudWatch returns it (zeros, gaps, or nothing at all). */
  quiet: Metrics;
  /** The same with real use inside the rule's window. */
  busy: Metrics;
}

const lastDays = (days: number, value: number) => everyDay(addDaysIso(AS_OF, -days), AS_OF, value);
const month = (value: number) => everyDay(DATA.start, DATA.end, value);
const YESTERDAY = addDaysIso(AS_OF, -1);

const CASES: Case[] = [
  {
    type: 'lambda:function',
    target: resource(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:checkout-api`),
    // Lambda publishes Invocations only when invoked: a quiet month has no datapoints at all.
    quiet: {},
    busy: { invocations: { '2026-10-25': 3, '2026-11-12': 41 } },
  },
  {
    type: 'apigateway:restapis',
    target: resource(`arn:aws:apigateway:${REGION}::/restapis/a1b2c3`, { tags: { Name: 'checkout-api' } }),
    quiet: {},
    busy: { requests: { [YESTERDAY]: 2 } },
  },
  {
    type: 'apigateway:apis',
    target: resource(`arn:aws:apigateway:${REGION}::/apis/x9y8z7`),
    quiet: { requests: { '2026-10-30': 0 } },
    busy: { requests: { '2026-11-01': 17 } },
  },
  {
    type: 'dynamodb:table',
    target: resource('table/checkout-carts', { service: 'dynamodb' }),
    quiet: { reads: month(0), writes: month(0) },
    busy: { reads: month(0), writes: { '2026-11-03': 0.5 } },
  },
  {
    type: 'sqs:queue',
    target: resource(`arn:aws:sqs:${REGION}:${ACCOUNT}:orders`),
    // Active queues publish zeros; inactive ones stop publishing: both are quiet.
    quiet: { sent: lastDays(12, 0) },
    busy: { sent: { '2026-11-15': 5 } },
  },
  {
    type: 'sns:topic',
    target: resource(`arn:aws:sns:${REGION}:${ACCOUNT}:order-events`),
    quiet: { published: month(0) },
    busy: { published: { '2026-10-22': 1 } },
  },
  {
    type: 'states:stateMachine',
    target: resource('stateMachine:checkout-flow', { service: 'states' }),
    quiet: {},
    busy: { started: { '2026-11-02': 2 } },
  },
  {
    type: 'ec2:natgateway',
    target: resource('natgateway/nat-0c1e55a0f2b7d9e41'),
    quiet: { bytesOut: month(0), connections: month(0) },
    busy: { bytesOut: lastDays(14, 52_000_000), connections: lastDays(14, 12) },
  },
  {
    type: 'elasticloadbalancing:loadbalancer/app',
    target: resource('loadbalancer/app/web/50dc6c495c0c9188', { service: 'elasticloadbalancing' }),
    // A few stray requests a day (scanners, a forgotten uptime check) still count as idle.
    quiet: { requests: lastDays(7, 40) },
    busy: { requests: { ...lastDays(7, 40), '2026-11-14': 150 } },
  },
  {
    type: 'elasticloadbalancing:loadbalancer/net',
    target: resource('loadbalancer/net/tcp/70dc6c495c0c9188', { service: 'elasticloadbalancing' }),
    quiet: { flows: lastDays(7, 3) },
    busy: { flows: lastDays(7, 4_000) },
  },
  {
    type: 'rds:db',
    target: resource('db:orders-db', { service: 'rds' }),
    quiet: { connections: month(0) },
    busy: { connections: { ...month(0), '2026-11-16': 3 } },
  },
  {
    type: 'rds:cluster',
    target: resource('cluster:orders', { service: 'rds' }),
    quiet: { connections: month(0) },
    busy: { connections: month(1) },
  },
  {
    type: 'ec2:instance',
    target: resource('instance/i-0abc1234def567890'),
    quiet: { cpu: month(2.4), netIn: month(1_100_000), netOut: month(900_000) },
    busy: { cpu: { ...month(2.4), '2026-11-11': 37.5 }, netIn: month(1_100_000), netOut: month(900_000) },
  },
  {
    type: 'sagemaker:endpoint',
    target: resource('endpoint/tagger-gpu-test', { service: 'sagemaker' }),
    quiet: { cpu: month(0.8) },
    busy: { invocations: { '2026-11-17': 1_200 }, cpu: month(0.8) },
  },
  {
    type: 'kinesis:stream',
    target: resource('stream/clicks', { service: 'kinesis' }),
    quiet: { records: month(0) },
    busy: { records: lastDays(3, 250) },
  },
];

function judge(
  c: { type: IdleType; target: TaggedResource },
  metrics: Metrics,
  options: {
    partial?: string[];
    state?: Parameters<typeof judgeIdle>[3];
    override?: Parameters<typeof judgeIdle>[5];
  } = {},
) {
  const rule: IdleRule = IDLE_RULES[c.type];
  const series = seriesFor(rule, c.target, metrics, options.partial);
  return judgeIdle(c.target, rule, series, options.state, DATA, options.override);
}

describe('judgeIdle: every metric rule', () => {
  it.each(CASES)('$type: a quiet month is idle', (c) => {
    const judgement = judge(c, c.quiet);
    expect(judgement).toMatchObject({ idle: true });
    expect(judgement.insufficientData).toBeUndefined();
    const days = IDLE_RULES[c.type].windowDays;
    expect(judgement.window).toEqual({ start: addDaysIso(AS_OF, -days), end: AS_OF, days });
    expect(judgement.evidence).toContain(`in ${days} days`);
  });

  it.each(CASES)('$type: use in the window is not idle', (c) => {
    const judgement = judge(c, c.busy);
    expect(judgement).toMatchObject({ idle: false });
    expect(judgement.insufficientData).toBeUndefined();
    expect(judgement.idleSince).toBeUndefined();
  });

  it.each(CASES)('$type: PartialData is no proof of idleness', (c) => {
    const rule = IDLE_RULES[c.type];
    if (rule.kind !== 'metric') throw new Error('metric rules only');
    const judgement = judge(c, c.quiet, { partial: [rule.metrics[0]?.key ?? ''] });
    expect(judgement).toMatchObject({ idle: false, insufficientData: true });
    expect(judgement.evidence).toContain('partial data');
  });

  it.each(CASES)('$type: a resource younger than the window is not judged', (c) => {
    const judgement = judge(c, c.quiet, { state: { createdAt: `${addDaysIso(AS_OF, -3)}T08:15:00Z` } });
    expect(judgement).toMatchObject({ idle: false, insufficientData: true });
    expect(judgement.evidence).toMatch(/^created 2026-11-16, less than the \d+-day window ago/);
  });
});

describe('judgeIdle: evidence and edge cases', () => {
  const byType = (type: IdleType) => CASES.find((c) => c.type === type) as Case;

  it('reads like a sentence, naming the metric', () => {
    expect(judge(byType('lambda:function'), {}).evidence).toBe(
      '0 invocations in 30 days (AWS/Lambda Invocations, Sum)',
    );
    expect(judge(byType('ec2:natgateway'), byType('ec2:natgateway').quiet).evidence).toBe(
      '0 bytes out and at most 0 active connections in 14 days (AWS/NATGateway BytesOutToDestination, Sum; ActiveConnectionCount, Maximum)',
    );
    expect(judge(byType('lambda:function'), byType('lambda:function').busy).evidence).toBe(
      '44 invocations in 30 days (AWS/Lambda Invocations, Sum)',
    );
    expect(
      judge(
        byType('elasticloadbalancing:loadbalancer/app'),
        byType('elasticloadbalancing:loadbalancer/app').busy,
      ).evidence,
    ).toBe('at most 150 requests a day (limit 100) in 7 days (AWS/ApplicationELB RequestCount, Sum)');
    expect(judge(byType('ec2:instance'), byType('ec2:instance').quiet).evidence).toBe(
      'daily average CPU at most 2.4 % (limit 10 %) and at most 2 MB of network traffic a day (limit 5 MB) in 14 days (AWS/EC2 CPUUtilization, Average; NetworkIn, Sum; NetworkOut, Sum)',
    );
  });

  it('dates the quiet stretch from the day after the last activity', () => {
    // The chatbot NAT gateway: traffic until the PoC expired on 2026-10-31, nothing since.
    const nat = byType('ec2:natgateway');
    const judgement = judge(nat, {
      bytesOut: everyDay(DATA.start, AS_OF, (day) => (day <= '2026-10-31' ? 4_000_000 : 0)),
      connections: everyDay(DATA.start, AS_OF, (day) => (day <= '2026-10-31' ? 2 : 0)),
    });
    expect(judgement).toMatchObject({ idle: true, idleSince: '2026-11-01' });
    // Quiet over all the data: the evidence reaches back to its first day.
    expect(judge(nat, nat.quiet).idleSince).toBe(DATA.start);
    // A busy day before the 7-day window does not stop an ALB from being idle now.
    const alb = byType('elasticloadbalancing:loadbalancer/app');
    expect(judge(alb, { requests: { '2026-11-05': 9_000, ...lastDays(7, 12) } })).toMatchObject({
      idle: true,
      idleSince: '2026-11-06',
    });
  });

  it('counts missing days of a count metric as zero', () => {
    const queue = byType('sqs:queue');
    expect(judge(queue, { sent: { '2026-10-21': 0, '2026-11-18': 0 } })).toMatchObject({ idle: true });
  });

  it('takes activity seen in partial data as proof of use', () => {
    const fn = byType('lambda:function');
    const judgement = judge(fn, fn.busy, { partial: ['invocations'] });
    expect(judgement).toMatchObject({ idle: false });
    expect(judgement.insufficientData).toBeUndefined();
  });

  it('does not judge a gauge without datapoints (a stopped database)', () => {
    const judgement = judge(byType('rds:db'), {});
    expect(judgement).toMatchObject({ idle: false, insufficientData: true });
    expect(judgement.evidence).toBe(
      'no DatabaseConnections datapoints in 14 days (AWS/RDS DatabaseConnections, Maximum): stopped, or not publishing metrics; not judged',
    );
  });

  it('judges an instance on the days it ran', () => {
    const ec2 = byType('ec2:instance');
    const ran = (value: number) => everyDay('2026-11-10', '2026-11-14', value);
    expect(judge(ec2, { cpu: ran(1.5), netIn: ran(10_000), netOut: ran(10_000) })).toMatchObject({
      idle: true,
    });
    // Low CPU but real traffic is use.
    expect(judge(ec2, { cpu: ran(1.5), netIn: ran(80_000_000), netOut: ran(10_000) })).toMatchObject({
      idle: false,
    });
  });

  it('keeps a NAT gateway with open connections but no bytes out', () => {
    const nat = byType('ec2:natgateway');
    expect(judge(nat, { bytesOut: month(0), connections: { '2026-11-12': 1 } })).toMatchObject({
      idle: false,
    });
  });

  it('does not trust zero SageMaker invocations when the probe metric is missing too', () => {
    const judgement = judge(byType('sagemaker:endpoint'), {});
    expect(judgement).toMatchObject({ idle: false, insufficientData: true });
    expect(judgement.evidence).toContain('no CPUUtilization datapoints either');
  });

  it('does not judge a REST API whose name it cannot know', () => {
    const api = {
      type: 'apigateway:restapis' as const,
      target: resource(`arn:aws:apigateway:${REGION}::/restapis/q1`),
    };
    const judgement = judge(api, {});
    expect(judgement).toMatchObject({ idle: false, insufficientData: true });
    expect(judgement.evidence).toContain('tag the API with Name=<API name>');
  });

  it('does not judge without an answer from CloudWatch', () => {
    const fn = byType('lambda:function');
    const judgement = judgeIdle(fn.target, IDLE_RULES['lambda:function'], new Map(), undefined, DATA);
    expect(judgement).toMatchObject({ idle: false, insufficientData: true });
    expect(judgement.evidence).toBe('CloudWatch returned no series for Invocations: not judged');
  });

  it('applies threshold, window and enabled overrides', () => {
    const fn = byType('lambda:function');
    expect(judge(fn, { invocations: { '2026-11-12': 3 } }, { override: { threshold: 5 } })).toMatchObject({
      idle: true,
    });
    expect(judge(fn, fn.busy, { override: { windowDays: 5 } })).toMatchObject({
      idle: true,
      window: { start: '2026-11-14', end: AS_OF, days: 5 },
      idleSince: '2026-11-13',
    });
    expect(judge(fn, {}, { override: { enabled: false } })).toEqual({
      idle: false,
      evidence: 'the Lambda function idle rule is turned off',
      window: { start: '2026-10-20', end: AS_OF, days: 30 },
    });
    const longer = judge(fn, {}, { override: { windowDays: 45 } });
    expect(longer).toMatchObject({ idle: false, insufficientData: true });
    expect(longer.evidence).toBe('the metrics cover 30 days, fewer than the 45-day window');
  });

  it('reads the ids the caller chose', () => {
    const fn = byType('lambda:function');
    const rule = IDLE_RULES['lambda:function'];
    const series = new Map<string, MetricSeries>([
      [
        'q7_invocations',
        { id: 'q7_invocations', points: [{ timestamp: '2026-11-12T00:00:00Z', value: 4 }], complete: true },
      ],
    ]);
    expect(judgeIdle(fn.target, rule, series, undefined, DATA, {}, 'q7')).toMatchObject({ idle: false });
  });

  it('adds up finer periods into days', () => {
    const fn = byType('lambda:function');
    const rule = IDLE_RULES['lambda:function'];
    const id = `${idleQueryPrefix(fn.target.arn)}_invocations`;
    const hourly = [
      { timestamp: '2026-11-12T01:00:00Z', value: 0 },
      { timestamp: '2026-11-12T02:00:00Z', value: 2 },
      { timestamp: '2026-11-12T03:00:00Z', value: 1 },
    ];
    const judgement = judgeIdle(
      fn.target,
      rule,
      new Map([[id, { id, points: hourly, complete: true }]]),
      undefined,
      DATA,
      { threshold: 2 },
    );
    expect(judgement.evidence).toBe('3 invocations (limit 2) in 30 days (AWS/Lambda Invocations, Sum)');
  });
});

describe('judgeIdle: state rules', () => {
  const volume = resource('volume/vol-0abc');
  const address = resource('elastic-ip/eipalloc-0abc');
  const judgeState = (target: TaggedResource, rule: IdleRule, state?: Parameters<typeof judgeIdle>[3]) =>
    judgeIdle(target, rule, new Map(), state, DATA);

  it('finds an unattached EBS volume', () => {
    const rule = IDLE_RULES['ec2:volume'];
    expect(judgeState(volume, rule, { volumeState: 'available', createdAt: '2026-09-02T10:00:00Z' })).toEqual(
      {
        idle: true,
        evidence: 'attached to nothing (State=available)',
        window: { start: '2026-11-12', end: AS_OF, days: 7 },
      },
    );
    expect(judgeState(volume, rule, { volumeState: 'in-use' })).toMatchObject({
      idle: false,
      evidence: 'State=in-use',
    });
    expect(judgeState(volume, rule, { volumeState: 'available', createdAt: '2026-11-15' })).toMatchObject({
      idle: false,
      insufficientData: true,
    });
    expect(judgeState(volume, rule)).toMatchObject({
      idle: false,
      insufficientData: true,
      evidence: 'no describe data for its attachment',
    });
  });

  it('finds an Elastic IP associated with nothing', () => {
    const rule = IDLE_RULES['ec2:elastic-ip'];
    expect(judgeState(address, rule, { associated: false })).toMatchObject({
      idle: true,
      evidence: 'associated with nothing (no AssociationId)',
    });
    expect(judgeState(address, rule, { associated: true })).toMatchObject({ idle: false });
    expect(judgeState(address, rule, {})).toMatchObject({ idle: false, insufficientData: true });
  });
});

describe('planIdleScan and judgePlan', () => {
  const fn = resource(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:a`);
  const nat = resource('natgateway/nat-1');
  const volume = resource('volume/vol-1');
  const bucket = resource('arn:aws:s3:::bucket');

  it('plans one batch of queries over the longest window needed', () => {
    const plan = planIdleScan([fn, nat, volume, bucket], AS_OF);
    expect(plan.items.map((item) => item.type)).toEqual(['lambda:function', 'ec2:natgateway', 'ec2:volume']);
    expect(plan.window).toEqual({ start: '2026-10-20', end: AS_OF });
    expect(plan.queries).toHaveLength(3);
    expect(new Set(plan.queries.map((query) => query.id)).size).toBe(3);
  });

  it('honours overrides: longer windows, rules turned off, extra history', () => {
    const plan = planIdleScan([fn, nat], AS_OF, (_resource, type) =>
      type === 'lambda:function' ? { enabled: false } : { windowDays: 45 },
    );
    expect(plan.items.map((item) => item.type)).toEqual(['ec2:natgateway']);
    expect(plan.window).toEqual({ start: addDaysIso(AS_OF, -45), end: AS_OF });
    expect(planIdleScan([nat], AS_OF, undefined, 7).window.start).toBe(addDaysIso(AS_OF, -21));
  });

  it('judges every planned resource from one series map', () => {
    const plan = planIdleScan([fn, nat, volume], AS_OF);
    const series = new Map<string, MetricSeries>(
      plan.queries.map((query) => [query.id, { id: query.id, points: [], complete: true }]),
    );
    const judgements = judgePlan(plan, series, new Map([[volume.arn, { volumeState: 'in-use' }]]));
    expect([...judgements].map(([arn, judgement]) => [arn, judgement.idle])).toEqual([
      [fn.arn, true],
      [nat.arn, true],
      [volume.arn, false],
    ]);
  });
});
