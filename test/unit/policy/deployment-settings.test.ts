import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_DEFAULTS, resolveDeployment } from '../../../src/policy/deployment-settings.js';
import { load, yaml } from './policy-dir.js';

const POLICY = 'poc: a\nowners: [x]\n';

describe('settings.deployment', () => {
  it('reads schedules, subscriptions, logs and the organisation fan-out', async () => {
    const result = await load({
      'settings.yaml': yaml`
        timeZone: Europe/Berlin
        costGrouping: account
        deployment:
          digestHour: 7
          budgetCheckHours: [17, 12]
          alertEmails: [team@example.com]
          logRetentionDays: 90
          organization:
            memberAccounts: ["111122223333"]
      `,
      'a.yaml': POLICY,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const settings = result.policySet?.settings;
    expect(settings && resolveDeployment(settings)).toEqual({
      digestHour: 7,
      budgetCheckHours: [12, 17],
      alertEmails: ['team@example.com'],
      digestEmails: [],
      alarmEmails: [],
      logRetentionDays: 90,
      tracing: false,
      organization: {
        memberAccounts: ['111122223333'],
        roleName: DEPLOYMENT_DEFAULTS.memberRoleName,
        scanConcurrency: DEPLOYMENT_DEFAULTS.scanConcurrency,
      },
    });
  });

  it('fills every key in when the section is absent', () => {
    expect(resolveDeployment({})).toMatchObject({
      digestHour: 8,
      budgetCheckHours: [],
      logRetentionDays: 30,
    });
  });

  it('points at a bad hour, a retention CloudWatch refuses, an address and a typo', async () => {
    const result = await load({
      'settings.yaml': yaml`
        deployment:
          digestHour: 24
          logRetentionDays: 31
          alertEmails: [team]
          digestEmail: [team@example.com]
      `,
      'a.yaml': POLICY,
    });
    expect(result.errors.map((error) => [error.line, error.field])).toEqual([
      [2, 'deployment.digestHour'],
      [3, 'deployment.logRetentionDays'],
      [4, 'deployment.alertEmails[0]'],
      [5, 'deployment.digestEmail'],
    ]);
    expect(result.errors[3]?.suggestion).toBe('digestEmails');
  });

  it('refuses a budget check at the daily run hour, at that hour', async () => {
    const result = await load({
      'settings.yaml': 'deployment:\n  digestHour: 9\n  budgetCheckHours: [13, 9]\n',
      'a.yaml': POLICY,
    });
    expect(result.errors).toMatchObject([
      {
        line: 3,
        column: 26,
        field: 'deployment.budgetCheckHours[1]',
        message: "9 is the daily run's hour (digestHour), which checks budgets already",
      },
    ]);
  });

  it('warns when an organisation deployment groups costs by service', async () => {
    const result = await load({
      'settings.yaml': 'deployment:\n  organization:\n    memberAccounts: ["111122223333"]\n',
      'a.yaml': POLICY,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((warning) => [warning.line, warning.field])).toEqual([
      [2, 'deployment.organization'],
    ]);
  });
});
