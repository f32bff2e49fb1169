import type { Policy, PolicySet, TeardownData } from './model.js';

/** What a teardown of this PoC does with data: its policy's `teardown.data`, keep by default. */
export function teardownDataOf(policy: Pick<Policy, 'teardown'> | undefined): TeardownData {
  return policy?.teardown?.data ?? 'keep';
}

/** The same, looked up by PoC in a policy set (a PoC without a policy keeps its data). */
export function teardownDataFor(policySet: PolicySet, poc: string): TeardownData {
  return teardownDataOf(policySet.policies.find((policy) => policy.poc === poc));
}
