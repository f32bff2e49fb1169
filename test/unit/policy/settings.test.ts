import { describe, expect, it } from 'vitest';
import { moneyFromNumber } from '../../../src/core/money.js';
import { defaultSettings } from '../../../src/policy/defaults.js';
import { load, yaml } from './policy-dir.js';

const POLICY = 'poc: a\nowners: [x]\n';

describe('loadPolicies: settings', () => {
  it('uses the defaults when there is no settings file', async () => {
    const result = await load({ 'a.yaml': POLICY });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.settings).toEqual(defaultSettings());
    expect(result.policySet?.settings.location).toBeUndefined();
  });

  it('overrides the defaults key by key and applies them to policies', async () => {
    const result = await load({
      'settings.yaml': yaml`
        # yaml-language-server: $schema=./settings.schema.json
        tagKey: user:project
        currency: EUR
        timeZone: Europe/Berlin
        costMetric: AmortizedCost
        defaults:
          thresholds: [100, 75]
          forecastTrailingDays: 14
          anomaly:
            factor: 2.5
            minIncrease: 10.25
      `,
      'a.yaml': POLICY,
    });
    expect(result.errors).toEqual([]);
    const settings = result.policySet?.settings;
    expect(settings).toEqual({
      tagKey: 'user:project',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      costMetric: 'AmortizedCost',
      defaults: {
        thresholds: [75, 100],
        expiryWarningDays: 7,
        forecastTrailingDays: 14,
        anomaly: { baselineDays: 14, minBaselineDays: 5, factor: 2.5, minIncrease: moneyFromNumber(10.25) },
      },
      protectTag: { key: 'pocketwatch:protect', value: 'true' },
      location: { file: result.at('settings.yaml'), line: 2, column: 1 },
    });
    expect(result.policySet?.policies[0]?.anomaly).toEqual(settings?.defaults.anomaly);
  });

  it('accepts an empty settings file with a warning', async () => {
    const result = await load({ 'settings.yaml': '# nothing yet\n', 'a.yaml': POLICY });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        file: result.at('settings.yaml'),
        line: 1,
        column: 1,
        field: '',
        message: 'file is empty; the default settings apply',
      },
    ]);
    expect(result.policySet?.settings).toEqual(defaultSettings());
  });

  it('reads settings.yml too', async () => {
    const result = await load({ 'settings.yml': 'currency: GBP\n', 'a.yaml': POLICY });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.settings.currency).toBe('GBP');
    expect(result.policySet?.files).toEqual([result.at('settings.yml'), result.at('a.yaml')]);
  });

  it('rejects a second settings file', async () => {
    const result = await load({ 'settings.yaml': 'currency: GBP\n', 'settings.yml': 'currency: EUR\n' });
    expect(result.errors).toEqual([
      {
        file: result.at('settings.yml'),
        line: 1,
        column: 1,
        field: '',
        message: `a second settings file; only ${result.at('settings.yaml')} is read, so merge the two`,
      },
    ]);
  });

  it('reports an unknown settings key with a suggestion', async () => {
    const result = await load({
      'settings.yaml': yaml`
        tagkey: project
        currency: USD
        region: us-east-1
        defaults:
          expiryWarningDay: 3
      `,
    });
    const at = result.at('settings.yaml');
    expect(result.errors).toEqual([
      {
        file: at,
        line: 1,
        column: 1,
        field: 'tagkey',
        message: 'unknown key "tagkey"',
        suggestion: 'tagKey',
      },
      {
        file: at,
        line: 3,
        column: 1,
        field: 'region',
        message: 'unknown key "region"',
        suggestion: 'regions',
      },
      {
        file: at,
        line: 5,
        column: 3,
        field: 'defaults.expiryWarningDay',
        message: 'unknown key "expiryWarningDay"',
        suggestion: 'expiryWarningDays',
      },
    ]);
    expect(result.policySet).toBeUndefined();
  });

  it('rejects a time zone that does not exist, suggesting a close one', async () => {
    const result = await load({ 'settings.yaml': 'timeZone: Europe/Londn\n' });
    expect(result.errors).toEqual([
      {
        file: result.at('settings.yaml'),
        line: 1,
        column: 11,
        field: 'timeZone',
        message: '"Europe/Londn" is not an IANA time zone such as Europe/Berlin or UTC',
        suggestion: 'Europe/London',
      },
    ]);
  });

  it('rejects a made-up time zone without a guess', async () => {
    const result = await load({ 'settings.yaml': 'timeZone: Office time\n' });
    expect(result.errors).toEqual([
      {
        file: result.at('settings.yaml'),
        line: 1,
        column: 11,
        field: 'timeZone',
        message: '"Office time" is not an IANA time zone such as Europe/Berlin or UTC',
      },
    ]);
  });

  it('checks tagKey, currency, costMetric and the numeric defaults', async () => {
    const result = await load({
      'settings.yaml': yaml`
        tagKey: "cost#centre"
        currency: usd
        costMetric: BlendedCost
        defaults:
          expiryWarningDays: -1
          forecastTrailingDays: 32
          anomaly:
            baselineDays: 91
      `,
    });
    const at = result.at('settings.yaml');
    expect(result.errors).toEqual([
      {
        file: at,
        line: 1,
        column: 9,
        field: 'tagKey',
        message: 'may only contain letters, digits, spaces and _ . : / = + - @ (AWS tag key rules)',
      },
      {
        file: at,
        line: 2,
        column: 11,
        field: 'currency',
        message: 'must be a three-letter ISO 4217 currency code in capitals, e.g. USD',
      },
      {
        file: at,
        line: 3,
        column: 13,
        field: 'costMetric',
        message:
          'must be one of UnblendedCost, AmortizedCost, NetUnblendedCost, NetAmortizedCost, not "BlendedCost"',
        suggestion: 'UnblendedCost',
      },
      {
        file: at,
        line: 5,
        column: 22,
        field: 'defaults.expiryWarningDays',
        message: 'must not be negative (it is -1)',
      },
      {
        file: at,
        line: 6,
        column: 25,
        field: 'defaults.forecastTrailingDays',
        message: 'must be at most 31 (it is 32)',
      },
      {
        file: at,
        line: 8,
        column: 19,
        field: 'defaults.anomaly.baselineDays',
        message: 'must be at most 90 (it is 91)',
      },
    ]);
  });

  it('limits tagKey to 128 characters', async () => {
    const result = await load({ 'settings.yaml': `tagKey: ${'k'.repeat(129)}\n` });
    expect(result.errors.map((issue) => [issue.field, issue.message])).toEqual([
      ['tagKey', 'must be at most 128 characters long (it has 129)'],
    ]);
  });

  it('rejects a settings file that is not a map', async () => {
    const result = await load({ 'settings.yaml': '- tagKey: poc\n' });
    expect(result.errors).toEqual([
      {
        file: result.at('settings.yaml'),
        line: 1,
        column: 1,
        field: '',
        message: 'settings must be a map of keys (tagKey:, currency:, ...), not a list',
      },
    ]);
  });

  it('warns about default thresholds without 100', async () => {
    const result = await load({ 'settings.yaml': 'defaults:\n  thresholds: [50, 90]\n', 'a.yaml': POLICY });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        file: result.at('settings.yaml'),
        line: 2,
        column: 15,
        field: 'defaults.thresholds',
        message: '[50, 90] has no 100, so spending the whole monthly budget raises no alert',
      },
    ]);
  });

  it('treats settings.yaml below the top as a policy file', async () => {
    const result = await load({ 'team/settings.yaml': 'currency: EUR\n' });
    expect(result.errors.map((issue) => [issue.file, issue.field, issue.message])).toEqual([
      [result.at('team/settings.yaml'), 'poc', 'missing required key "poc"'],
      [result.at('team/settings.yaml'), 'owners', 'missing required key "owners"'],
      [result.at('team/settings.yaml'), 'currency', 'unknown key "currency"'],
    ]);
  });
});
