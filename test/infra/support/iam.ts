import type { Template } from 'aws-cdk-lib/assertions';

export interface FoundStatement {
  /** The logical id of the policy or role that holds it. */
  holder: string;
  /** For role inline policies and attached policies: the roles' logical ids. */
  roles: string[];
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: unknown[];
  Condition?: Record<string, unknown>;
}

/** Every IAM statement in a template: policies attached to roles and roles' inline policies. */
export function iamStatements(template: Template): FoundStatement[] {
  const found: FoundStatement[] = [];
  const add = (holder: string, roles: string[], document: { Statement?: unknown[] } | undefined) => {
    for (const raw of document?.Statement ?? []) {
      const statement = raw as {
        Effect: 'Allow' | 'Deny';
        Action: unknown;
        Resource: unknown;
        Condition?: Record<string, unknown>;
      };
      found.push({
        holder,
        roles,
        Effect: statement.Effect,
        Action: [statement.Action].flat() as string[],
        Resource: [statement.Resource].flat(),
        ...(statement.Condition ? { Condition: statement.Condition } : {}),
      });
    }
  };
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    const roles = ((policy.Properties.Roles ?? []) as Array<{ Ref?: string }>).map((role) => role.Ref ?? '?');
    add(id, roles, policy.Properties.PolicyDocument);
  }
  for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const inline of (role.Properties.Policies ?? []) as Array<{
      PolicyDocument: { Statement?: unknown[] };
    }>) {
      add(id, [id], inline.PolicyDocument);
    }
  }
  return found;
}

/** Actions that remove or destroy something (the patterns AWS uses across services). */
export const DESTRUCTIVE_ACTION =
  /:(Delete|Terminate|Release|Remove|Deregister|Detach|Disassociate|Purge|Stop)/;

/** Whether a granted action (IAM wildcards `*` and `?` allowed) covers `action`. */
export function actionCovers(granted: string, action: string): boolean {
  if (granted === '*') return true;
  const pattern = granted
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 'i').test(action);
}

/** A resource that names more than one thing: "*", or an ARN with a wildcard in it. */
export function isWildcardResource(resource: unknown): boolean {
  return typeof resource === 'string' && resource.includes('*');
}

/** A condition that narrows a statement to tagged resources or to given accounts. */
export function narrowsToTagsOrAccounts(condition: Record<string, unknown> | undefined): boolean {
  return Object.values(condition ?? {}).some((test) =>
    Object.keys(test as Record<string, unknown>).some(
      (key) => key.startsWith('aws:ResourceTag/') || key === 'aws:ResourceAccount',
    ),
  );
}

/** The role (logical id) a function runs as. */
export function functionRole(template: Template, functionId: string): string {
  const fn = template.findResources('AWS::Lambda::Function')[functionId];
  const role = fn?.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  return role?.['Fn::GetAtt']?.[0] ?? '';
}

/** The logical id of the one resource of `type` whose id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} named ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}
