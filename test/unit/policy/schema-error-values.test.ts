import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/policy/defaults.js';
import { policiesFromYaml } from '../../../src/policy/policy-file.js';
import { parseYaml } from '../../../src/policy/yaml-file.js';

describe('schema errors about odd values', () => {
  it('describe a map whose keys shadow object methods instead of throwing', () => {
    const yaml =
      'poc: a\nowners: [x]\nbudget:\n  monthly: 1\n  perUse:\n    signal:\n      stat: { toString: [] }\n';
    const result = policiesFromYaml(parseYaml('a.yaml', yaml), defaultSettings());
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) expect(error.line).toBeGreaterThanOrEqual(1);
  });
});
