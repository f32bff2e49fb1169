import { describe, expect, it } from 'vitest';
import { formatMoneyExact, moneyFromNumber } from '../../../src/core/money.js';
import { load, yaml } from './policy-dir.js';

describe('loadPolicies: conversion to the model', () => {
  it('turns amounts into exact Money', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        budget:
          monthly: 120.5
          dailyCap: 0.1
          total: 1234567.89
        anomaly:
          minIncrease: 0.3
      `,
    });
    const policy = result.policySet?.policies[0];
    expect(policy?.budget?.monthly).toBe(120_500_000_000_000_000_000n);
    expect(formatMoneyExact(policy?.budget?.monthly ?? 0n)).toBe('120.5');
    expect(formatMoneyExact(policy?.budget?.dailyCap ?? 0n)).toBe('0.1');
    expect(formatMoneyExact(policy?.budget?.total ?? 0n)).toBe('1234567.89');
    expect(formatMoneyExact(policy?.anomaly.minIncrease ?? 0n)).toBe('0.3');
  });

  it('builds a full policy: sorted thresholds, own and inherited settings, location', async () => {
    const result = await load({
      'settings.yaml': yaml`
        defaults:
          expiryWarningDays: 10
          anomaly:
            baselineDays: 21
            factor: 4
      `,
      'list.yaml': yaml`
        # two PoCs
        - poc: first
          owners: [a@example.com, '@b']
          description: Tries a thing.
          budget:
            monthly: 100
            thresholds: [100, 25, 75.5]
          start: 2026-09-01
          expires: 2026-12-31
          links:
            - title: Brief
              url: https://example.com/brief
          notes: Some notes.
          anomaly:
            factor: 2
            minIncrease: 1
          expiryWarningDays: 0
        - poc: second
          owners: [c]
      `,
    });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.policies).toEqual([
      {
        poc: 'first',
        owners: ['a@example.com', '@b'],
        description: 'Tries a thing.',
        budget: { monthly: moneyFromNumber(100), thresholds: [25, 75.5, 100] },
        start: '2026-09-01',
        expires: '2026-12-31',
        links: [{ title: 'Brief', url: 'https://example.com/brief' }],
        notes: 'Some notes.',
        // factor and minIncrease are the policy's own; baselineDays from settings; the rest built in.
        anomaly: { baselineDays: 21, minBaselineDays: 5, factor: 2, minIncrease: moneyFromNumber(1) },
        expiryWarningDays: 0,
        location: { file: result.at('list.yaml'), line: 2, column: 3 },
      },
      {
        poc: 'second',
        owners: ['c'],
        links: [],
        anomaly: { baselineDays: 21, minBaselineDays: 5, factor: 4, minIncrease: moneyFromNumber(5) },
        expiryWarningDays: 10,
        location: { file: result.at('list.yaml'), line: 18, column: 3 },
      },
    ]);
    // Optional keys left out of the file are absent, not undefined.
    expect(Object.keys(result.policySet?.policies[1] ?? {})).toEqual([
      'poc',
      'owners',
      'links',
      'anomaly',
      'expiryWarningDays',
      'location',
    ]);
  });

  it('gives a budget without thresholds the default thresholds, sorted', async () => {
    const result = await load({
      'settings.yaml': 'defaults:\n  thresholds: [100, 90, 50]\n',
      'a.yaml': 'poc: a\nowners: [x]\nbudget:\n  monthly: 10\n',
    });
    expect(result.policySet?.policies[0]?.budget?.thresholds).toEqual([50, 90, 100]);
    expect(result.policySet?.settings.defaults.thresholds).toEqual([50, 90, 100]);
  });

  it('leaves a PoC without a budget unbudgeted', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: [x]\nexpires: 2026-12-31\n' });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.policies[0]?.budget).toBeUndefined();
    expect(result.policySet?.policies[0]?.expires).toBe('2026-12-31');
  });

  it('keeps a quoted date and a tag value with spaces as written', async () => {
    const result = await load({ 'a.yaml': 'poc: "Checkout v2"\nowners: [x]\nstart: "2026-09-01"\n' });
    expect(result.policySet?.policies[0]).toMatchObject({ poc: 'Checkout v2', start: '2026-09-01' });
  });

  it('does not share default objects between policies', async () => {
    const result = await load({ 'a.yaml': '- poc: a\n  owners: [x]\n- poc: b\n  owners: [y]\n' });
    const [a, b] = result.policySet?.policies ?? [];
    expect(a?.anomaly).toEqual(b?.anomaly);
    expect(a?.anomaly).not.toBe(b?.anomaly);
    expect(a?.anomaly).not.toBe(result.policySet?.settings.defaults.anomaly);
  });

  it('returns no policy set while any file has an error', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: [x]\n', 'b.yaml': 'poc: b\n' });
    expect(result.errors).toHaveLength(1);
    expect(result.policySet).toBeUndefined();
  });
});
