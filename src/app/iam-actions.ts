import { IDLE_RULES, idleScanIamActions } from '../core/idle/idle-rules.js';
import type { NotificationSettings } from '../policy/model.js';

interface RoleSettings {
  tagKey: string;
  resourceCosts?: boolean;
  notifications?: NotificationSettings;
}

/**
 * Every read a governance run may make, derived from the code that makes it (Cloud Custodian
 * style): Cost Explorer for costs, and what the idle rules declare for the scan. None of these APIs
 * supports resource-level permissions, hence `Resource: "*"`.
 */
export function runRoleActions(settings: RoleSettings): string[] {
  const actions = new Set<string>(['ce:GetCostAndUsage', ...idleScanIamActions(Object.values(IDLE_RULES))]);
  if (settings.resourceCosts) actions.add('ce:GetCostAndUsageWithResources');
  return [...actions].sort();
}

/** An IAM policy document for the role that runs `pocketwatch run --source aws [--notify]`. */
export function runRolePolicy(settings: RoleSettings): object {
  const statements: object[] = [
    { Sid: 'PocketwatchReadOnly', Effect: 'Allow', Action: runRoleActions(settings), Resource: '*' },
  ];
  const topics = [settings.notifications?.alertTopicArn, settings.notifications?.digestTopicArn].filter(
    (arn): arn is string => typeof arn === 'string',
  );
  // Delivery writes only to the topics named in settings.
  if (topics.length > 0) {
    statements.push({
      Sid: 'PocketwatchPublish',
      Effect: 'Allow',
      Action: ['sns:Publish'],
      Resource: topics,
    });
  }
  if (settings.notifications?.email) {
    statements.push({
      Sid: 'PocketwatchEmail',
      Effect: 'Allow',
      Action: ['ses:SendEmail'],
      Resource: '*',
      Condition: { StringEquals: { 'ses:FromAddress': settings.notifications.email.from } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
