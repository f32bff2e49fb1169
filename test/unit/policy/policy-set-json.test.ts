import { describe, expect, it } from 'vitest';
import { bundledPath } from '../../../src/package-paths.js';
import { loadPolicies } from '../../../src/policy/load-policies.js';
import { decodePolicySet, encodePolicySet, PolicySetJsonError } from '../../../src/policy/policy-set-json.js';

describe('policy set JSON', () => {
  it('round-trips the bundled policies exactly, Money included', async () => {
    const { policySet } = await loadPolicies(bundledPath('policies'));
    if (!policySet) throw new Error('the bundled policies do not load');
    const text = encodePolicySet(policySet);
    expect(text).toContain('{"$money":"120"}');
    const decoded = decodePolicySet(text, 'policy-set.json');
    expect(decoded).toEqual(policySet);
    expect(typeof decoded.policies.find((p) => p.budget)?.budget?.monthly).toBe('bigint');
  });

  it('refuses anything else, naming the file', () => {
    expect(() => decodePolicySet('{', 'a.json')).toThrow(PolicySetJsonError);
    expect(() => decodePolicySet('{"format":"other"}', 'a.json')).toThrow(
      'a.json is not a version 1 policy set',
    );
    expect(() =>
      decodePolicySet(
        '{"format":"pocketwatch-policy-set","version":1,"policySet":{"settings":{}}}',
        'b.json',
      ),
    ).toThrow('b.json has no settings or policies');
  });
});
