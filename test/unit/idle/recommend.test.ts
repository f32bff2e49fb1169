import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IdleJudgement } from '../../../src/core/idle/idle-rule.js';
import { windowEnding } from '../../../src/core/idle/judge-idle.js';
import {
  expiredPocs,
  monthlyCostOf,
  type ResourceMonthlyCost,
  recommendationId,
  recommendTeardowns,
  type TeardownInput,
} from '../../../src/core/idle/recommend.js';
import {
  arnMatches,
  idleOverrideFor,
  isExcluded,
  isProtected,
} from '../../../src/core/idle/resource-filters.js';
import { formatMoneyExact, parseMoney } from '../../../src/core/money.js';
import type { TaggedResource } from '../../../src/inventory/resource.js';
import { DEFAULT_PROTECT_TAG } from '../../../src/policy/defaults.js';
import { testPolicy } from '../core/builders.js';
import { AS_OF, resource } from './builders.js';

const WINDOW = windowEnding(AS_OF, 14);
const $ = parseMoney;

const natA = resource('natgateway/nat-aaa', { poc: 'alpha' });
const natB = resource('natgateway/nat-bbb', { poc: 'alpha' });
const fnA = resource('function:alpha-api', { poc: 'alpha', service: 'lambda' });
const tableA = resource('table/alpha-data', { poc: 'alpha', service: 'dynamodb' });
const natOld = resource('natgateway/nat-old', { poc: 'old' });
const tableOld = resource('table/old-data', { poc: 'old', service: 'dynamodb' });
const fnOld = resource('function:old-api', { poc: 'old', service: 'lambda' });

const idle = (evidence = '0 bytes out in 14 days', idleSince = '2026-11-01'): IdleJudgement => ({
  idle: true,
  evidence,
  idleSince,
  window: WINDOW,
});
const busy: IdleJudgement = { idle: false, evidence: '9 GB out in 14 days', window: WINDOW };

function input(overrides: Partial<TeardownInput> = {}): TeardownInput {
  return {
    resources: [natA, natB, fnA, tableA, natOld, tableOld, fnOld],
    judgements: new Map([
      [natA.arn, idle()],
      [natB.arn, busy],
      [fnA.arn, idle('0 invocations in 30 days (AWS/Lambda Invocations, Sum)', '2026-10-10')],
      [natOld.arn, idle()],
      [fnOld.arn, busy],
    ]),
    policies: [testPolicy('alpha'), testPolicy('old', { expires: '2026-10-31' })],
    expiredPocs: ['old'],
    protectTag: DEFAULT_PROTECT_TAG,
    monthlyCosts: new Map<string, ResourceMonthlyCost>([
      [natA.arn, { cost: $('33.1234567891'), source: 'cost-explorer-resource' }],
      [fnA.arn, { cost: $('0.0000012'), source: 'billing-export' }],
      [tableOld.arn, { cost: $('0.31'), source: 'billing-export' }],
    ]),
    window: WINDOW,
    asOf: AS_OF,
    ...overrides,
  };
}

const arns = (list: readonly { arn: string }[]) => list.map((item) => item.arn);

describe('recommendTeardowns', () => {
  it('proposes the idle resources of a PoC, and every resource of an expired one', () => {
    const recommendations = recommendTeardowns(input());
    expect(recommendations.map((r) => [r.poc, r.reason, arns(r.resources)])).toEqual([
      // 32.85 (price table) + 0.31 + 0 for old, then 33.1234567891 + 0.0000012 for alpha.
      ['old', 'expired', [natOld.arn, tableOld.arn, fnOld.arn]],
      ['alpha', 'idle', [natA.arn, fnA.arn]],
    ]);
  });

  it('describes each resource with its evidence, window, cost and data risk', () => {
    const [old, alpha] = recommendTeardowns(input());
    expect(alpha?.resources[0]).toEqual({
      arn: natA.arn,
      type: 'ec2:natgateway',
      region: 'us-east-1',
      account: '111122223333',
      idleSince: '2026-11-01',
      window: WINDOW,
      evidence: '0 bytes out in 14 days',
      monthlyCost: $('33.1234567891'),
      costSource: 'cost-explorer-resource',
      holdsData: false,
    });
    expect(old?.resources.map((r) => [r.evidence, r.holdsData, r.idleSince])).toEqual([
      ['PoC expired 2026-10-31, 19 days before 2026-11-19; 0 bytes out in 14 days', false, '2026-11-01'],
      ['PoC expired 2026-10-31, 19 days before 2026-11-19; activity not read', true, undefined],
      ['PoC expired 2026-10-31, 19 days before 2026-11-19; 9 GB out in 14 days', false, undefined],
    ]);
  });

  it('sums savings exactly', () => {
    const [old, alpha] = recommendTeardowns(input());
    expect(formatMoneyExact(alpha?.estimatedMonthlySavings ?? 0n)).toBe('33.1234579891');
    expect(formatMoneyExact(old?.estimatedMonthlySavings ?? 0n)).toBe('33.16');
  });

  it('falls back to the price table, then to 0 marked unknown', () => {
    const [old] = recommendTeardowns(input());
    expect(old?.resources.map((r) => [r.arn, formatMoneyExact(r.monthlyCost), r.costSource])).toEqual([
      [natOld.arn, '32.85', 'price-table'],
      [tableOld.arn, '0.31', 'billing-export'],
      [fnOld.arn, '0', 'unknown'],
    ]);
    // The table is in USD: another currency gets no made-up figure.
    const euro = recommendTeardowns(input({ currency: 'EUR' })).find((r) => r.poc === 'old');
    expect(euro?.resources.find((r) => r.arn === natOld.arn)).toMatchObject({
      monthlyCost: 0n,
      costSource: 'unknown',
    });
  });

  it('keeps its id while the resource set is the same, and changes it with the set', () => {
    const alphaId = (recommendations: { poc: string; id: string }[]) =>
      recommendations.find((r) => r.poc === 'alpha')?.id;
    const first = recommendTeardowns(input());
    const again = recommendTeardowns(input({ resources: [...input().resources].reverse() }));
    expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(alphaId(first)).toMatch(/^[0-9a-f]{16}$/);
    expect(alphaId(first)).toBe(recommendationId('alpha', [fnA.arn, natA.arn]));

    const natBIdle = new Map(input().judgements).set(natB.arn, idle());
    expect(alphaId(recommendTeardowns(input({ judgements: natBIdle })))).not.toBe(alphaId(first));
    // Costs and evidence do not change the id: only the PoC and the exact ARN set do.
    expect(alphaId(recommendTeardowns(input({ monthlyCosts: new Map() })))).toBe(alphaId(first));
    expect(recommendationId('beta', [fnA.arn, natA.arn])).not.toBe(alphaId(first));
  });

  it('never proposes a protected resource', () => {
    const protectedNat = { ...natA, tags: { ...natA.tags, 'pocketwatch:protect': 'True ' } };
    const protectedOld = { ...tableOld, tags: { ...tableOld.tags, 'pocketwatch:protect': 'true' } };
    const recommendations = recommendTeardowns(
      input({ resources: [protectedNat, natB, fnA, tableA, natOld, protectedOld, fnOld] }),
    );
    const proposed = recommendations.flatMap((r) => arns(r.resources));
    expect(proposed).not.toContain(natA.arn);
    expect(proposed).not.toContain(tableOld.arn);
    // A custom protection tag from settings.
    const custom = { ...fnA, tags: { ...fnA.tags, keep: 'yes' } };
    const withCustom = recommendTeardowns(
      input({ resources: [natA, custom], protectTag: { key: 'keep', value: 'yes' } }),
    );
    expect(withCustom.flatMap((r) => arns(r.resources))).toEqual([natA.arn]);
  });

  it('never proposes an excluded resource, by settings or by policy, ARN or glob', () => {
    const bySettings = recommendTeardowns(input({ exclude: ['arn:aws:ec2:*:*:natgateway/*'] }));
    expect(bySettings.flatMap((r) => arns(r.resources))).toEqual([tableOld.arn, fnOld.arn, fnA.arn]);
    const byPolicy = recommendTeardowns(
      input({
        policies: [
          testPolicy('alpha', { exclude: [fnA.arn] }),
          testPolicy('old', { expires: '2026-10-31', exclude: ['arn:aws:dynamodb:us-east-1:*:table/old-*'] }),
        ],
      }),
    );
    expect(byPolicy.flatMap((r) => arns(r.resources))).toEqual([natA.arn, natOld.arn, fnOld.arn]);
  });

  it('leaves out resources outside the accounts a policy is scoped to', () => {
    const elsewhere = {
      ...fnA,
      account: '999999999999',
      arn: fnA.arn.replace('111122223333', '999999999999'),
    };
    const recommendations = recommendTeardowns(
      input({
        resources: [natA, elsewhere],
        judgements: new Map([
          [natA.arn, idle()],
          [elsewhere.arn, idle()],
        ]),
        policies: [testPolicy('alpha', { accounts: ['111122223333'] })],
        expiredPocs: [],
      }),
    );
    expect(recommendations.flatMap((r) => arns(r.resources))).toEqual([natA.arn]);
  });

  it('proposes nothing for a PoC without idle resources', () => {
    expect(recommendTeardowns(input({ resources: [natB, tableA], expiredPocs: [] }))).toEqual([]);
  });

  it('proposes an expired PoC even without a policy file entry for the date', () => {
    const [recommendation] = recommendTeardowns(
      input({ resources: [natOld], policies: [], expiredPocs: ['old'] }),
    );
    expect(recommendation).toMatchObject({ poc: 'old', reason: 'expired' });
    expect(recommendation?.resources[0]?.evidence).toBe('0 bytes out in 14 days');
  });

  it('orders by savings, then PoC, whatever the input order', () => {
    const nat = (poc: string) => resource(`natgateway/nat-${poc}`, { poc });
    const resources = ['zeta', 'beta', 'alpha'].map(nat);
    const judgements = new Map(resources.map((r) => [r.arn, idle()]));
    const costs = new Map<string, ResourceMonthlyCost>([
      [nat('beta').arn, { cost: $('5'), source: 'billing-export' }],
      [nat('zeta').arn, { cost: $('5'), source: 'billing-export' }],
      [nat('alpha').arn, { cost: $('1'), source: 'billing-export' }],
    ]);
    const order = recommendTeardowns(
      input({ resources, judgements, monthlyCosts: costs, policies: [], expiredPocs: [] }),
    ).map((r) => r.poc);
    expect(order).toEqual(['beta', 'zeta', 'alpha']);
  });
});

describe('recommendationId (property)', () => {
  const arnSet = fc.uniqueArray(
    fc.stringMatching(/^arn:aws:ec2:us-east-1:1:natgateway\/nat-[0-9a-f]{1,6}$/),
    {
      minLength: 1,
      maxLength: 8,
    },
  );

  it('ignores order and duplicates, and changes when any ARN is added or removed', () => {
    fc.assert(
      fc.property(arnSet, fc.nat(), (arns, seed) => {
        const id = recommendationId('alpha', arns);
        const turn = seed % arns.length;
        const shuffled = [...arns.slice(turn), ...arns.slice(0, turn)].reverse();
        expect(recommendationId('alpha', [...shuffled, ...arns])).toBe(id);
        expect(recommendationId('alpha', [...arns, 'arn:aws:ec2:us-east-1:1:natgateway/nat-extra'])).not.toBe(
          id,
        );
        if (arns.length > 1) expect(recommendationId('alpha', arns.slice(1))).not.toBe(id);
      }),
      { numRuns: 200 },
    );
  });
});

describe('helpers', () => {
  it('expiredPocs: the day after `expires` on', () => {
    const policies = [
      testPolicy('a', { expires: '2026-11-18' }),
      testPolicy('b', { expires: '2026-11-19' }),
      testPolicy('c'),
    ];
    expect(expiredPocs(policies, AS_OF)).toEqual(['a']);
  });

  it('monthlyCostOf prefers what the caller knows', () => {
    const known = new Map<string, ResourceMonthlyCost>([
      [natA.arn, { cost: $('12'), source: 'billing-export' }],
    ]);
    expect(monthlyCostOf(natA, known, undefined)).toEqual({
      monthlyCost: $('12'),
      costSource: 'billing-export',
    });
    expect(monthlyCostOf(natB, known, undefined)).toEqual({
      monthlyCost: $('32.85'),
      costSource: 'price-table',
    });
    const endpoint: TaggedResource = resource('endpoint/e', { service: 'sagemaker' });
    expect(monthlyCostOf(endpoint, known, { instanceType: 'ml.g5.xlarge' }).costSource).toBe('price-table');
    expect(monthlyCostOf(endpoint, known, undefined)).toEqual({ monthlyCost: 0n, costSource: 'unknown' });
  });

  it('isProtected compares values loosely and keys exactly', () => {
    expect(isProtected({ tags: { 'pocketwatch:protect': ' TRUE' } }, DEFAULT_PROTECT_TAG)).toBe(true);
    expect(isProtected({ tags: { 'pocketwatch:protect': 'false' } }, DEFAULT_PROTECT_TAG)).toBe(false);
    expect(isProtected({ tags: { 'Pocketwatch:Protect': 'true' } }, DEFAULT_PROTECT_TAG)).toBe(false);
  });

  it('arnMatches treats * as any text and everything else literally', () => {
    expect(arnMatches('arn:aws:s3:::shared-logs', 'arn:aws:s3:::shared-*')).toBe(true);
    expect(arnMatches('arn:aws:ec2:us-east-1:1:natgateway/nat-1', 'arn:aws:ec2:*:natgateway/*')).toBe(true);
    expect(arnMatches('arn:aws:s3:::sharedXlogs', 'arn:aws:s3:::shared.logs')).toBe(false);
    expect(arnMatches('arn:aws:s3:::a', 'arn:aws:s3:::a')).toBe(true);
    expect(arnMatches('arn:aws:s3:::ab', 'arn:aws:s3:::a')).toBe(false);
    expect(isExcluded('arn:aws:s3:::a', undefined)).toBe(false);
  });

  it('idleOverrideFor: the policy over settings, key by key', () => {
    expect(
      idleOverrideFor(
        'ec2:natgateway',
        { 'ec2:natgateway': { threshold: 1000, windowDays: 7 } },
        { 'ec2:natgateway': { windowDays: 30 } },
      ),
    ).toEqual({ threshold: 1000, windowDays: 30 });
    expect(idleOverrideFor('ec2:natgateway', undefined, undefined)).toEqual({});
  });
});
