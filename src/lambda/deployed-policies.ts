import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PolicySet } from '../policy/model.js';
import { decodePolicySet } from '../policy/policy-set-json.js';
import { LAMBDA_ENV } from './lambda-env.js';

/**
 * The file each bundle carries: the policy set as `cdk synth` validated it (infra/lambda-bundling.ts
 * writes it), so a function needs no YAML parser or schema validator at run time.
 */
export const DEPLOYED_POLICY_SET_FILE = 'policy-set.json';

let loading: Promise<PolicySet> | undefined;

/** The policy set shipped in the bundle, read once per warm function. */
export function deployedPolicySet(env: NodeJS.ProcessEnv = process.env): Promise<PolicySet> {
  loading ??= load(policySetPath(env)).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** POCKETWATCH_POLICY_SET, else the file next to the handler in the Lambda task root. */
export function policySetPath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[LAMBDA_ENV.policySet]?.trim();
  if (configured) return configured;
  return join(env.LAMBDA_TASK_ROOT ?? process.cwd(), DEPLOYED_POLICY_SET_FILE);
}

async function load(path: string): Promise<PolicySet> {
  return decodePolicySet(await readFile(path, 'utf8'), path);
}
