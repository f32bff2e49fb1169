import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETERS } from '../../src/teardown/deleters.js';
import { mutatingActionsOf } from '../../src/teardown/teardown-policy.js';
import { actionCovers, functionRole, iamStatements, logicalId } from './support/iam.js';
import {
  policiesWith,
  type SynthesizedDeployment,
  synthesize,
  unacknowledgedNagFindings,
} from './support/synth.js';

/**
 * A management account's deployment with everything settings can ask for: a time zone, budget
 * checks, email subscriptions, a teardown allow-list and member accounts to fan out to.
 */
const SETTINGS = `
costGrouping: account
teardownAccounts: ["111122223333"]
deployment:
  digestHour: 7
  budgetCheckHours: [17, 13]
  alertEmails: [team@example.com]
  digestEmails: [team@example.com, lead@example.com]
  alarmEmails: [oncall@example.com]
  logRetentionDays: 90
  tracing: true
  organization:
    memberAccounts: ["111122223333", "444455556666", "777788889999"]
    scanConcurrency: 25
`;

let deployment: SynthesizedDeployment;
let policies: { dir: string; cleanup(): void };

beforeAll(async () => {
  policies = policiesWith(SETTINGS, { 'timeZone: UTC': 'timeZone: Europe/Berlin' });
  deployment = await synthesize(policies.dir);
}, 180_000);
afterAll(() => {
  deployment?.cleanup();
  policies?.cleanup();
});

const service = () => deployment.template(deployment.stacks.service);
const organization = () => {
  const stack = deployment.stacks.organization;
  if (!stack) throw new Error('no organisation stack');
  return deployment.template(stack);
};

describe('schedules in the team’s time zone', () => {
  it('check budgets at the extra hours, and leave the daily run to the state machine', () => {
    const schedules = Object.values(service().findResources('AWS::Scheduler::Schedule'));
    expect(schedules.map((schedule) => schedule.Properties)).toEqual([
      expect.objectContaining({
        ScheduleExpression: 'cron(0 13,17 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        Target: expect.objectContaining({ Input: '{"mode":"budget-check"}' }),
      }),
    ]);
    organization().hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });

  it('subscribe the addresses from settings, and keep logs as long as settings say', () => {
    const subscriptions = Object.values(
      deployment.template(deployment.stacks.state).findResources('AWS::SNS::Subscription'),
    );
    expect(subscriptions.map((subscription) => subscription.Properties.Endpoint).sort()).toEqual([
      'lead@example.com',
      'oncall@example.com',
      'team@example.com',
      'team@example.com',
    ]);
    const groups = Object.values(service().findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toBe(90);
    }
    const functions = Object.values(service().findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const fn of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });
});

describe('the teardown role, with an allow-list', () => {
  it('may delete only resources carrying the PoC tag in the allowed accounts, and never protected ones', () => {
    const role = logicalId(service(), 'AWS::IAM::Role', 'TeardownRole');
    const statements = iamStatements(service()).filter((statement) => statement.roles.includes(role));
    const deletes = mutatingActionsOf(Object.values(DELETERS));
    const allowing = statements.filter(
      (statement) =>
        statement.Effect === 'Allow' && statement.Action.some((action) => deletes.includes(action)),
    );
    expect(allowing.length).toBeGreaterThan(0);
    for (const statement of allowing) {
      expect(statement.Condition, statement.Action.join()).toBeDefined();
      if (statement.Resource.includes('*')) {
        expect(statement.Condition).toEqual({
          StringLike: { 'aws:ResourceTag/poc': '?*' },
          StringEquals: { 'aws:ResourceAccount': ['111122223333'] },
        });
      }
    }
    expect(statements.find((statement) => statement.Effect === 'Deny')).toMatchObject({
      Action: expect.arrayContaining(deletes),
      Resource: ['*'],
      Condition: { StringEqualsIgnoreCase: { 'aws:ResourceTag/pocketwatch:protect': 'true' } },
    });
  });

  it('is the only role in any stack that may delete a PoC resource', () => {
    const teardownRole = logicalId(service(), 'AWS::IAM::Role', 'TeardownRole');
    const deletes = mutatingActionsOf(Object.values(DELETERS));
    for (const [name, template] of Object.entries(deployment.templates)) {
      for (const statement of iamStatements(template)) {
        if (statement.Effect !== 'Allow' || statement.roles.includes(teardownRole)) continue;
        expect(
          statement.Action.filter((action) => deletes.some((del) => actionCovers(action, del))),
          `${name} ${statement.holder}`,
        ).toEqual([]);
      }
    }
  });
});

describe('the organisation fan-out', () => {
  it('scans each member account in its own invocation, at most scanConcurrency at a time, then runs once', () => {
    const machines = Object.values(organization().findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(1);
    const definition = JSON.stringify(machines[0]?.Properties.DefinitionString);
    expect(definition).toContain('\\"MaxConcurrency\\":25');
    expect(definition).toContain('\\"accounts\\":[\\"111122223333\\",\\"444455556666\\",\\"777788889999\\"]');
    expect(definition).toContain('\\"ItemsPath\\":\\"$.accounts\\"');
    expect(definition).toContain('\\"memberScanRunId.$\\":\\"$.runId\\"');
    expect(machines[0]?.Properties).toMatchObject({
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: expect.objectContaining({ Level: 'ALL' }),
    });
  });

  it('lets the scanner only assume the member role, and alarms when a run fails', () => {
    const scan = logicalId(organization(), 'AWS::Lambda::Function', 'MemberScan');
    const role = functionRole(organization(), scan);
    const actions = iamStatements(organization())
      .filter((statement) => statement.roles.includes(role))
      .flatMap((statement) => statement.Action);
    expect(
      actions.filter(
        (action) =>
          !action.startsWith('logs:') && !action.startsWith('dynamodb:') && !action.startsWith('xray:'),
      ),
    ).toEqual(['sts:AssumeRole']);
    organization().hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed' });
  });

  it('ships a member role template that trusts the scanner role only and reads without Cost Explorer', () => {
    const stack = deployment.stacks.memberRole;
    if (!stack) throw new Error('no member role stack');
    const template = deployment.template(stack);
    expect(Object.keys(template.toJSON().Parameters ?? {})).toEqual(['ManagementAccountId']);
    const statements = iamStatements(template);
    const actions = statements.flatMap((statement) => statement.Action);
    expect(actions).toContain('tag:GetResources');
    expect(actions.some((action) => action.startsWith('ce:'))).toBe(false);
    expect(actions.every((action) => /:(Get|Describe|List)/.test(action))).toBe(true);
    const trust = Object.values(template.findResources('AWS::IAM::Role'))[0]?.Properties
      .AssumeRolePolicyDocument;
    expect(JSON.stringify(trust)).toContain(':role/pocketwatch-organization-scanner');
    // StackSet-ready: no bootstrap version check, no assets.
    expect(template.toJSON().Rules).toBeUndefined();
  });
});

describe('cdk-nag', () => {
  it('finds nothing that is not acknowledged with a reason, in all four stacks', () => {
    expect(unacknowledgedNagFindings(deployment.app)).toEqual([]);
  });
});
