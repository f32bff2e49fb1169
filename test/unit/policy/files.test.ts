import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicies } from '../../../src/policy/load-policies.js';
import { load, policyDir } from './policy-dir.js';

const policy = (poc: string): string => `poc: ${poc}\nowners: [x]\n`;

describe('loadPolicies: which files are read', () => {
  it('reads *.yaml and *.yml recursively, in code-point order, skipping other and hidden files', async () => {
    const result = await load({
      'b.yml': policy('b'),
      'a.yaml': policy('a'),
      'Z.yaml': policy('z'),
      'team/c.yaml': policy('c'),
      'team/deep/d.yaml': policy('d'),
      'README.md': '# not a policy',
      'a.yaml.bak': 'not yaml',
      '.hidden.yaml': 'not: read',
      '.git/config.yaml': 'not: read',
    });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.files).toEqual(
      ['Z.yaml', 'a.yaml', 'b.yml', 'team/c.yaml', 'team/deep/d.yaml'].map(result.at),
    );
    expect(result.policySet?.policies.map((p) => p.poc)).toEqual(['z', 'a', 'b', 'c', 'd']);
  });

  it('follows a symbolic link to a file', async () => {
    const dir = await policyDir({ 'real/a.txt': policy('a') });
    await symlink(join(dir, 'real/a.txt'), join(dir, 'linked.yaml'));
    const result = await loadPolicies(dir);
    expect(result.errors).toEqual([]);
    expect(result.policySet?.policies.map((p) => p.poc)).toEqual(['a']);
  });

  it('warns about an empty file and still loads the others', async () => {
    const result = await load({
      'a.yaml': '# yaml-language-server: $schema=./policy.schema.json\n',
      'b.yaml': '',
      'c.yaml': '[]\n',
      'd.yaml': policy('d'),
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        file: result.at('a.yaml'),
        line: 1,
        column: 1,
        field: '',
        message: 'file is empty; it defines no PoC',
      },
      {
        file: result.at('b.yaml'),
        line: 1,
        column: 1,
        field: '',
        message: 'file is empty; it defines no PoC',
      },
      {
        file: result.at('c.yaml'),
        line: 1,
        column: 1,
        field: '',
        message: 'file holds an empty list; it defines no PoC',
      },
    ]);
    expect(result.policySet?.policies.map((p) => p.poc)).toEqual(['d']);
    expect(result.policySet?.files).toHaveLength(4);
  });

  it('rejects a file whose top level is neither a map nor a list', async () => {
    const result = await load({ 'a.yaml': '# a comment\njust some text\n', 'b.yaml': '42\n' });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 2,
        column: 1,
        field: '',
        message:
          'must hold a policy map (poc:, owners:, ...) or a list of them, not the text "just some text"',
      },
      {
        file: result.at('b.yaml'),
        line: 1,
        column: 1,
        field: '',
        message: 'must hold a policy map (poc:, owners:, ...) or a list of them, not the number 42',
      },
    ]);
  });

  it('rejects a list item that is not a map, once', async () => {
    const result = await load({ 'a.yaml': '- poc: a\n  owners: [x]\n- just text\n' });
    expect(result.errors).toEqual([
      {
        file: result.at('a.yaml'),
        line: 3,
        column: 3,
        field: '[1]',
        message: 'must be a map of keys, not the text "just text"',
      },
    ]);
  });

  it('reports a missing folder as one error naming it, without throwing', async () => {
    const dir = join(await policyDir({}), 'nope');
    const result = await loadPolicies(dir);
    expect(result).toEqual({
      policySet: undefined,
      errors: [
        {
          file: dir,
          line: 0,
          column: 0,
          field: '',
          message: 'cannot read policy folder: no such file or directory',
        },
      ],
      warnings: [],
    });
  });

  it('reports a file given instead of a folder', async () => {
    const dir = await policyDir({ 'a.yaml': policy('a') });
    const result = await loadPolicies(join(dir, 'a.yaml'));
    expect(result.errors).toEqual([
      {
        file: join(dir, 'a.yaml'),
        line: 0,
        column: 0,
        field: '',
        message: 'cannot read policy folder: not a directory',
      },
    ]);
  });

  it.skipIf(process.getuid?.() === 0)('reports a file it cannot read', async () => {
    const dir = await policyDir({ 'a.yaml': policy('a') });
    await chmod(join(dir, 'a.yaml'), 0o000);
    const result = await loadPolicies(dir);
    expect(result.errors).toEqual([
      {
        file: join(dir, 'a.yaml'),
        line: 0,
        column: 0,
        field: '',
        message: 'cannot read file: permission denied',
      },
    ]);
  });

  it('warns about a folder without policy files', async () => {
    const dir = await policyDir({ 'settings.yaml': 'currency: EUR\n' });
    await mkdir(join(dir, 'empty'));
    await writeFile(join(dir, 'notes.txt'), 'no policies yet');
    const result = await loadPolicies(dir);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      { file: dir, line: 0, column: 0, field: '', message: 'no policy files (*.yaml, *.yml) found' },
    ]);
    expect(result.policySet?.policies).toEqual([]);
    expect(result.policySet?.settings.currency).toBe('EUR');
  });

  it('reports problems in every file in one run, ordered by file then line', async () => {
    const result = await load({
      'b.yaml': 'poc: b\nowners: [x]\nbudget:\n  monthly: -1\n',
      'a.yaml': 'poc: a\nowners: []\nnote: x\n',
    });
    expect(result.errors.map((issue) => [issue.file, issue.line, issue.field])).toEqual([
      [result.at('a.yaml'), 2, 'owners'],
      [result.at('a.yaml'), 3, 'note'],
      [result.at('b.yaml'), 4, 'budget.monthly'],
    ]);
  });
});
