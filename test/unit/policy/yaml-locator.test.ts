import { describe, expect, it } from 'vitest';
import { parseYaml, readYamlFile } from '../../../src/policy/yaml-file.js';
import { yaml } from './policy-dir.js';

const SOURCE = yaml`
  # comment
  poc: a
  owners: [x@example.com, y@example.com]
  budget:
    monthly: 10
  notes:
  links:
    - title: Brief
      url: https://example.com
`;

describe('YamlLocator', () => {
  const { locator } = parseYaml('a.yaml', SOURCE);

  it('points at a key or at its value', () => {
    expect(locator.position(['budget', 'monthly'], 'key')).toEqual({ line: 5, column: 3 });
    expect(locator.position(['budget', 'monthly'], 'value')).toEqual({ line: 5, column: 12 });
  });

  it('points at the map holding a key for a missing key', () => {
    expect(locator.position(['budget', 'total'], 'parent')).toEqual({ line: 4, column: 1 });
    expect(locator.position(['description'], 'parent')).toEqual({ line: 2, column: 1 });
  });

  it('points at list items, in flow and block lists', () => {
    expect(locator.position(['owners', 1], 'value')).toEqual({ line: 3, column: 25 });
    expect(locator.position(['links', 0, 'url'], 'value')).toEqual({ line: 9, column: 10 });
    expect(locator.position(['links', 0], 'parent')).toEqual({ line: 7, column: 1 });
  });

  it('points at the key when the value is empty', () => {
    expect(locator.position(['notes'], 'value')).toEqual({ line: 6, column: 1 });
  });

  it('falls back to the deepest part of the path that exists', () => {
    expect(locator.position(['budget', 'monthly', 'deeper'], 'value')).toEqual({ line: 5, column: 3 });
    expect(locator.position(['owners', 7], 'value')).toEqual({ line: 3, column: 1 });
    expect(locator.position(['nothing'], 'value')).toEqual({ line: 2, column: 1 });
  });

  it('points at the first line of an empty document', () => {
    expect(parseYaml('e.yaml', '').locator.position(['poc'], 'value')).toEqual({ line: 1, column: 1 });
  });
});

describe('readYamlFile', () => {
  it('reports a file it cannot read instead of throwing', async () => {
    const result = await readYamlFile('/nonexistent/pocketwatch/a.yaml');
    expect(result.parsed).toBe(false);
    expect(result.errors).toEqual([
      {
        file: '/nonexistent/pocketwatch/a.yaml',
        line: 0,
        column: 0,
        field: '',
        message: 'cannot read file: no such file or directory',
      },
    ]);
  });

  it('keeps only the first syntax error of a line', () => {
    // The yaml package reports three errors for this one mistake.
    const result = parseYaml('a.yaml', 'poc: a\n- x\n');
    expect(result.errors.map((issue) => [issue.line, issue.column])).toEqual([[2, 1]]);
  });
});
