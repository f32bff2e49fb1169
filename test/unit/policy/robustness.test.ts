import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultSettings } from '../../../src/policy/defaults.js';
import { policiesFromYaml } from '../../../src/policy/policy-file.js';
import type { PolicyIssue } from '../../../src/policy/policy-issue.js';
import { settingsFromYaml } from '../../../src/policy/settings-file.js';
import { parseYaml } from '../../../src/policy/yaml-file.js';

// Any value where a field belongs: the wrong type, edge numbers, junk.
const junk = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.double(),
  fc.constantFrom(0, -1, 1e300, 1e-300, 120.5, '120', '$120', '2026-02-30', '2026-09-01', 'UTC', 'Mars/Base'),
  fc.array(fc.oneof(fc.double(), fc.integer({ min: -5, max: 1200 })), { maxLength: 4 }),
);

/** Mostly a plausible value, sometimes junk, so whole valid policies are generated often too. */
const field = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: junk as fc.Arbitrary<unknown>, weight: 1 });

const amount = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 100_000_000 }).map((cents) => cents / 100), weight: 8 },
  { arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }), weight: 1 },
  { arbitrary: fc.constantFrom(1e300, 1e-300, 1e61, 5e-7), weight: 1 },
);
const date = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const thresholds = fc.uniqueArray(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 4 });
const anomaly = fc.record(
  {
    baselineDays: field(fc.integer({ min: 3, max: 90 })),
    minBaselineDays: field(fc.integer({ min: 1, max: 20 })),
    factor: field(fc.double({ min: 1.01, max: 10, noNaN: true })),
    minIncrease: field(amount),
  },
  { requiredKeys: [] },
);

const policy = fc.record(
  {
    poc: field(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/)),
    owners: field(fc.uniqueArray(fc.emailAddress(), { minLength: 1, maxLength: 3 })),
    budget: field(
      fc.record(
        {
          monthly: field(amount),
          dailyCap: field(amount),
          total: field(amount),
          thresholds: field(thresholds),
        },
        { requiredKeys: ['monthly'] },
      ),
    ),
    start: field(date),
    expires: field(date),
    links: field(
      fc.array(fc.record({ title: field(fc.string({ minLength: 1 })), url: field(fc.webUrl()) }), {
        maxLength: 2,
      }),
    ),
    anomaly: field(anomaly),
    expiryWarningDays: field(fc.integer({ min: 0, max: 90 })),
    // Now and then a key the schema does not know; undefined leaves it out of the YAML.
    unknown: fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: junk, weight: 1 }),
  },
  { requiredKeys: ['poc', 'owners'] },
);

const settings = fc.record(
  {
    tagKey: field(fc.constantFrom('poc', 'user:project', 'cost centre')),
    currency: field(fc.constantFrom('USD', 'EUR')),
    timeZone: field(fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York')),
    costMetric: field(fc.constantFrom('UnblendedCost', 'AmortizedCost')),
    defaults: field(
      fc.record(
        {
          thresholds: field(thresholds),
          expiryWarningDays: field(fc.integer({ min: 0, max: 90 })),
          forecastTrailingDays: field(fc.integer({ min: 1, max: 31 })),
          anomaly: field(anomaly),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

function expectPlaced(issues: readonly PolicyIssue[]): void {
  for (const issue of issues) {
    expect(issue.file).toBe('a.yaml');
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.column).toBeGreaterThanOrEqual(1);
    expect(issue.message).not.toBe('');
  }
  // One error per value.
  const fields = issues.map((issue) => issue.field).filter((field) => field !== '');
  expect(new Set(fields).size).toBe(fields.length);
}

describe('robustness', () => {
  it('never throws on policy files of any shape, and places every error', () => {
    let loaded = 0;
    fc.assert(
      fc.property(fc.oneof(policy, fc.array(policy, { maxLength: 3 }), junk), (data) => {
        const text = stringify(data ?? null);
        const result = policiesFromYaml(parseYaml('a.yaml', text), defaultSettings());
        expectPlaced(result.errors);
        const policies = result.entries.flatMap((entry) => (entry.policy ? [entry.policy] : []));
        if (result.errors.length === 0) expect(policies).toHaveLength(result.entries.length);
        for (const converted of policies) {
          expect(converted.budget === undefined || typeof converted.budget.monthly === 'bigint').toBe(true);
        }
        loaded += policies.length;
      }),
      // Enough runs that reaching conversion 20 times is certain, not a coin toss (about 1 in 12 reach it).
      { numRuns: 1000 },
    );
    // The generator must reach conversion, not only the error paths.
    expect(loaded).toBeGreaterThan(20);
  });

  it('never throws on settings files of any shape', () => {
    fc.assert(
      fc.property(fc.oneof(settings, junk), (data) => {
        const result = settingsFromYaml(parseYaml('a.yaml', stringify(data ?? null)));
        expectPlaced(result.errors);
        expect(typeof result.settings.defaults.anomaly.minIncrease).toBe('bigint');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text', () => {
    const yamlish = fc.string({
      unit: fc.constantFrom(...'ab: -[]{},&*!|>\'"#%@\n\t  0123.e-'.split('')),
      maxLength: 80,
    });
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string()), (text) => {
        const result = policiesFromYaml(parseYaml('a.yaml', text), defaultSettings());
        for (const issue of result.errors) expect(issue.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});
