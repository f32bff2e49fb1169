import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPolicies } from '../../src/policy/load-policies.js';
import { encodePolicySet } from '../../src/policy/policy-set-json.js';

/**
 * What synthesis ships for a policies folder: it is validated and written as policy-set.json (in the
 * folder itself here). Returns the file's path, for POCKETWATCH_POLICY_SET.
 */
export async function deployPolicies(dir: string): Promise<string> {
  const { policySet, errors } = await loadPolicies(dir);
  if (!policySet) throw new Error(`test policies are invalid: ${JSON.stringify(errors)}`);
  const path = join(dir, 'policy-set.json');
  await writeFile(path, encodePolicySet(policySet));
  return path;
}
