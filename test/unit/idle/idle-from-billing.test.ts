import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addDaysIso, eachDay, type IsoDate } from '../../../src/core/calendar.js';
import type { ResourceUsage, ResourceUsageDay } from '../../../src/core/cost-data.js';
import { idleFromBillingExport } from '../../../src/core/idle/idle-from-billing.js';
import { windowEnding } from '../../../src/core/idle/judge-idle.js';
import { expiredPocs, recommendTeardowns } from '../../../src/core/idle/recommend.js';
import { usageKind } from '../../../src/core/idle/usage-kind.js';
import { formatMoneyExact, parseMoney, ZERO } from '../../../src/core/money.js';
import { loadPolicies } from '../../../src/policy/load-policies.js';
import { SampleCostSource } from '../../../src/sources/sample-source.js';
import { AS_OF } from './builders.js';

const $ = parseMoney;
const WINDOW = windowEnding(AS_OF, 14);
const NAT_ARN = 'arn:aws:ec2:us-east-1:111122223333:natgateway/nat-0abc';

function usage(
  resourceId: string,
  days: Record<IsoDate, Partial<Omit<ResourceUsageDay, 'date'>>>,
  extra: Partial<ResourceUsage> = {},
): ResourceUsage {
  return {
    resourceId,
    resourceType: 'NAT Gateway',
    service: 'Amazon Virtual Private Cloud',
    region: 'us-east-1',
    account: '111122223333',
    poc: 'alpha',
    tags: {},
    usageTypes: ['USE1-NatGateway-Bytes', 'USE1-NatGateway-Hours'],
    days: Object.entries(days)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, day]) => ({ date, time: ZERO, usage: ZERO, idleTime: ZERO, ...day })),
    ...extra,
  };
}

/** Every day of [from, to) with the same charges. */
function daily(from: IsoDate, to: IsoDate, day: (date: IsoDate) => Partial<Omit<ResourceUsageDay, 'date'>>) {
  return Object.fromEntries(eachDay(from, to).map((date) => [date, day(date)]));
}

const MONTH_START = addDaysIso(AS_OF, -40);
const hours = { time: $('1.08') };

describe('usageKind', () => {
  it.each([
    ['USE1-NatGateway-Hours', 'Hrs', 'time'],
    ['USE1-NatGateway-Bytes', 'GB', 'usage'],
    ['USE1-LoadBalancerUsage', 'Hrs', 'time'],
    ['USE1-LCUUsage', 'LCU-Hrs', 'usage'],
    ['USE1-PublicIPv4:InUseAddress', 'Hrs', 'time'],
    ['USE1-PublicIPv4:IdleAddress', 'Hrs', 'idle-time'],
    ['USE1-ElasticIP:IdleAddress', 'Hrs', 'idle-time'],
    ['USE1-Storage-ShardHour', 'ShardHour', 'time'],
    ['USE1-PutRequestPayloadUnits', 'PutRequestPayloadUnits', 'usage'],
    ['USE1-TimedStorage-ByteHrs', 'GB-Mo', 'time'],
    ['USE1-Request', 'Requests', 'usage'],
    ['', 'Hrs', 'time'],
    ['', '', 'usage'],
    ['SomethingNew', 'Widgets', 'usage'],
  ])('%s (%s) is %s', (usageType, unit, kind) => {
    expect(usageKind(usageType, unit)).toBe(kind);
  });
});

describe('idleFromBillingExport', () => {
  it('finds a NAT gateway billing hours with no bytes, dated from its last traffic', () => {
    const nat = usage(
      NAT_ARN,
      daily(MONTH_START, AS_OF, (date) => ({ ...hours, usage: date <= '2026-10-31' ? $('0.2') : ZERO })),
    );
    const result = idleFromBillingExport([nat], WINDOW);
    expect(result.resources).toEqual([
      {
        arn: NAT_ARN,
        type: 'ec2:natgateway',
        region: 'us-east-1',
        account: '111122223333',
        id: 'nat-0abc',
        tags: { poc: 'alpha' },
        poc: 'alpha',
      },
    ]);
    expect(result.judgements.get(NAT_ARN)).toEqual({
      idle: true,
      evidence:
        'time charges on all 14 days ($15.12, USE1-NatGateway-Hours) and no usage-based charges (USE1-NatGateway-Bytes) since 2026-11-01, in the billing export',
      idleSince: '2026-11-01',
      window: WINDOW,
    });
    // What it costs now: the 14 idle days (hours only, 15.12) scaled to 30 days; October's bytes are gone.
    expect(result.monthlyCosts.get(NAT_ARN)).toEqual({ cost: $('32.4'), source: 'billing-export' });
  });

  it('keeps a NAT gateway with traffic', () => {
    const nat = usage(
      NAT_ARN,
      daily(MONTH_START, AS_OF, () => ({ ...hours, usage: $('0.05') })),
    );
    expect(idleFromBillingExport([nat], WINDOW).judgements.get(NAT_ARN)).toEqual({
      idle: false,
      evidence: '$0.70 of usage-based charges in 14 days (USE1-NatGateway-Bytes), in the billing export',
      window: WINDOW,
    });
  });

  it('allows a load balancer a cent of LCU noise, no more', () => {
    const alb = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188';
    const quiet = usage(
      alb,
      daily(MONTH_START, AS_OF, (date) => ({
        time: $('0.54'),
        usage: date === '2026-11-10' ? $('0.008') : ZERO,
      })),
      { usageTypes: ['USE1-LCUUsage', 'USE1-LoadBalancerUsage'], resourceType: 'Load Balancer' },
    );
    const quietJudgement = idleFromBillingExport([quiet], WINDOW).judgements.get(alb);
    expect(quietJudgement).toMatchObject({ idle: true, idleSince: '2026-11-11' });
    expect(quietJudgement?.evidence).toContain('only $0.0080 of usage-based charges (USE1-LCUUsage)');
    const busy = { ...quiet, days: quiet.days.map((day) => ({ ...day, usage: $('0.05') })) };
    expect(idleFromBillingExport([busy], WINDOW).judgements.get(alb)).toMatchObject({ idle: false });
  });

  it('finds an address AWS bills as idle, whatever its resource id', () => {
    const address = usage(
      'eipalloc-0abc',
      daily(MONTH_START, AS_OF, () => ({ idleTime: $('0.12') })),
      {
        usageTypes: ['USE1-PublicIPv4:IdleAddress'],
        resourceType: 'Elastic IP',
      },
    );
    const result = idleFromBillingExport([address], WINDOW);
    const arn = 'arn:aws:ec2:us-east-1:111122223333:elastic-ip/eipalloc-0abc';
    expect(result.resources[0]).toMatchObject({ arn, type: 'ec2:elastic-ip', id: 'eipalloc-0abc' });
    expect(result.judgements.get(arn)).toMatchObject({
      idle: true,
      evidence:
        'billed only for an idle public IPv4 address on all 14 days ($1.68, USE1-PublicIPv4:IdleAddress), in the billing export',
    });
  });

  it('keeps an address in use, or idle only part of the window', () => {
    const arn = 'arn:aws:ec2:us-east-1:111122223333:elastic-ip/eipalloc-0abc';
    const inUse = usage(
      arn,
      daily(MONTH_START, AS_OF, () => ({ time: $('0.12') })),
      {
        usageTypes: ['USE1-PublicIPv4:InUseAddress'],
      },
    );
    expect(idleFromBillingExport([inUse], WINDOW).judgements.get(arn)).toEqual({
      idle: false,
      evidence: 'billed for an address in use (USE1-PublicIPv4:InUseAddress), in the billing export',
      window: WINDOW,
    });
    const lately = usage(
      arn,
      daily(MONTH_START, AS_OF, (date) => (date >= '2026-11-15' ? { idleTime: $('0.12') } : {})),
      { usageTypes: ['USE1-PublicIPv4:IdleAddress'] },
    );
    expect(idleFromBillingExport([lately], WINDOW).judgements.get(arn)).toMatchObject({
      idle: false,
      evidence: 'billed as an idle address on 4 of 14 days, in the billing export',
    });
  });

  it('does not judge what a bill cannot show', () => {
    const instance = usage(
      'i-0abc',
      daily(MONTH_START, AS_OF, () => ({ time: $('2.4') })),
      {
        usageTypes: ['USE1-BoxUsage:m5.large'],
        resourceType: 'Instance',
        service: 'Amazon Elastic Compute Cloud',
      },
    );
    const arn = 'arn:aws:ec2:us-east-1:111122223333:instance/i-0abc';
    expect(idleFromBillingExport([instance], WINDOW).judgements.get(arn)).toEqual({
      idle: false,
      insufficientData: true,
      evidence: 'a bill cannot show whether this EC2 instance is used; it billed $33.60 in 14 days',
      window: WINDOW,
    });
  });

  it('does not judge a resource first billed inside the window', () => {
    const young = usage(
      NAT_ARN,
      daily('2026-11-10', AS_OF, () => hours),
    );
    expect(idleFromBillingExport([young], WINDOW).judgements.get(NAT_ARN)).toMatchObject({
      idle: false,
      insufficientData: true,
      evidence: 'first billed 2026-11-10, less than the 14-day window ago: not judged yet',
    });
  });

  it('does not call a gateway deleted in the window idle', () => {
    const gone = usage(
      NAT_ARN,
      daily(MONTH_START, '2026-11-12', () => hours),
    );
    const other = usage(
      `${NAT_ARN}x`,
      daily(MONTH_START, AS_OF, () => ({ ...hours, usage: $('1') })),
    );
    expect(idleFromBillingExport([gone, other], WINDOW).judgements.get(NAT_ARN)).toMatchObject({
      idle: false,
      evidence:
        'billed for time on 7 of 14 days (stopped, deleted or created in the window), in the billing export',
    });
  });

  it('judges nothing when the export stops before the window ends', () => {
    const nat = usage(
      NAT_ARN,
      daily(MONTH_START, '2026-11-15', () => hours),
    );
    expect(idleFromBillingExport([nat], WINDOW).judgements.get(NAT_ARN)).toMatchObject({
      idle: false,
      insufficientData: true,
      evidence: "the export ends 2026-11-14, before the window's last day: not judged",
    });
  });

  it('leaves out untagged resources and those that billed nothing in the window', () => {
    const untagged = usage(
      NAT_ARN,
      daily(MONTH_START, AS_OF, () => hours),
      { poc: null },
    );
    const gone = usage('arn:aws:lambda:us-east-1:111122223333:function:old', {
      '2026-10-20': { usage: $('1') },
    });
    expect(idleFromBillingExport([untagged, gone], WINDOW).resources).toEqual([]);
  });

  it('carries extra tags (the protection tag) and uses the configured tag key', () => {
    const nat = usage(
      NAT_ARN,
      daily(MONTH_START, AS_OF, () => hours),
      {
        tags: { 'pocketwatch:protect': 'true' },
      },
    );
    expect(idleFromBillingExport([nat], WINDOW, { tagKey: 'project' }).resources[0]?.tags).toEqual({
      'pocketwatch:protect': 'true',
      project: 'alpha',
    });
  });
});

describe('offline idle detection on the bundled sample', () => {
  const POLICIES = fileURLToPath(new URL('../../../policies', import.meta.url));

  async function sample() {
    const source = new SampleCostSource({ resources: { tagKeys: ['pocketwatch:protect'] } });
    const dataset = await source.load({ tagKey: 'poc', start: '2026-09-01', end: source.defaultAsOf });
    const window = windowEnding(source.defaultAsOf, 14);
    return { dataset, window, result: idleFromBillingExport(dataset.resources ?? [], window) };
  }

  it("judges chatbot-poc's NAT gateway idle since the PoC expired, and checkout-redesign's busy", async () => {
    const { dataset, result } = await sample();
    expect(dataset.warnings).toEqual([]);
    const chatbot = 'arn:aws:ec2:us-east-1:111122223333:natgateway/nat-07a9f3e2c4d1b8a60';
    const checkout = 'arn:aws:ec2:us-east-1:111122223333:natgateway/nat-0c1e55a0f2b7d9e41';
    expect(result.judgements.get(chatbot)).toMatchObject({
      idle: true,
      idleSince: '2026-11-01',
      window: { start: '2026-11-05', end: '2026-11-19', days: 14 },
    });
    expect(result.judgements.get(chatbot)?.evidence).toBe(
      'time charges on all 14 days ($15.12, USE1-NatGateway-Hours) and no usage-based charges (USE1-NatGateway-Bytes) since 2026-11-01, in the billing export',
    );
    expect(result.judgements.get(checkout)).toMatchObject({ idle: false });
    expect(result.judgements.get(checkout)?.insufficientData).toBeUndefined();
    expect([...result.judgements.values()].filter((judgement) => judgement.idle)).toHaveLength(1);
    // 30 days of hours at $1.08 a day, plus the bytes billed 2026-10-20 .. 2026-10-31.
    const cost = result.monthlyCosts.get(chatbot);
    expect(cost?.source).toBe('billing-export');
    expect(formatMoneyExact(cost?.cost ?? 0n)).toBe('32.4');
  });

  it('recommends tearing down the expired chatbot-poc, keeping its excluded sessions table', async () => {
    const { result, window } = await sample();
    const loaded = await loadPolicies(POLICIES);
    const policySet = loaded.policySet;
    if (!policySet) throw new Error('bundled policies must load');
    const recommendations = recommendTeardowns({
      resources: result.resources,
      judgements: result.judgements,
      policies: policySet.policies,
      expiredPocs: expiredPocs(policySet.policies, AS_OF),
      protectTag: policySet.settings.protectTag,
      exclude: policySet.settings.exclude,
      monthlyCosts: result.monthlyCosts,
      window,
      asOf: AS_OF,
    });
    expect(recommendations).toHaveLength(1);
    const [chatbot] = recommendations;
    expect(chatbot).toMatchObject({ poc: 'chatbot-poc', reason: 'expired' });
    expect(
      chatbot?.resources.map((resource) => [resource.arn, resource.costSource, resource.idleSince]),
    ).toEqual([
      ['arn:aws:ec2:us-east-1:111122223333:natgateway/nat-07a9f3e2c4d1b8a60', 'billing-export', '2026-11-01'],
    ]);
    expect(formatMoneyExact(chatbot?.estimatedMonthlySavings ?? 0n)).toBe('32.4');
    expect(chatbot?.resources[0]?.evidence).toMatch(
      /^PoC expired 2026-10-31, 19 days before 2026-11-19; time charges/,
    );
  });
});
