import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { moneyFromNumber } from '../../../src/core/money.js';
import { DEFAULT_PROTECT_TAG, defaultSettings } from '../../../src/policy/defaults.js';
import { policiesFromYaml } from '../../../src/policy/policy-file.js';
import { settingsFromYaml } from '../../../src/policy/settings-file.js';
import { parseYaml } from '../../../src/policy/yaml-file.js';
import { load, yaml } from './policy-dir.js';

const POLICY = 'poc: a\nowners: [x]\n';

describe('settings: regions, protectTag, idle, exclude, teardownAccounts', () => {
  it('defaults to the pocketwatch:protect=true tag and nothing else', async () => {
    const result = await load({ 'a.yaml': POLICY });
    const settings = result.policySet?.settings;
    expect(settings?.protectTag).toEqual({ key: 'pocketwatch:protect', value: 'true' });
    expect(DEFAULT_PROTECT_TAG).toEqual(defaultSettings().protectTag);
    for (const key of ['regions', 'idle', 'exclude', 'teardownAccounts'] as const) {
      expect(settings?.[key]).toBeUndefined();
    }
  });

  it('reads every new key', async () => {
    const result = await load({
      'settings.yaml': yaml`
        regions: [us-east-1, eu-central-1]
        protectTag:
          key: keep-me
        idle:
          ec2:natgateway: { windowDays: 7, threshold: 1000 }
          sns:topic: { enabled: false }
        exclude:
          - arn:aws:s3:::shared-*
        teardownAccounts: ["111122223333"]
      `,
      'a.yaml': POLICY,
    });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.settings).toMatchObject({
      regions: ['us-east-1', 'eu-central-1'],
      // A key left out keeps its default.
      protectTag: { key: 'keep-me', value: 'true' },
      idle: { 'ec2:natgateway': { windowDays: 7, threshold: 1000 }, 'sns:topic': { enabled: false } },
      exclude: ['arn:aws:s3:::shared-*'],
      teardownAccounts: ['111122223333'],
    });
  });

  it('rejects an unknown idle type with a suggestion, and bad values, at their place', async () => {
    const result = await load({
      'settings.yaml': yaml`
        regions: [us-east, eu-west-1]
        idle:
          lambda:functions:
            windowDays: 7
          rds:db: { enabled: no }
        protectTag:
          valu: "true"
        teardownAccounts: [111122223333, "1234"]
      `,
    });
    const at = result.at('settings.yaml');
    expect(result.errors).toEqual([
      {
        file: at,
        line: 1,
        column: 11,
        field: 'regions[0]',
        message: 'must be an AWS region code such as us-east-1',
      },
      {
        file: at,
        line: 3,
        column: 3,
        field: 'idle["lambda:functions"]',
        message: 'unknown key "lambda:functions"',
        suggestion: 'lambda:function',
      },
      {
        file: at,
        line: 5,
        column: 22,
        field: 'idle["rds:db"].enabled',
        message: 'must be true or false, not the text "no"',
      },
      {
        file: at,
        line: 7,
        column: 3,
        field: 'protectTag.valu',
        message: 'unknown key "valu"',
        suggestion: 'value',
      },
      {
        file: at,
        line: 8,
        column: 20,
        field: 'teardownAccounts[0]',
        message: 'must be text, not the number 111122223333 (put it in quotes: "111122223333")',
      },
      {
        file: at,
        line: 8,
        column: 34,
        field: 'teardownAccounts[1]',
        message: 'must be a 12-digit AWS account id such as "111122223333"',
      },
    ]);
    expect(result.policySet).toBeUndefined();
  });
});

describe('policy: idle, exclude, accounts', () => {
  it('reads them, keeping key order and leaving them out when absent', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        idle:
          lambda:function: { windowDays: 60 }
        exclude: ["arn:aws:dynamodb:*:*:table/keep-*"]
        accounts: ["111122223333"]
        teardown: { data: delete }
      `,
      'b.yaml': 'poc: b\nowners: [y]\n',
    });
    expect(result.errors).toEqual([]);
    const [a, b] = result.policySet?.policies ?? [];
    expect(a).toMatchObject({
      idle: { 'lambda:function': { windowDays: 60 } },
      exclude: ['arn:aws:dynamodb:*:*:table/keep-*'],
      accounts: ['111122223333'],
      teardown: { data: 'delete' },
    });
    expect(Object.keys(a ?? {})).toEqual([
      'poc',
      'owners',
      'links',
      'anomaly',
      'expiryWarningDays',
      'idle',
      'exclude',
      'accounts',
      'teardown',
      'location',
    ]);
    expect(b && 'idle' in b).toBe(false);
  });

  it('locates errors in them', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        idle:
          ec2:natgateway:
            windowDays: 0
            threshhold: 3
        exclude: [nat-0abc]
        accounts: [12]
        teardown: { data: remove }
      `,
    });
    const at = result.at('a.yaml');
    expect(
      result.errors.map((issue) => [issue.line, issue.column, issue.field, issue.message, issue.suggestion]),
    ).toEqual([
      [5, 17, 'idle["ec2:natgateway"].windowDays', 'must be at least 1 (it is 0)', undefined],
      [6, 5, 'idle["ec2:natgateway"].threshhold', 'unknown key "threshhold"', 'threshold'],
      [7, 11, 'exclude[0]', 'must be an ARN (arn:aws:...) or an ARN pattern with * wildcards', undefined],
      [8, 12, 'accounts[0]', 'must be text, not the number 12 (put it in quotes: "12")', undefined],
      [9, 19, 'teardown.data', 'must be one of keep, delete, not "remove"', undefined],
    ]);
    expect(result.errors.every((issue) => issue.file === at)).toBe(true);
  });
});

describe('policy: budget.perUse', () => {
  it('reads a metric signal, with Sum and 30 days by default', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        budget:
          monthly: 100
          perUse:
            signal:
              namespace: AWS/ApiGateway
              metricName: Count
              dimensions: { ApiId: "a1b2c3" }
              region: eu-west-1
            per: 1000
            max: 0.25
      `,
    });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.policies[0]?.budget?.perUse).toEqual({
      signal: {
        kind: 'metric',
        namespace: 'AWS/ApiGateway',
        metricName: 'Count',
        dimensions: { ApiId: 'a1b2c3' },
        stat: 'Sum',
        region: 'eu-west-1',
      },
      per: 1000,
      max: moneyFromNumber(0.25),
      windowDays: 30,
    });
  });

  it('reads a resource signal', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        budget:
          monthly: 100
          perUse: { signal: { resource: checkout-api }, per: 100, max: 1, windowDays: 7 }
      `,
    });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.policies[0]?.budget?.perUse).toEqual({
      signal: { kind: 'resource', resource: 'checkout-api' },
      per: 100,
      max: moneyFromNumber(1),
      windowDays: 7,
    });
  });

  it('rejects a signal that is both, or neither, or half a metric', async () => {
    const result = await load({
      'list.yaml': yaml`
        - poc: a
          owners: [x]
          budget:
            monthly: 1
            perUse:
              signal: { resource: fn, metricName: Invocations }
              per: 0
              max: -1
        - poc: b
          owners: [x]
          budget:
            monthly: 1
            perUse:
              signal: {}
              per: 1
              max: 1
        - poc: c
          owners: [x]
          budget:
            monthly: 1
            perUse:
              signal:
                namespace: AWS/Lambda
                dimensions: { FunctionName: 42 }
              per: 1
              max: 1
      `,
    });
    expect(result.errors.map((issue) => [issue.line, issue.column, issue.field, issue.message])).toEqual([
      [
        6,
        31,
        '[0].budget.perUse.signal.metricName',
        'give either resource or a metric (metricName), not both',
      ],
      [7, 12, '[0].budget.perUse.per', 'must be greater than 0 (it is 0)'],
      [8, 12, '[0].budget.perUse.max', 'must not be negative (it is -1)'],
      [
        14,
        15,
        '[1].budget.perUse.signal',
        'must name what to count: resource (an ARN or name), or namespace and metricName',
      ],
      [
        22,
        7,
        '[2].budget.perUse.signal.metricName',
        'missing required key "metricName" (a metric signal needs namespace and metricName)',
      ],
      [
        24,
        37,
        '[2].budget.perUse.signal.dimensions.FunctionName',
        'must be text, not the number 42 (put it in quotes: "42")',
      ],
    ]);
  });

  it('warns that a non-count statistic does not count use', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        budget:
          monthly: 1
          perUse:
            signal: { namespace: AWS/EC2, metricName: CPUUtilization, stat: Average }
            per: 1
            max: 1
      `,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((issue) => [issue.line, issue.column, issue.field])).toEqual([
      [6, 69, 'budget.perUse.signal.stat'],
    ]);
  });
});

describe('robustness of the new fields', () => {
  const junk = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constantFrom(
      0,
      -1,
      1e300,
      '111122223333',
      111122223333,
      'arn:aws:s3:::a*',
      'us-east-1',
      'lambda:function',
    ),
  );
  const override = fc.record(
    {
      threshold: fc.oneof(fc.nat(), junk),
      windowDays: fc.oneof(fc.integer({ min: 0, max: 100 }), junk),
      enabled: fc.oneof(fc.boolean(), junk),
    },
    { requiredKeys: [] },
  );
  const idle = fc.dictionary(
    fc.constantFrom('lambda:function', 'ec2:natgateway', 'lamda:function', 'x'),
    override,
  );
  const signal = fc.record(
    {
      resource: fc.oneof(fc.string(), junk),
      namespace: fc.oneof(fc.constant('AWS/Lambda'), junk),
      metricName: fc.oneof(fc.constant('Invocations'), junk),
      dimensions: fc.oneof(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string()), junk),
      stat: fc.oneof(fc.constantFrom('Sum', 'Average', 'Median'), junk),
      region: fc.oneof(fc.constantFrom('us-east-1', 'moon-1'), junk),
    },
    { requiredKeys: [] },
  );
  const perUse = fc.record(
    {
      signal: fc.oneof(signal, junk),
      per: fc.oneof(fc.double(), junk),
      max: fc.oneof(fc.double(), junk),
      windowDays: fc.oneof(fc.nat(), junk),
    },
    { requiredKeys: [] },
  );

  it('never throws and places every error', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            idle: fc.oneof(idle, junk),
            exclude: fc.oneof(fc.array(fc.constantFrom('arn:aws:s3:::a*', 'nat-1', '')), junk),
            accounts: fc.oneof(fc.array(fc.constantFrom('111122223333', '1')), junk),
            perUse: fc.oneof(perUse, junk),
          },
          { requiredKeys: [] },
        ),
        ({ perUse: budgetPerUse, ...rest }) => {
          const data = { poc: 'a', owners: ['x'], budget: { monthly: 1, perUse: budgetPerUse }, ...rest };
          const policy = policiesFromYaml(parseYaml('a.yaml', stringify(data)), defaultSettings());
          const settings = settingsFromYaml(
            parseYaml('s.yaml', stringify({ ...rest, regions: ['us-east-1'] })),
          );
          for (const issue of [...policy.errors, ...settings.errors]) {
            expect(issue.line).toBeGreaterThanOrEqual(1);
            expect(issue.message).not.toBe('');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
