import { resolve } from 'node:path';
import { type ResolvedDeployment, resolveDeployment } from '../src/policy/deployment-settings.js';
import { loadPolicies } from '../src/policy/load-policies.js';
import type { PolicySet } from '../src/policy/model.js';
import { formatPolicyIssue } from '../src/policy/policy-issue.js';

/** The policies failed validation: the message is what `pocketwatch validate` prints. */
export class PolicyValidationError extends Error {
  override readonly name = 'PolicyValidationError';
}

/** What the stacks are built from: the validated policy set, its deployment settings, the folder. */
export interface DeploymentConfig {
  /** Absolute, for bundling. */
  policiesDir: string;
  policySet: PolicySet;
  deployment: ResolvedDeployment;
  /** Warnings, formatted as `pocketwatch validate` formats them. */
  warnings: string[];
}

/**
 * Loads and validates the policies folder with the same loader as `pocketwatch validate`; any error
 * stops synthesis with the same located messages, so an invalid policy can never be deployed.
 */
export async function loadDeploymentConfig(dir: string): Promise<DeploymentConfig> {
  const result = await loadPolicies(dir);
  const warnings = result.warnings.map((issue) => `warning: ${formatPolicyIssue(issue)}`);
  if (result.errors.length > 0 || !result.policySet) {
    const count = result.errors.length;
    const lines = result.errors.map((issue) => `error: ${formatPolicyIssue(issue)}`);
    throw new PolicyValidationError(
      `${lines.join('\n')}\n\n${count} error${count === 1 ? '' : 's'} in ${dir}: nothing was synthesised`,
    );
  }
  const deployment = resolveDeployment(result.policySet.settings);
  if (deployment.alarmEmails.length === 0) {
    warnings.push(
      'warning: deployment.alarmEmails is empty: alarms reach no one until something subscribes to the alarms topic (AlarmTopicArn)',
    );
  }
  return { policiesDir: resolve(dir), policySet: result.policySet, deployment, warnings };
}
