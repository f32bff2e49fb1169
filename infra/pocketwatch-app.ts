import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { DeploymentConfig } from './deployment-config.js';
import { MemberRoleStack } from './member-role-stack.js';
import { OrganizationStack } from './organization-stack.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export interface PocketwatchStacks {
  state: StatefulStack;
  service: StatelessStack;
  organization?: OrganizationStack;
  memberRole?: MemberRoleStack;
}

/** Stack names: what `npx cdk deploy` and `npx cdk destroy` take. */
export const STACK_NAMES = {
  state: 'PocketwatchState',
  service: 'PocketwatchService',
  organization: 'PocketwatchOrganization',
  memberRole: 'PocketwatchMemberRole',
} as const;

/**
 * The deployment: the stateful stack, the stateless one that uses it and, when settings name member
 * accounts, the organisation fan-out and the member role template. Environment-agnostic (account and
 * region come from the credentials at deploy time), so synthesis needs no AWS account. cdk-nag's
 * AwsSolutions pack checks everything; a finding that is not acknowledged with a reason fails synthesis.
 */
export function buildPocketwatchApp(app: App, config: DeploymentConfig): PocketwatchStacks {
  // Strong references: the stateful stack cannot drop an export the service still uses.
  app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  const organization = config.deployment.organization;
  const state = new StatefulStack(app, STACK_NAMES.state, {
    description: 'pocketwatch state: table, secrets and topics (retained)',
    deployment: config.deployment,
    terminationProtection: true,
  });
  const service = new StatelessStack(app, STACK_NAMES.service, {
    description: 'pocketwatch service: scheduled governance runs, approval endpoint, teardown worker',
    config,
    state,
    dailyRunThroughOrganization: organization !== undefined,
  });
  const stacks: PocketwatchStacks = { state, service };
  if (organization) {
    stacks.organization = new OrganizationStack(app, STACK_NAMES.organization, {
      description: 'pocketwatch organisation run: member account scans fanned out by Step Functions',
      config,
      state,
      service,
    });
    stacks.memberRole = new MemberRoleStack(app, STACK_NAMES.memberRole, {
      description: 'pocketwatch member account role: read-only idle scan (deploy with a StackSet)',
      settings: config.policySet.settings,
      roleName: organization.roleName,
    });
  }
  Tags.of(app).add('pocketwatch:component', 'pocketwatch');
  // The service's own resources are never PoCs: protected from any teardown, its own included.
  Tags.of(app).add(config.policySet.settings.protectTag.key, config.policySet.settings.protectTag.value);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stacks;
}
