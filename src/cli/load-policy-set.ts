import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { bundledPath } from '../package-paths.js';
import { loadPolicies } from '../policy/load-policies.js';
import type { PolicySet } from '../policy/model.js';
import { formatPolicyIssue } from '../policy/policy-issue.js';
import { CliError } from './cli-error.js';
import type { Output } from './output.js';

/**
 * The policies folder to use: the one given, else ./policies, else (for the bundled sample only) the
 * example policies shipped with the package, so `npx pocketwatch run` works from any folder.
 */
export function resolvePoliciesDir(given: string | undefined, allowBundled: boolean): string {
  if (given) return given;
  if (existsSync('policies')) return 'policies';
  if (allowBundled) return relative(process.cwd(), bundledPath('policies')) || '.';
  throw new CliError('no ./policies folder here: pass --policies DIR');
}

/** Loads and validates policies; prints every issue; fails the command on any error. */
export async function loadPolicySetOrFail(dir: string, output: Output): Promise<PolicySet> {
  const result = await loadPolicies(dir);
  for (const warning of result.warnings) output.err(`warning: ${formatPolicyIssue(warning)}\n`);
  if (result.errors.length > 0 || !result.policySet) {
    for (const error of result.errors) output.err(`error: ${formatPolicyIssue(error)}\n`);
    const count = result.errors.length;
    throw new CliError(
      `${count} error${count === 1 ? '' : 's'} in the policies in ${dir}; run \`pocketwatch validate ${dir}\``,
    );
  }
  return result.policySet;
}
