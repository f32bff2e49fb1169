import { Aws, CfnOutput, CfnParameter, DefaultStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { runRoleActions } from '../src/app/iam-actions.js';
import type { Settings } from '../src/policy/model.js';
import { acknowledge } from './nag.js';

/** The management account's scanning role, by name, so member accounts can trust exactly it. */
export const ORGANIZATION_SCANNER_ROLE_NAME = 'pocketwatch-organization-scanner';

export interface MemberRoleStackProps extends StackProps {
  settings: Settings;
  roleName: string;
}

/**
 * The read-only role the idle scan assumes in each member account. StackSet-ready: no assets, no
 * bootstrap check, and the management account is a parameter, so one template deploys everywhere
 * (a service-managed StackSet with automatic deployment reaches new accounts of an OU by itself).
 * It trusts only the management account's scanner role, and may only read what the idle scan reads.
 * Cost Explorer is not among them: it is read once, in the management account.
 */
export class MemberRoleStack extends Stack {
  constructor(scope: Construct, id: string, props: MemberRoleStackProps) {
    super(scope, id, {
      ...props,
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    const management = new CfnParameter(this, 'ManagementAccountId', {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      description: 'The account where pocketwatch runs (the organisation management or a delegated account).',
    });
    const scanner = `arn:${Aws.PARTITION}:iam::${management.valueAsString}:role/${ORGANIZATION_SCANNER_ROLE_NAME}`;
    const reads = runRoleActions(props.settings).filter((action) => !action.startsWith('ce:'));
    const role = new Role(this, 'MemberScanRole', {
      roleName: props.roleName,
      description:
        'pocketwatch: read-only idle scan from the management account (no Cost Explorer, no writes)',
      // The account, narrowed to the scanner role by name: unlike a role ARN principal, this survives
      // the scanner role being recreated, and can be deployed before it exists.
      assumedBy: new AccountPrincipal(management.valueAsString).withConditions({
        ArnEquals: { 'aws:PrincipalArn': scanner },
      }),
      inlinePolicies: {
        IdleScan: new PolicyDocument({
          statements: [new PolicyStatement({ sid: 'PocketwatchIdleScan', actions: reads, resources: ['*'] })],
        }),
      },
    });
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Read-only calls with no resource-level permissions: the Tagging API, CloudWatch GetMetricData and describe calls (runRoleActions without Cost Explorer, derived from the idle rules).',
    );
    new CfnOutput(this, 'MemberScanRoleArn', { value: role.roleArn });
  }
}
