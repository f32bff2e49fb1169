import type { ProtectTag } from '../policy/model.js';
import type { Deleter } from './deleter.js';

/** One IAM policy statement, as JSON. */
export interface IamPolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface TeardownPolicyOptions {
  /** The PoC tag: deletions are allowed only on resources carrying it. */
  tagKey: string;
  /** Resources carrying it are never deleted, whatever the plan says (an explicit Deny). */
  protectTag: ProtectTag;
  /**
   * settings.teardownAccounts: deletions are allowed only on resources in these accounts. None means
   * teardowns only plan, so the role gets no delete permission at all.
   */
  accounts?: readonly string[];
  /** The ARN partition: "aws", or a CloudFormation token such as `${AWS::Partition}`. */
  partition?: string;
}

export class TeardownPolicyError extends Error {
  override readonly name = 'TeardownPolicyError';
}

/** Reads the re-check makes besides the deleters' describe calls: each resource's idle signal. */
export const RECHECK_READ_ACTIONS: readonly string[] = ['cloudwatch:GetMetricData'];

/** The tag every final snapshot or backup carries (src/teardown/deleters/tags.ts sets it). */
export const FINAL_COPY_TAG_KEY = 'pocketwatch:final-copy';

type Condition = NonNullable<IamPolicyStatement['Condition']>;

/** Where an action acts on more than one kind of resource, each kind gets its own grant. */
interface ResourceGrant {
  /** ARN patterns; `{partition}` is replaced. */
  resources: string[];
  /** 'poc-resource': the PoC tag and account conditions; otherwise this condition as it is. */
  condition: 'poc-resource' | Condition;
}

/**
 * Actions that create a final copy act on two resources: the PoC's own, which carries the tag and is
 * conditioned like a deletion, and the new copy, which has no tags yet, so `aws:ResourceTag` cannot
 * match it. The copy is allowed only when the request tags it as a pocketwatch final copy, and
 * tagging only as part of creating one.
 */
const SPLIT_GRANTS: Readonly<Record<string, readonly ResourceGrant[]>> = {
  'ec2:CreateSnapshot': [
    { resources: ['arn:{partition}:ec2:*:*:volume/*'], condition: 'poc-resource' },
    {
      resources: ['arn:{partition}:ec2:*::snapshot/*'],
      condition: { StringLike: { [`aws:RequestTag/${FINAL_COPY_TAG_KEY}`]: '?*' } },
    },
  ],
  'ec2:CreateTags': [
    {
      resources: ['arn:{partition}:ec2:*::snapshot/*'],
      condition: { StringEquals: { 'ec2:CreateAction': 'CreateSnapshot' } },
    },
  ],
};

/**
 * ARN patterns for deleters whose service has no `aws:ResourceTag` condition on its delete actions;
 * such a deleter without a pattern here is refused rather than granted on "*". None is needed yet.
 */
const DELETE_RESOURCE_ARNS: Readonly<Record<string, readonly string[]>> = {};

/**
 * The teardown role's statements, derived from what the deleters declare (Cloud Custodian style):
 *
 * - describe actions and the re-check's GetMetricData on "*" (read-only; neither has resource-level
 *   permissions);
 * - delete actions only on resources that carry the PoC tag (`aws:ResourceTag/<tagKey>` present) in an
 *   allowed account (`aws:ResourceAccount`), for deleters whose service honours tag conditions;
 *   otherwise on the deleter's ARN patterns; never on "*" without a condition;
 * - a Deny of every delete action on resources carrying the protect tag, which holds even if another
 *   policy attached later allows more.
 *
 * Without allowed accounts there are no delete statements: teardowns can only plan.
 */
export function teardownRoleStatements(
  deleters: readonly Deleter[],
  options: TeardownPolicyOptions,
): IamPolicyStatement[] {
  const partition = options.partition ?? 'aws';
  const arn = (pattern: string) => pattern.replaceAll('{partition}', partition);
  const describe = unique([...RECHECK_READ_ACTIONS, ...deleters.flatMap((deleter) => deleter.iam.describe)]);
  const statements: IamPolicyStatement[] = [];
  if (describe.length > 0) {
    statements.push({ Sid: 'TeardownDescribe', Effect: 'Allow', Action: describe, Resource: '*' });
  }
  const accounts = unique(options.accounts ?? []);
  if (accounts.length === 0) return statements;

  const pocResource: Condition = {
    StringLike: { [`aws:ResourceTag/${options.tagKey}`]: '?*' },
    StringEquals: { 'aws:ResourceAccount': accounts },
  };
  const tagged: string[] = [];
  const byArn = new Map<string, { actions: string[]; resources: string[] }>();
  const split = new Map<string, ResourceGrant[]>();
  for (const deleter of deleters) {
    for (const action of deleter.iam.delete) {
      const grants = SPLIT_GRANTS[action];
      if (grants) {
        split.set(action, [...grants]);
        continue;
      }
      if (deleter.iam.tagCondition) {
        tagged.push(action);
        continue;
      }
      const patterns = DELETE_RESOURCE_ARNS[deleter.type];
      if (!patterns || patterns.length === 0) {
        throw new TeardownPolicyError(
          `deleter ${deleter.type} (${deleter.label}): ${action} cannot be limited by the PoC tag and no resource ARN pattern is known for it; add one to DELETE_RESOURCE_ARNS rather than grant it on "*"`,
        );
      }
      const entry = byArn.get(deleter.type) ?? { actions: [], resources: patterns.map(arn) };
      entry.actions.push(action);
      byArn.set(deleter.type, entry);
    }
  }

  if (tagged.length > 0) {
    statements.push({
      Sid: 'TeardownDeletePocResources',
      Effect: 'Allow',
      Action: unique(tagged),
      Resource: '*',
      Condition: pocResource,
    });
  }
  for (const [type, entry] of [...byArn].sort(([a], [b]) => a.localeCompare(b))) {
    statements.push({
      Sid: `TeardownDelete${sidPart(type)}`,
      Effect: 'Allow',
      Action: unique(entry.actions),
      Resource: entry.resources,
      Condition: { StringEquals: { 'aws:ResourceAccount': accounts } },
    });
  }
  for (const [action, grants] of [...split].sort(([a], [b]) => a.localeCompare(b))) {
    grants.forEach((grant, index) => {
      statements.push({
        Sid: `TeardownFinalCopy${sidPart(action)}${index + 1}`,
        Effect: 'Allow',
        Action: [action],
        Resource: grant.resources.map(arn),
        Condition: grant.condition === 'poc-resource' ? pocResource : grant.condition,
      });
    });
  }

  const everyDelete = unique(deleters.flatMap((deleter) => deleter.iam.delete));
  statements.push({
    Sid: 'TeardownNeverProtected',
    Effect: 'Deny',
    Action: everyDelete,
    Resource: '*',
    Condition: {
      StringEqualsIgnoreCase: { [`aws:ResourceTag/${options.protectTag.key}`]: options.protectTag.value },
    },
  });
  return statements;
}

/** The teardown role's policy document (`pocketwatch iam-policy --teardown`). */
export function teardownRolePolicy(
  deleters: readonly Deleter[],
  options: TeardownPolicyOptions,
): { Version: '2012-10-17'; Statement: IamPolicyStatement[] } {
  return { Version: '2012-10-17', Statement: teardownRoleStatements(deleters, options) };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Statement ids allow only letters and digits. */
function sidPart(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('');
}

/** Every action a deleter may take to delete (final copies included): what only the teardown role may do. */
export function deleteActionsOf(deleters: readonly Deleter[]): string[] {
  return unique(deleters.flatMap((deleter) => deleter.iam.delete));
}
