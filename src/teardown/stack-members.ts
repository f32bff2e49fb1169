import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { isExcluded, isProtected } from '../core/idle/resource-filters.js';
import { nextPageToken } from '../inventory/page-token.js';
import { tagRecord } from '../inventory/tag-record.js';
import type { ProtectTag } from '../policy/model.js';
import type { AwsClientPool } from './aws-client-pool.js';
import { deleterFor } from './deleters.js';
import { STACK_ID_TAG } from './safety-check.js';
import { teardownTarget } from './teardown-target.js';

/**
 * Types whose data a stack deletion keeps when data is kept: DynamoDB tables get an on-demand backup
 * first (the stack deleter), RDS instances and clusters a final snapshot (their default
 * DeletionPolicy), and a bucket that holds objects cannot be deleted by CloudFormation (it is
 * retained). Every other data-bearing member would go without a copy.
 */
const KEPT_BY_STACK_DELETION = new Set(['dynamodb:table', 'rds:db', 'rds:cluster', 's3']);

export interface StackMemberRules {
  tagKey: string;
  poc: string;
  protectTag: ProtectTag;
  /** Exclude patterns of the settings and the PoC's policy. */
  exclude: readonly string[];
  keepData: boolean;
}

/**
 * Why a stack must not be deleted although it passed its own checks, or undefined: DeleteStack
 * removes every member, including members that were never in the approved set because they are
 * protected, excluded or another PoC's (never proposed), and data the policy keeps. Members are
 * found by the tag CloudFormation puts on each (one Tagging API listing, free of charge); a member
 * the Tagging API lists although it is gone only makes this more cautious.
 */
export async function stackMembersProblem(
  clients: AwsClientPool,
  stack: { arn: string; region: string },
  rules: StackMemberRules,
): Promise<string | undefined> {
  const tagging = clients.get('tag', stack.region, (config) => new ResourceGroupsTaggingAPIClient(config));
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await tagging.send(
      new GetResourcesCommand({
        TagFilters: [{ Key: STACK_ID_TAG, Values: [stack.arn] }],
        ResourcesPerPage: 100,
        ...(token ? { PaginationToken: token } : {}),
      }),
    );
    for (const mapping of page.ResourceTagMappingList ?? []) {
      const arn = mapping.ResourceARN;
      if (!arn || arn === stack.arn) continue;
      const problem = memberProblem(arn, tagRecord(mapping.Tags), rules);
      if (problem) return `deleting it would also delete ${arn}, ${problem}`;
    }
    token = nextPageToken(page.PaginationToken, seen, 'tag:GetResources');
  } while (token);
  return undefined;
}

function memberProblem(
  arn: string,
  tags: Record<string, string>,
  rules: StackMemberRules,
): string | undefined {
  const value = tags[rules.tagKey];
  if (value !== undefined && value !== rules.poc) return `which carries ${rules.tagKey}=${value}`;
  if (isProtected({ tags }, rules.protectTag)) {
    return `which is tagged ${rules.protectTag.key}=${tags[rules.protectTag.key]}`;
  }
  if (isExcluded(arn, rules.exclude)) return 'which matches an exclude pattern';
  if (rules.keepData) {
    const deleter = deleterFor(teardownTarget({ arn }));
    if (deleter && deleter.data.kind !== 'none' && !KEPT_BY_STACK_DELETION.has(deleter.type)) {
      return `a ${deleter.label} whose data the policy keeps (teardown.data: keep)`;
    }
  }
  return undefined;
}
