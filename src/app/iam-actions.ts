import { IDLE_RULES, idleScanIamActions } from '../core/idle/idle-rules.js';

/**
 * Every IAM action a governance run may call, derived from the code that calls them (Cloud Custodian
 * style): Cost Explorer for costs, and what the idle rules declare for the scan. All are reads; none
 * of these APIs supports resource-level permissions, hence `Resource: "*"`.
 */
export function runRoleActions(settings: { tagKey: string; resourceCosts?: boolean }): string[] {
  const actions = new Set<string>(['ce:GetCostAndUsage', ...idleScanIamActions(Object.values(IDLE_RULES))]);
  if (settings.resourceCosts) actions.add('ce:GetCostAndUsageWithResources');
  return [...actions].sort();
}

/** An IAM policy document for the role that runs `pocketwatch run --source aws`. */
export function runRolePolicy(settings: { tagKey: string; resourceCosts?: boolean }): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PocketwatchReadOnly',
        Effect: 'Allow',
        Action: runRoleActions(settings),
        Resource: '*',
      },
    ],
  };
}
