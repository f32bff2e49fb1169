import type { DeploymentSettings, OrganizationDeployment, Settings } from './model.js';

/** The deployment with every key filled in, as the CDK app uses it. */
export interface ResolvedDeployment {
  digestHour: number;
  budgetCheckHours: number[];
  alertEmails: string[];
  digestEmails: string[];
  alarmEmails: string[];
  logRetentionDays: number;
  tracing: boolean;
  organization?: Required<OrganizationDeployment>;
}

/** What settings.deployment leaves out; the JSON Schema states the same defaults. */
export const DEPLOYMENT_DEFAULTS = {
  digestHour: 8,
  logRetentionDays: 30,
  tracing: false,
  memberRoleName: 'pocketwatch-member-scan',
  scanConcurrency: 40,
} as const;

/** settings.deployment over the defaults. */
export function resolveDeployment(settings: Pick<Settings, 'deployment'>): ResolvedDeployment {
  const raw: DeploymentSettings = settings.deployment ?? {};
  const resolved: ResolvedDeployment = {
    digestHour: raw.digestHour ?? DEPLOYMENT_DEFAULTS.digestHour,
    budgetCheckHours: [...(raw.budgetCheckHours ?? [])].sort((a, b) => a - b),
    alertEmails: [...(raw.alertEmails ?? [])],
    digestEmails: [...(raw.digestEmails ?? [])],
    alarmEmails: [...(raw.alarmEmails ?? [])],
    logRetentionDays: raw.logRetentionDays ?? DEPLOYMENT_DEFAULTS.logRetentionDays,
    tracing: raw.tracing ?? DEPLOYMENT_DEFAULTS.tracing,
  };
  if (raw.organization) {
    resolved.organization = {
      memberAccounts: [...raw.organization.memberAccounts],
      roleName: raw.organization.roleName ?? DEPLOYMENT_DEFAULTS.memberRoleName,
      scanConcurrency: raw.organization.scanConcurrency ?? DEPLOYMENT_DEFAULTS.scanConcurrency,
    };
  }
  return resolved;
}
