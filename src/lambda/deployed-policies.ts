import { join } from 'node:path';
import { loadPolicies } from '../policy/load-policies.js';
import type { PolicySet } from '../policy/model.js';
import { formatPolicyIssue } from '../policy/policy-issue.js';
import { LAMBDA_ENV } from './lambda-env.js';

/** Where the bundle carries the policies it was synthesised with (infra/lambda-bundling.ts copies them). */
export const DEPLOYED_POLICIES_FOLDER = 'deployed-policies';

export class DeployedPoliciesError extends Error {
  override readonly name = 'DeployedPoliciesError';
}

let loading: Promise<PolicySet> | undefined;

/**
 * The policy set shipped in the bundle, loaded with the same loader as `pocketwatch validate` once per
 * warm function. `cdk synth` refused invalid policies already, so an error here means the bundle was
 * changed after synthesis; it names every issue.
 */
export function deployedPolicySet(env: NodeJS.ProcessEnv = process.env): Promise<PolicySet> {
  loading ??= load(policiesDir(env)).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** POCKETWATCH_POLICIES_DIR, else the folder next to the handler in the Lambda task root. */
export function policiesDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[LAMBDA_ENV.policiesDir]?.trim();
  if (configured) return configured;
  return join(env.LAMBDA_TASK_ROOT ?? process.cwd(), DEPLOYED_POLICIES_FOLDER);
}

async function load(dir: string): Promise<PolicySet> {
  const result = await loadPolicies(dir);
  if (result.policySet && result.errors.length === 0) return result.policySet;
  const issues = result.errors.map((issue) => `error: ${formatPolicyIssue(issue)}`).join('\n');
  throw new DeployedPoliciesError(`the deployed policies in ${dir} are invalid:\n${issues}`);
}
