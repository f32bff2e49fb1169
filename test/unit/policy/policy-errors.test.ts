import { describe, expect, it } from 'vitest';
import { load, yaml } from './policy-dir.js';

describe('loadPolicies: YAML problems', () => {
  it('reports a syntax error at the parser position and skips the file', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [a@example.com
        budget:
          monthly: 10
      `,
    });
    expect(result.policySet).toBeUndefined();
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 3,
        column: 1,
        field: '',
        message:
          'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
  });

  it('reports tabs used as indentation', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: [x]\nbudget:\n\tmonthly: 10\n' });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 4,
        column: 1,
        field: '',
        message: 'YAML syntax error: Tabs are not allowed as indentation',
      },
    ]);
  });

  it('explains that --- separated documents are not supported', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: [x]\n---\npoc: b\nowners: [y]\n' });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: result.at('a.yaml'), line: 3, column: 1, field: '' });
    expect(result.errors[0]?.message).toContain('list several PoCs');
  });

  it('reports a duplicate key at the second occurrence, naming the first line', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        budget:
          monthly: 10
          dailyCap: 2
          monthly: 20
      `,
    });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 6,
        column: 3,
        field: 'budget.monthly',
        message: 'duplicate key "monthly" (first set on line 4)',
      },
    ]);
  });

  it('reports a duplicate key inside a list item with the item index', async () => {
    const result = await load({
      'list.yaml': yaml`
        - poc: a
          owners: [x]
        - poc: b
          owners: [y]
          poc: c
      `,
    });
    expect(result.errors).toEqual([
      {
        file: result.at('list.yaml'),
        line: 5,
        column: 3,
        field: '[1].poc',
        message: 'duplicate key "poc" (first set on line 3)',
      },
    ]);
  });

  it('reports an alias without an anchor', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: *team\n' });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 2,
        column: 9,
        field: 'owners',
        message: 'unknown alias *team: no &team anchor before it',
      },
    ]);
  });

  it('follows anchors and aliases that resolve', async () => {
    const result = await load({
      'a.yaml': yaml`
        - poc: a
          owners: &team [x@example.com]
        - poc: b
          owners: *team
      `,
    });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.policies.map((policy) => policy.owners)).toEqual([
      ['x@example.com'],
      ['x@example.com'],
    ]);
  });
  it('counts lines and columns the same with CRLF line ends and a byte-order mark', async () => {
    const result = await load({
      'crlf.yaml': 'poc: a\r\nowners: [x]\r\nbudget:\r\n  monthy: 1\r\n',
      'bom.yaml': '\uFEFFpoc: b\nowners: [x]\nbudget:\n  monthy: 1\n',
    });
    expect(result.errors.map((issue) => [issue.file, issue.line, issue.column, issue.field])).toEqual([
      [result.at('bom.yaml'), 4, 3, 'budget.monthy'],
      [result.at('crlf.yaml'), 4, 3, 'budget.monthy'],
    ]);
  });

  it('reports an alias bomb instead of expanding it', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of ['b', 'c', 'd', 'e']) {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const result = await load({ 'a.yaml': `${levels.join('\n')}\n` });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 1,
        column: 1,
        field: '',
        message: 'YAML: Excessive alias count indicates a resource exhaustion attack',
      },
    ]);
  });
});

describe('loadPolicies: unknown and missing keys', () => {
  it('points at an unknown key and suggests the closest allowed one', async () => {
    const result = await load({
      'a.yaml': yaml`
        # yaml-language-server: $schema=./policy.schema.json
        poc: a
        owners: [x]
        budget:
          monthy: 120
      `,
    });
    // The misspelling is one problem: no second error for the missing `monthly`.
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 5,
        column: 3,
        field: 'budget.monthy',
        message: 'unknown key "monthy"',
        suggestion: 'monthly',
      },
    ]);
  });

  it('suggests top-level keys, ignoring case', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        Description: trial
        expiryWarnDays: 3
        colour: blue
      `,
    });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 3,
        column: 1,
        field: 'Description',
        message: 'unknown key "Description"',
        suggestion: 'description',
      },
      {
        file: result.at('a.yaml'),
        line: 4,
        column: 1,
        field: 'expiryWarnDays',
        message: 'unknown key "expiryWarnDays"',
        suggestion: 'expiryWarningDays',
      },
      // Nothing is close to `colour`, so no guess.
      { file: result.at('a.yaml'), line: 5, column: 1, field: 'colour', message: 'unknown key "colour"' },
    ]);
  });

  it('suggests keys inside anomaly and links, with list indexes in the field', async () => {
    const result = await load({
      'list.yaml': yaml`
        - poc: a
          owners: [x]
        - poc: b
          owners: [y]
          anomaly:
            facter: 4
          links:
            - title: Brief
              ur: https://example.com
      `,
    });
    expect(result.errors).toEqual([
      {
        file: result.at('list.yaml'),
        line: 6,
        column: 5,
        field: '[1].anomaly.facter',
        message: 'unknown key "facter"',
        suggestion: 'factor',
      },
      {
        file: result.at('list.yaml'),
        line: 9,
        column: 7,
        field: '[1].links[0].ur',
        message: 'unknown key "ur"',
        suggestion: 'url',
      },
    ]);
  });

  it('treats __proto__ and constructor as ordinary unknown keys', async () => {
    const result = await load({ 'a.yaml': '__proto__:\n  budget: 1\npoc: a\nowners: [x]\nconstructor: 1\n' });
    expect(result.errors.map((issue) => [issue.line, issue.field, issue.message])).toEqual([
      [1, '__proto__', 'unknown key "__proto__"'],
      [5, 'constructor', 'unknown key "constructor"'],
    ]);
  });

  it('reports a missing required key at the map that lacks it', async () => {
    const result = await load({
      'a.yaml': yaml`
        # a PoC without owners
        poc: a
        budget:
          dailyCap: 5
      `,
    });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 2,
        column: 1,
        field: 'owners',
        message: 'missing required key "owners"',
      },
      {
        file: result.at('a.yaml'),
        line: 3,
        column: 1,
        field: 'budget.monthly',
        message: 'missing required key "monthly"',
      },
    ]);
  });

  it('reports a missing poc in a list item at the item', async () => {
    const result = await load({
      'list.yaml': yaml`
        - poc: a
          owners: [x]
        - owners: [y]
      `,
    });
    expect(result.errors).toEqual([
      {
        file: result.at('list.yaml'),
        line: 3,
        column: 3,
        field: '[1].poc',
        message: 'missing required key "poc"',
      },
    ]);
  });
});

describe('loadPolicies: budget values', () => {
  it.each([
    ['"120"', 'must be a number, not the text "120" (remove the quotes)'],
    ['$120', 'must be a number, not the text "$120" (write just 120, without a currency or separators)'],
    [
      '120 USD',
      'must be a number, not the text "120 USD" (write just 120, without a currency or separators)',
    ],
    ['lots', 'must be a number, not the text "lots"'],
    ['true', 'must be a number, not true'],
    ['.inf', 'must be a number, not infinity (.inf)'],
  ])('says monthly: %s must be a number', async (written, message) => {
    const result = await load({ 'a.yaml': `poc: a\nowners: [x]\nbudget:\n  monthly: ${written}\n` });
    expect(result.errors).toEqual([
      { file: result.at('a.yaml'), line: 4, column: 12, field: 'budget.monthly', message },
    ]);
    expect(result.errors[0]?.message).toMatch(/^must be a number/);
  });

  it('rejects negative amounts and non-positive caps', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        budget:
          monthly: -120
          dailyCap: 0
          total: -1
      `,
    });
    const at = result.at('a.yaml');
    expect(result.errors).toEqual([
      {
        file: at,
        line: 4,
        column: 12,
        field: 'budget.monthly',
        message: 'must not be negative (it is -120)',
      },
      {
        file: at,
        line: 5,
        column: 13,
        field: 'budget.dailyCap',
        message: 'must be greater than 0 (it is 0)',
      },
      { file: at, line: 6, column: 10, field: 'budget.total', message: 'must be greater than 0 (it is -1)' },
    ]);
  });

  it('rejects amounts too large or too small for exact Money', async () => {
    const result = await load({
      'a.yaml':
        'poc: a\nowners: [x]\nbudget:\n  monthly: 1e300\n  dailyCap: 1e-300\nanomaly:\n  minIncrease: 1e61\n',
    });
    const at = result.at('a.yaml');
    expect(result.errors).toEqual([
      {
        file: at,
        line: 4,
        column: 12,
        field: 'budget.monthly',
        message: 'is too large to be an amount (it is 1e+300)',
      },
      {
        file: at,
        line: 5,
        column: 13,
        field: 'budget.dailyCap',
        message: 'is too small to be an amount; write 0 (it is 1e-300)',
      },
      {
        file: at,
        line: 7,
        column: 16,
        field: 'anomaly.minIncrease',
        message: 'is too large to be an amount (it is 1e+61)',
      },
    ]);
  });

  it('accepts a zero monthly budget', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: [x]\nbudget:\n  monthly: 0\n' });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.policies[0]?.budget?.monthly).toBe(0n);
  });

  it('checks each threshold and points at the repeated one', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        budget:
          monthly: 10
          thresholds: [0, 50, 1200, 50]
      `,
    });
    const at = result.at('a.yaml');
    expect(result.errors).toEqual([
      {
        file: at,
        line: 5,
        column: 16,
        field: 'budget.thresholds[0]',
        message: 'must be greater than 0 (it is 0)',
      },
      {
        file: at,
        line: 5,
        column: 23,
        field: 'budget.thresholds[2]',
        message: 'must be at most 1000 (it is 1200)',
      },
      { file: at, line: 5, column: 29, field: 'budget.thresholds[3]', message: '50 is listed twice' },
    ]);
  });

  it('requires at least one threshold', async () => {
    const result = await load({
      'a.yaml': 'poc: a\nowners: [x]\nbudget:\n  monthly: 10\n  thresholds: []\n',
    });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 5,
        column: 15,
        field: 'budget.thresholds',
        message: 'must list at least one entry',
      },
    ]);
  });

  it('explains a bare number where the budget map belongs', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: [x]\nbudget: 120\n' });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 3,
        column: 9,
        field: 'budget',
        message: 'must be a map of keys, not the number 120 (did you mean {monthly: 120}?)',
      },
    ]);
  });

  it('points at the key when a value is left empty', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: [x]\nbudget:\ndescription:\n' });
    const at = result.at('a.yaml');
    expect(result.errors).toEqual([
      { file: at, line: 3, column: 1, field: 'budget', message: 'must be a map of keys, but it is empty' },
      { file: at, line: 4, column: 1, field: 'description', message: 'must be text, but it is empty' },
    ]);
  });
});

describe('loadPolicies: dates', () => {
  it.each([
    ['2026-02-30', '"2026-02-30" is not a real date'],
    ['2026-13-01', '"2026-13-01" is not a real date'],
    ['2025-02-29', '"2025-02-29" is not a real date'],
    ['2026-9-1', 'must be a date written YYYY-MM-DD, not "2026-9-1"'],
    ['"next week"', 'must be a date written YYYY-MM-DD, not "next week"'],
    ['20260901', 'must be a date written YYYY-MM-DD, not the number 20260901'],
  ])('rejects start: %s', async (written, message) => {
    const result = await load({ 'a.yaml': `poc: a\nowners: [x]\nstart: ${written}\n` });
    expect(result.errors).toEqual([
      { file: result.at('a.yaml'), line: 3, column: 8, field: 'start', message },
    ]);
  });

  it('accepts a leap day', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: [x]\nstart: 2028-02-29\n' });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.policies[0]?.start).toBe('2028-02-29');
  });

  it('rejects a date that YAML read as a timestamp', async () => {
    const result = await load({
      'tagged.yaml': 'poc: a\nowners: [x]\nexpires: !!timestamp 2026-12-31\n',
      'yaml11.yaml': '%YAML 1.1\n---\npoc: b\nowners: [x]\nstart: 2026-09-01\n',
    });
    const message =
      'must be a plain YYYY-MM-DD date, but YAML read it as a timestamp (remove any !!timestamp tag or %YAML 1.1 line)';
    expect(result.errors).toEqual([
      { file: result.at('tagged.yaml'), line: 3, column: 22, field: 'expires', message },
      { file: result.at('yaml11.yaml'), line: 5, column: 8, field: 'start', message },
    ]);
  });

  it('reports expires before start at expires', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        start: 2026-09-10
        expires: 2026-09-01
      `,
    });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 4,
        column: 10,
        field: 'expires',
        message: 'expires (2026-09-01) is before start (2026-09-10)',
      },
    ]);
  });

  it('accepts a PoC that starts and expires on the same day, or expired long ago', async () => {
    const result = await load({
      'a.yaml': yaml`
        - poc: a
          owners: [x]
          start: 2026-09-10
          expires: 2026-09-10
        - poc: b
          owners: [x]
          expires: 2001-01-01
      `,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });
});

describe('loadPolicies: other fields', () => {
  it('applies AWS tag value rules to poc', async () => {
    const long = 'p'.repeat(257);
    const result = await load({
      'a.yaml': yaml`
        - poc: checkout redesign/v2:a=b+c-d@e_f.g
          owners: [x]
        - poc: "bad#tag"
          owners: [x]
        - poc: ""
          owners: [x]
        - poc: ${long}
          owners: [x]
        - poc: 2024
          owners: [x]
      `,
    });
    const at = result.at('a.yaml');
    expect(result.errors).toEqual([
      {
        file: at,
        line: 3,
        column: 8,
        field: '[1].poc',
        message: 'may only contain letters, digits, spaces and _ . : / = + - @ (AWS tag value rules)',
      },
      { file: at, line: 5, column: 8, field: '[2].poc', message: 'must not be empty' },
      {
        file: at,
        line: 7,
        column: 8,
        field: '[3].poc',
        message: 'must be at most 256 characters long (it has 257)',
      },
      {
        file: at,
        line: 9,
        column: 8,
        field: '[4].poc',
        message: 'must be text, not the number 2024 (put it in quotes: "2024")',
      },
    ]);
  });

  it('checks owners: a list, not empty, no blanks, no repeats', async () => {
    const result = await load({
      'a.yaml': yaml`
        - poc: a
          owners: alex@example.com
        - poc: b
          owners: []
        - poc: c
          owners: [alex@example.com, "  ", alex@example.com]
      `,
    });
    const at = result.at('a.yaml');
    expect(result.errors).toEqual([
      {
        file: at,
        line: 2,
        column: 11,
        field: '[0].owners',
        message: 'must be a list, not the text "alex@example.com" (write [alex@example.com])',
      },
      { file: at, line: 4, column: 11, field: '[1].owners', message: 'must list at least one entry' },
      { file: at, line: 6, column: 30, field: '[2].owners[1]', message: 'must not be blank' },
      {
        file: at,
        line: 6,
        column: 36,
        field: '[2].owners[2]',
        message: '"alex@example.com" is listed twice',
      },
    ]);
  });

  it('checks links, anomaly overrides and expiryWarningDays', async () => {
    const result = await load({
      'a.yaml': yaml`
        poc: a
        owners: [x]
        links:
          - title: Brief
            url: wiki/brief
          - url: https://example.com
        anomaly:
          baselineDays: 2.5
          minBaselineDays: 0
          factor: 1
          minIncrease: -1
        expiryWarningDays: 91
      `,
    });
    const at = result.at('a.yaml');
    expect(result.errors).toEqual([
      {
        file: at,
        line: 5,
        column: 10,
        field: 'links[0].url',
        message: 'must be a full URL such as https://example.com/page, not "wiki/brief"',
      },
      { file: at, line: 6, column: 5, field: 'links[1].title', message: 'missing required key "title"' },
      // One error per value: 2.5 is also below 3, but "whole number" is what to fix first.
      {
        file: at,
        line: 8,
        column: 17,
        field: 'anomaly.baselineDays',
        message: 'must be a whole number, not the number 2.5',
      },
      {
        file: at,
        line: 9,
        column: 20,
        field: 'anomaly.minBaselineDays',
        message: 'must be at least 1 (it is 0)',
      },
      {
        file: at,
        line: 10,
        column: 11,
        field: 'anomaly.factor',
        message: 'must be greater than 1 (it is 1)',
      },
      {
        file: at,
        line: 11,
        column: 16,
        field: 'anomaly.minIncrease',
        message: 'must not be negative (it is -1)',
      },
      {
        file: at,
        line: 12,
        column: 20,
        field: 'expiryWarningDays',
        message: 'must be at most 90 (it is 91)',
      },
    ]);
  });
});

describe('loadPolicies: duplicate PoCs', () => {
  it('reports a PoC defined in two files at the second, naming the first', async () => {
    const result = await load({
      'a.yaml': '# first\npoc: shop\nowners: [x]\n',
      'b.yaml': 'owners: [y]\npoc: shop\n',
    });
    expect(result.policySet).toBeUndefined();
    expect(result.errors).toEqual([
      {
        file: result.at('b.yaml'),
        line: 2,
        column: 6,
        field: 'poc',
        message: `PoC "shop" is already defined at ${result.at('a.yaml')}:2`,
      },
    ]);
  });

  it('reports a PoC listed twice in one file', async () => {
    const result = await load({
      'list.yaml': yaml`
        - poc: shop
          owners: [x]
        - poc: search
          owners: [x]
        - poc: shop
          owners: [y]
      `,
    });
    expect(result.errors).toEqual([
      {
        file: result.at('list.yaml'),
        line: 5,
        column: 8,
        field: '[2].poc',
        message: `PoC "shop" is already defined at ${result.at('list.yaml')}:1`,
      },
    ]);
  });

  it('does not compare an invalid poc for duplicates', async () => {
    const result = await load({ 'a.yaml': '- poc: ""\n  owners: [x]\n- poc: ""\n  owners: [y]\n' });
    expect(result.errors.map((issue) => [issue.field, issue.message])).toEqual([
      ['[0].poc', 'must not be empty'],
      ['[1].poc', 'must not be empty'],
    ]);
  });

  it('treats tag values that differ in case as different PoCs, as AWS does', async () => {
    const result = await load({ 'a.yaml': '- poc: Shop\n  owners: [x]\n- poc: shop\n  owners: [x]\n' });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.policies).toHaveLength(2);
  });
});

describe('loadPolicies: warnings', () => {
  it('warns when dailyCap is larger than the monthly budget', async () => {
    const result = await load({
      'a.yaml': 'poc: a\nowners: [x]\nbudget:\n  monthly: 100\n  dailyCap: 100.5\n',
    });
    expect(result.errors).toEqual([]);
    expect(result.policySet).toBeDefined();
    expect(result.warnings).toEqual([
      {
        file: result.at('a.yaml'),
        line: 5,
        column: 13,
        field: 'budget.dailyCap',
        message: 'dailyCap (100.5) is larger than the whole monthly budget (100)',
      },
    ]);
  });

  it('does not warn when dailyCap equals the monthly budget', async () => {
    const result = await load({
      'a.yaml': 'poc: a\nowners: [x]\nbudget:\n  monthly: 100\n  dailyCap: 100\n',
    });
    expect(result.warnings).toEqual([]);
  });

  it('warns about a threshold list without 100', async () => {
    const result = await load({
      'a.yaml': 'poc: a\nowners: [x]\nbudget:\n  monthly: 100\n  thresholds: [50, 80, 120]\n',
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        file: result.at('a.yaml'),
        line: 5,
        column: 15,
        field: 'budget.thresholds',
        message: '[50, 80, 120] has no 100, so spending the whole monthly budget raises no alert',
      },
    ]);
  });

  it('warns when minBaselineDays exceeds baselineDays after defaults', async () => {
    const result = await load({ 'a.yaml': 'poc: a\nowners: [x]\nanomaly:\n  baselineDays: 4\n' });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        file: result.at('a.yaml'),
        line: 4,
        column: 17,
        field: 'anomaly.baselineDays',
        message: 'minBaselineDays (5) is more than baselineDays (4), so no day can be checked for spikes',
      },
    ]);
  });

  it('gives no warning about a value that already has an error', async () => {
    const result = await load({
      'a.yaml': 'poc: a\nowners: [x]\nbudget:\n  monthly: 100\n  thresholds: [0, 50]\n',
    });
    expect(result.errors.map((issue) => issue.field)).toEqual(['budget.thresholds[0]']);
    expect(result.warnings).toEqual([]);
  });
});
