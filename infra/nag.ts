import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on a construct (and everything under it) with the reason a
 * reviewer reads. cdk-nag v3 matches exact finding ids, e.g. `AwsSolutions-IAM5[Resource::*]`.
 */
export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

/**
 * The finding `grantInvoke` raises: it allows the function's ARN and `<ARN>:*` (its versions and
 * aliases), the second being a wildcard to cdk-nag. Acknowledged on the stack that holds the grant.
 */
export function acknowledgeInvokeVersions(grantingStack: Stack, fn: IFunction, why: string): void {
  const fnStack = Stack.of(fn);
  const logicalId = fnStack.getLogicalId(fn.node.defaultChild as CfnElement);
  acknowledge(grantingStack, `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`, why);
}
