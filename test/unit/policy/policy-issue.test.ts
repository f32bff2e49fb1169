import { describe, expect, it } from 'vitest';
import { formatField } from '../../../src/policy/field-path.js';
import { formatPolicyIssue } from '../../../src/policy/policy-issue.js';

describe('formatPolicyIssue', () => {
  it('prints file:line:column, field, message and suggestion', () => {
    const text = formatPolicyIssue({
      file: 'policies/a.yaml',
      line: 4,
      column: 3,
      field: 'budget.monthy',
      message: 'unknown key "monthy"',
      suggestion: 'monthly',
    });
    expect(text).toBe('policies/a.yaml:4:3 budget.monthy: unknown key "monthy" (did you mean "monthly"?)');
  });

  it('leaves out an empty field and a missing suggestion', () => {
    const text = formatPolicyIssue({
      file: 'policies/a.yaml',
      line: 1,
      column: 1,
      field: '',
      message: 'file is empty',
    });
    expect(text).toBe('policies/a.yaml:1:1 file is empty');
  });

  it('leaves out line and column when the problem has no place in a file', () => {
    const text = formatPolicyIssue({
      file: 'nope',
      line: 0,
      column: 0,
      field: '',
      message: 'cannot read policy folder',
    });
    expect(text).toBe('nope cannot read policy folder');
  });
});

describe('formatField', () => {
  it.each([
    [[], ''],
    [['budget', 'monthly'], 'budget.monthly'],
    [[1, 'budget', 'monthly'], '[1].budget.monthly'],
    [['owners', 0], 'owners[0]'],
    [['links', 2, 'url'], 'links[2].url'],
    [['a.b'], '["a.b"]'],
    [['budget', 'monthly cap'], 'budget["monthly cap"]'],
  ])('%j → %s', (path, field) => {
    expect(formatField(path)).toBe(field);
  });
});
