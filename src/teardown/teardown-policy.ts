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

/** Every final snapshot or backup a teardown takes is named with this prefix (teardown-plan.ts). */
export const FINAL_COPY_PREFIX = 'pocketwatch-final-';

/** Where an action acts on more than one kind of resource, each kind gets its own grant. */
interface ResourceGrant {
  /** ARN patterns; `{partition}` is replaced. */
  resources: string[];
  /**
   * 'poc-resource': the PoC tag and the allowed accounts; 'account': the allowed accounts only;
   * otherwise this condition, with the allowed accounts added.
   */
  condition: 'poc-resource' | 'account' | Condition;
}

const EC2_SNAPSHOT = 'arn:{partition}:ec2:*::snapshot/*';
const TAGGED_AS_FINAL_COPY: Condition = { StringLike: { [`aws:RequestTag/${FINAL_COPY_TAG_KEY}`]: '?*' } };
const RDS_FINAL_SNAPSHOTS = [
  `arn:{partition}:rds:*:*:snapshot:${FINAL_COPY_PREFIX}*`,
  `arn:{partition}:rds:*:*:cluster-snapshot:${FINAL_COPY_PREFIX}*`,
];

/**
 * Actions that take a final copy act on two resources: the PoC's own, which carries the tag and is
 * conditioned like a deletion, and the new copy, which has no tags yet, so `aws:ResourceTag` cannot
 * match it. The copy is allowed only when the request tags it as a pocketwatch final copy (EC2), or
 * under the final-copy name prefix (RDS names its final snapshot in the delete call), and tagging only
 * as part of creating one.
 */
const SPLIT_GRANTS: Readonly<Record<string, readonly ResourceGrant[]>> = {
  'ec2:CreateSnapshot': [
    { resources: ['arn:{partition}:ec2:*:*:volume/*'], condition: 'poc-resource' },
    { resources: [EC2_SNAPSHOT], condition: TAGGED_AS_FINAL_COPY },
  ],
  'ec2:CreateSnapshots': [
    { resources: ['arn:{partition}:ec2:*:*:instance/*'], condition: 'poc-resource' },
    // The instance's attached volumes are named by the call too, and need not carry the tag.
    { resources: ['arn:{partition}:ec2:*:*:volume/*'], condition: 'account' },
    { resources: [EC2_SNAPSHOT], condition: TAGGED_AS_FINAL_COPY },
  ],
  'ec2:CreateTags': [
    {
      resources: [EC2_SNAPSHOT],
      condition: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateSnapshots'] } },
    },
  ],
  'rds:CreateDBSnapshot': [
    { resources: ['arn:{partition}:rds:*:*:db:*'], condition: 'poc-resource' },
    { resources: [RDS_FINAL_SNAPSHOTS[0] as string], condition: 'account' },
  ],
  'rds:CreateDBClusterSnapshot': [
    { resources: ['arn:{partition}:rds:*:*:cluster:*'], condition: 'poc-resource' },
    { resources: [RDS_FINAL_SNAPSHOTS[1] as string], condition: 'account' },
  ],
  'rds:AddTagsToResource': [{ resources: RDS_FINAL_SNAPSHOTS, condition: 'account' }],
};

/**
 * ARN patterns for deleters whose service has no `aws:ResourceTag` condition on its delete actions.
 * A deleter without tag conditions and without a pattern here is refused rather than granted on "*".
 *
 * S3 is the exception the issue allows for: bucket and object deletions cannot be conditioned on the
 * bucket's tags, so they are allowed on buckets of the allowed accounts (aws:ResourceAccount), and the
 * executor checks the bucket's PoC and protect tags (GetBucketTagging) right before emptying it.
 */
const DELETE_RESOURCE_ARNS: Readonly<Record<string, readonly string[]>> = {
  s3: ['arn:{partition}:s3:::*', 'arn:{partition}:s3:::*/*'],
};

/** Reads need no condition: deleters list some (DescribeStacks, ListBackups, …) among their delete actions. */
export function isReadOnlyAction(action: string): boolean {
  return /^[\w-]+:(Describe|List|Get|Head)/.test(action) || action === 'apigateway:GET';
}

/**
 * The teardown role's statements, derived from what the deleters declare (Cloud Custodian style):
 *
 * - describe calls, the reads deleters list among their delete actions, and the re-check's
 *   GetMetricData on "*" (read-only; these calls have no resource-level permissions);
 * - delete actions only on resources that carry the PoC tag (`aws:ResourceTag/<tagKey>` present) in an
 *   allowed account (`aws:ResourceAccount`), for deleters whose service honours tag conditions;
 *   otherwise on the deleter's ARN patterns in the allowed accounts; final copies split by resource;
 *   never on "*" without a condition;
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
  const mutating = mutatingActionsOf(deleters);
  const reads = unique([
    ...RECHECK_READ_ACTIONS,
    ...deleters.flatMap((deleter) => [
      ...deleter.iam.describe,
      ...deleter.iam.delete.filter(isReadOnlyAction),
    ]),
  ]);
  const statements: IamPolicyStatement[] = [];
  if (reads.length > 0)
    statements.push({ Sid: 'TeardownDescribe', Effect: 'Allow', Action: reads, Resource: '*' });
  const accounts = unique(options.accounts ?? []);
  if (accounts.length === 0) return statements;

  const inAccounts: Condition = { StringEquals: { 'aws:ResourceAccount': accounts } };
  const pocResource: Condition = {
    StringLike: { [`aws:ResourceTag/${options.tagKey}`]: '?*' },
    ...inAccounts,
  };
  const tagged = new Set<string>();
  const byArn = new Map<string, { actions: Set<string>; resources: string[] }>();
  const split = new Set<string>();
  for (const deleter of deleters) {
    for (const action of deleter.iam.delete) {
      if (isReadOnlyAction(action)) continue;
      if (SPLIT_GRANTS[action]) {
        split.add(action);
        continue;
      }
      if (deleter.iam.tagCondition) {
        tagged.add(action);
        continue;
      }
      const patterns = DELETE_RESOURCE_ARNS[deleter.type];
      if (!patterns || patterns.length === 0) {
        throw new TeardownPolicyError(
          `deleter ${deleter.type} (${deleter.label}): ${action} cannot be limited by the PoC tag and no resource ARN pattern is known for it; add one to DELETE_RESOURCE_ARNS rather than grant it on "*"`,
        );
      }
      const entry = byArn.get(deleter.type) ?? { actions: new Set<string>(), resources: patterns.map(arn) };
      entry.actions.add(action);
      byArn.set(deleter.type, entry);
    }
  }

  if (tagged.size > 0) {
    statements.push({
      Sid: 'TeardownDeletePocResources',
      Effect: 'Allow',
      Action: unique([...tagged]),
      Resource: '*',
      Condition: pocResource,
    });
  }
  for (const [type, entry] of [...byArn].sort(([a], [b]) => a.localeCompare(b))) {
    statements.push({
      Sid: `TeardownDelete${sidPart(type)}`,
      Effect: 'Allow',
      Action: unique([...entry.actions]),
      Resource: entry.resources,
      Condition: inAccounts,
    });
  }
  for (const action of unique([...split])) {
    (SPLIT_GRANTS[action] ?? []).forEach((grant, index) => {
      const condition =
        grant.condition === 'poc-resource'
          ? pocResource
          : grant.condition === 'account'
            ? inAccounts
            : { ...grant.condition, ...mergeStringEquals(grant.condition, inAccounts) };
      statements.push({
        Sid: `TeardownFinalCopy${sidPart(action)}${index + 1}`,
        Effect: 'Allow',
        Action: [action],
        Resource: grant.resources.map(arn),
        Condition: condition,
      });
    });
  }

  // Reads stay allowed, so the re-check can see the protect tag and skip the resource with a reason.
  statements.push({
    Sid: 'TeardownNeverProtected',
    Effect: 'Deny',
    Action: mutating,
    Resource: '*',
    Condition: {
      StringEqualsIgnoreCase: { [`aws:ResourceTag/${options.protectTag.key}`]: options.protectTag.value },
    },
  });
  return statements;
}

/** StringEquals of both conditions in one block (IAM allows one block per operator). */
function mergeStringEquals(a: Condition, b: Condition): Condition {
  const merged = { ...(a.StringEquals ?? {}), ...(b.StringEquals ?? {}) };
  return Object.keys(merged).length > 0 ? { StringEquals: merged } : {};
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

/** The deleters' actions that change something: what only the teardown role may do, never on a protected resource. */
export function mutatingActionsOf(deleters: readonly Deleter[]): string[] {
  return deleteActionsOf(deleters).filter((action) => !isReadOnlyAction(action));
}
