import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { moneyFromNumber } from '../../../src/core/money.js';
import { loadPolicies } from '../../../src/policy/load-policies.js';

const POLICIES = fileURLToPath(new URL('../../../policies', import.meta.url));

describe('the bundled policies/ folder', () => {
  it('loads without errors or warnings', async () => {
    const result = await loadPolicies(POLICIES);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.policySet).toBeDefined();
  });

  it('reads settings.yaml first, then the policy files in name order', async () => {
    const result = await loadPolicies(POLICIES);
    const names = result.policySet?.files.map((file) => file.slice(POLICIES.length + 1));
    expect(names).toEqual([
      'settings.yaml',
      'chatbot-poc.yaml',
      'checkout-redesign.yaml',
      'image-tagging.yaml',
      'search-relevance.yaml',
      'team-pocs.yaml',
    ]);
  });

  it('produces every PoC with its budget', async () => {
    const result = await loadPolicies(POLICIES);
    const budgets = result.policySet?.policies.map((policy) => [
      policy.poc,
      policy.budget?.monthly,
      policy.budget?.dailyCap,
      policy.budget?.total,
      policy.budget?.thresholds,
    ]);
    const money = moneyFromNumber;
    expect(budgets).toEqual([
      ['chatbot-poc', money(60), undefined, undefined, [50, 80, 100]],
      ['checkout-redesign', money(120), money(15), undefined, [50, 80, 100]],
      ['image-tagging', money(100), money(10), undefined, [50, 80, 100]],
      ['search-relevance', money(200), undefined, money(600), [50, 80, 100]],
      ['invoice-ocr', money(50), undefined, money(150), [50, 80, 100]],
      ['pricing-experiment', money(40), undefined, undefined, [80, 100]],
    ]);
  });

  it('applies the settings defaults to each PoC', async () => {
    const result = await loadPolicies(POLICIES);
    const settings = result.policySet?.settings;
    expect(settings).toEqual({
      tagKey: 'poc',
      currency: 'USD',
      timeZone: 'UTC',
      costMetric: 'UnblendedCost',
      defaults: {
        thresholds: [50, 80, 100],
        expiryWarningDays: 7,
        forecastTrailingDays: 7,
        anomaly: { baselineDays: 14, minBaselineDays: 5, factor: 3, minIncrease: moneyFromNumber(5) },
      },
      protectTag: { key: 'pocketwatch:protect', value: 'true' },
      location: { file: `${POLICIES}/settings.yaml`, line: 3, column: 1 },
    });
    for (const policy of result.policySet?.policies ?? []) {
      expect(policy.anomaly).toEqual(settings?.defaults.anomaly);
      expect(policy.expiryWarningDays).toBe(7);
    }
  });

  it('keeps dates, owners, links and where each policy is written', async () => {
    const result = await loadPolicies(POLICIES);
    const [chatbot, checkout, , search, invoice, pricing] = result.policySet?.policies ?? [];
    expect(chatbot).toMatchObject({
      owners: ['alex@example.com'],
      start: '2026-09-01',
      expires: '2026-10-31',
      links: [],
      notes: 'Findings written up in the support-automation review.',
      location: { file: `${POLICIES}/chatbot-poc.yaml`, line: 2, column: 1 },
    });
    expect(checkout?.links).toEqual([
      { title: 'Experiment brief', url: 'https://wiki.example.com/poc/checkout-redesign' },
    ]);
    expect(search?.owners).toEqual(['lee@example.com', 'priya@example.com']);
    expect(invoice?.location).toEqual({ file: `${POLICIES}/team-pocs.yaml`, line: 3, column: 3 });
    expect(pricing?.location).toEqual({ file: `${POLICIES}/team-pocs.yaml`, line: 12, column: 3 });
  });
});

describe('the bundled examples of idle, exclude, accounts and pay-per-use fields', () => {
  it('reads them into the model', async () => {
    const result = await loadPolicies(POLICIES);
    const byPoc = new Map(result.policySet?.policies.map((policy) => [policy.poc, policy]));
    expect(byPoc.get('chatbot-poc')?.exclude).toEqual([
      'arn:aws:dynamodb:us-east-1:111122223333:table/chatbot-sessions',
    ]);
    expect(byPoc.get('checkout-redesign')?.accounts).toEqual(['111122223333']);
    expect(byPoc.get('checkout-redesign')?.budget?.perUse).toEqual({
      signal: {
        kind: 'metric',
        namespace: 'AWS/ApiGateway',
        metricName: 'Count',
        dimensions: { ApiName: 'checkout-api' },
        stat: 'Sum',
      },
      per: 1000,
      max: moneyFromNumber(0.5),
      windowDays: 30,
    });
    expect(byPoc.get('image-tagging')?.idle).toEqual({ 'sagemaker:endpoint': { windowDays: 3 } });
  });
});

describe('file names', () => {
  it('are the folder as given joined with each name', async () => {
    // vitest runs from the package root, like the CLI run from a project checkout.
    const result = await loadPolicies('policies');
    expect(result.policySet?.files[0]).toBe('policies/settings.yaml');
    expect(result.policySet?.policies[0]?.location.file).toBe('policies/chatbot-poc.yaml');
  });
});
