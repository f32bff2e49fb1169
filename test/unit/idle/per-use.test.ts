import { describe, expect, it } from 'vitest';
import {
  describeSignal,
  evaluatePerUse,
  perUseAlert,
  perUseQuery,
  perUseUsage,
  perUseWindow,
} from '../../../src/core/idle/per-use.js';
import { formatMoneyExact, parseMoney } from '../../../src/core/money.js';
import type { PerUseBudget } from '../../../src/policy/model.js';
import { ACCOUNT, AS_OF, points, REGION, resource } from './builders.js';

const $ = parseMoney;

const API_BUDGET: PerUseBudget = {
  signal: {
    kind: 'metric',
    namespace: 'AWS/ApiGateway',
    metricName: 'Count',
    dimensions: { ApiId: 'abc123' },
    stat: 'Sum',
  },
  per: 1000,
  max: $('0.5'),
  windowDays: 30,
};

describe('evaluatePerUse', () => {
  it('divides exactly: cost × per / use', () => {
    const report = evaluatePerUse($('12.34'), 30_000, API_BUDGET);
    expect(formatMoneyExact(report.costPerUnit ?? 0n)).toBe('0.411333333333333333');
    expect(report).toMatchObject({
      signal: 'AWS/ApiGateway Count (ApiId=abc123)',
      windowDays: 30,
      cost: $('12.34'),
      usage: 30_000,
      per: 1000,
      max: $('0.5'),
      breached: false,
    });
  });

  it('is breached above the maximum, not at it', () => {
    expect(evaluatePerUse($('15'), 30_000, API_BUDGET).breached).toBe(false);
    expect(evaluatePerUse($('15.00000000000003'), 30_000, API_BUDGET).breached).toBe(true);
  });

  it('treats cost without any use as a breach, and no cost and no use as none', () => {
    const spent = evaluatePerUse($('3'), 0, API_BUDGET);
    expect(spent.costPerUnit).toBeUndefined();
    expect(spent.breached).toBe(true);
    expect(evaluatePerUse(0n, 0, API_BUDGET).breached).toBe(false);
  });

  it('takes fractional use (a Sum of averages, a small per)', () => {
    const report = evaluatePerUse($('1'), 2.5, { ...API_BUDGET, per: 1 });
    expect(formatMoneyExact(report.costPerUnit ?? 0n)).toBe('0.4');
  });
});

describe('perUseAlert', () => {
  const window = perUseWindow(API_BUDGET, AS_OF);

  it('uses the window ending the day before the as-of day', () => {
    expect(window).toEqual({ start: '2026-10-20', end: AS_OF, days: 30 });
  });

  it('raises a warning with a stable id per window end', () => {
    const report = evaluatePerUse($('30'), 40_000, API_BUDGET);
    expect(perUseAlert('checkout', report, window, 'USD')).toEqual({
      id: 'checkout:per-use:2026-11-18',
      poc: 'checkout',
      kind: 'per-use',
      severity: 'warning',
      message:
        'checkout cost $0.7500 per 1,000 units of use in the last 30 days ($30.00 for 40,000, AWS/ApiGateway Count (ApiId=abc123)), above its limit of $0.5000 per 1,000',
      date: '2026-11-18',
      amount: $('0.75'),
      limit: $('0.5'),
    });
  });

  it('says so when there was no use at all', () => {
    const alert = perUseAlert('checkout', evaluatePerUse($('4.2'), 0, API_BUDGET), window, 'USD');
    expect(alert?.message).toBe(
      'checkout cost $4.20 in 30 days with no use at all (AWS/ApiGateway Count (ApiId=abc123)); its pay-per-use limit is $0.5000 per 1,000',
    );
    expect(alert?.amount).toBe($('4.2'));
  });

  it('stays quiet within the budget', () => {
    expect(
      perUseAlert('checkout', evaluatePerUse($('1'), 40_000, API_BUDGET), window, 'USD'),
    ).toBeUndefined();
  });
});

describe('perUseQuery', () => {
  it('turns a metric signal into a GetMetricData query, in the run region by default', () => {
    expect(perUseQuery(API_BUDGET, { id: 'pu_checkout', defaultRegion: 'eu-west-1' })).toEqual({
      query: {
        id: 'pu_checkout',
        namespace: 'AWS/ApiGateway',
        metricName: 'Count',
        dimensions: [{ name: 'ApiId', value: 'abc123' }],
        stat: 'Sum',
        region: 'eu-west-1',
      },
      signal: 'AWS/ApiGateway Count (ApiId=abc123)',
    });
    const elsewhere: PerUseBudget = {
      ...API_BUDGET,
      signal: { ...API_BUDGET.signal, region: 'us-west-2' } as PerUseBudget['signal'],
    };
    const result = perUseQuery(elsewhere, { id: 'pu', defaultRegion: 'eu-west-1' });
    expect('query' in result && result.query.region).toBe('us-west-2');
  });

  it("uses the first metric of a resource's idle rule, by ARN or by name", () => {
    const fn = resource(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:checkout-api`);
    const byArn: PerUseBudget = { ...API_BUDGET, signal: { kind: 'resource', resource: fn.arn } };
    expect(perUseQuery(byArn, { id: 'pu1', defaultRegion: REGION })).toEqual({
      query: {
        id: 'pu1',
        namespace: 'AWS/Lambda',
        metricName: 'Invocations',
        dimensions: [{ name: 'FunctionName', value: 'checkout-api' }],
        stat: 'Sum',
        region: REGION,
      },
      signal: 'AWS/Lambda Invocations (FunctionName=checkout-api)',
    });
    const byName: PerUseBudget = { ...API_BUDGET, signal: { kind: 'resource', resource: 'checkout-api' } };
    const result = perUseQuery(byName, { id: 'pu2', defaultRegion: REGION, resources: [fn] });
    expect('query' in result && result.query.dimensions).toEqual([
      { name: 'FunctionName', value: 'checkout-api' },
    ]);
  });

  it('explains what it cannot count', () => {
    const budget = (ref: string): PerUseBudget => ({
      ...API_BUDGET,
      signal: { kind: 'resource', resource: ref },
    });
    expect(perUseQuery(budget('nope'), { id: 'p', defaultRegion: REGION, resources: [] })).toEqual({
      problem: 'no resource of this PoC is named nope',
    });
    const volume = resource('volume/vol-1');
    expect(perUseQuery(budget(volume.arn), { id: 'p', defaultRegion: REGION })).toEqual({
      problem: `${volume.arn} has no activity metric to count use with (ec2:volume)`,
    });
    const rest = `arn:aws:apigateway:${REGION}::/restapis/q1`;
    const unnamed = perUseQuery(budget(rest), { id: 'p', defaultRegion: REGION });
    expect('problem' in unnamed && unnamed.problem).toContain('tag the API with Name=<API name>');
  });

  it('describes signals from the budget alone', () => {
    expect(describeSignal(API_BUDGET)).toBe('AWS/ApiGateway Count (ApiId=abc123)');
    const fnArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:a`;
    expect(describeSignal({ ...API_BUDGET, signal: { kind: 'resource', resource: fnArn } })).toBe(
      `AWS/Lambda Invocations of ${fnArn}`,
    );
    expect(describeSignal({ ...API_BUDGET, signal: { kind: 'resource', resource: 'a' } })).toBe(
      'activity of a',
    );
  });
});

describe('perUseUsage', () => {
  it('sums the datapoints inside the window and passes on completeness', () => {
    const window = perUseWindow({ ...API_BUDGET, windowDays: 7 }, AS_OF);
    const series = {
      id: 'pu',
      points: points({ '2026-11-01': 1_000, '2026-11-12': 250, '2026-11-18': 750 }),
      complete: false,
    };
    expect(perUseUsage(series, window)).toEqual({ usage: 1_000, complete: false });
    expect(perUseUsage(undefined, window)).toEqual({ usage: 0, complete: false });
  });
});
