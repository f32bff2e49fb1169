import type { RecommendationRecord } from '../approval/lifecycle.js';
import type { IsoDate } from '../core/calendar.js';
import { errorMessage } from '../core/error-message.js';
import type { IdleJudgement, ResourceState } from '../core/idle/idle-rule.js';
import { idleRuleFor } from '../core/idle/idle-rules.js';
import { judgePlan, planIdleScan } from '../core/idle/idle-scan.js';
import { expiredPocs } from '../core/idle/recommend.js';
import { idleOverrideFor, isExcluded } from '../core/idle/resource-filters.js';
import { mapBounded } from '../inventory/bounded-map.js';
import type { ActivityReader } from '../inventory/metric-query.js';
import type { TaggedResource } from '../inventory/resource.js';
import type { Policy, PolicySet } from '../policy/model.js';
import { teardownDataOf } from '../policy/teardown-data.js';
import type { AwsClientPool } from './aws-client-pool.js';
import type { Deleter, LiveResource } from './deleter.js';
import { DELETERS, deleterFor } from './deleters.js';
import { describeLive } from './describe-live.js';
import { STACK_ID_TAG, safetyProblem } from './safety-check.js';
import { stackMembersProblem } from './stack-members.js';
import { type TeardownTarget, teardownTarget } from './teardown-target.js';

/** Describe calls at a time: a large approved set must not trip the services' throttling. */
const DESCRIBE_CONCURRENCY = 8;

/** What the re-check found for one resource of the approved set. */
export type ResourceCheck =
  | {
      verdict: 'proceed';
      target: TeardownTarget;
      deleter: Deleter;
      live: LiveResource;
      /** The stack (in the approved set) whose deletion removes this resource. */
      stack?: string;
    }
  | { verdict: 'already-gone'; target: TeardownTarget; reason: string }
  | {
      verdict: 'skip';
      target: TeardownTarget;
      reason: string;
      /** The approved stack it belongs to: a stack must not go while a member of it is skipped. */
      stack?: string;
    };

export interface RecheckInput {
  record: RecommendationRecord;
  policySet: PolicySet;
  /** The account the credentials act in (STS GetCallerIdentity). */
  account: string;
  clients: AwsClientPool;
  activity: ActivityReader;
  /** Today (UTC): the idle window ends here, and expiry is judged on it. */
  asOf: IsoDate;
  deleters?: Readonly<Record<string, Deleter>>;
}

/**
 * Re-checks every resource of an approved recommendation at execution time, from the live account
 * and never from what was recorded: the account is on the teardown allow-list; a deleter exists;
 * the resource is not excluded; it still exists (the service's own describe call, so a Tagging API
 * ghost is found gone); it still carries the PoC's tag value; nothing protects it; a resource of a
 * CloudFormation stack goes only with its stack; and it is still idle (for an expired PoC: the PoC
 * is still expired, and the resource has not become active). Anything that fails is skipped with
 * the reason, never deleted. Describe calls are free; the idle signals cost what a scan of these few
 * resources costs (GetMetricData per metric).
 */
export async function recheckResources(input: RecheckInput): Promise<ResourceCheck[]> {
  const { record, policySet } = input;
  const { recommendation } = record;
  const { settings } = policySet;
  const policy = policySet.policies.find((candidate) => candidate.poc === recommendation.poc);
  const deleters = input.deleters ?? DELETERS;
  const approvedArns = new Set(recommendation.resources.map((resource) => resource.arn));
  const allowList = settings.teardownAccounts ?? [];

  const checks = await mapBounded(
    recommendation.resources,
    DESCRIBE_CONCURRENCY,
    async (resource): Promise<ResourceCheck> => {
      const target = teardownTarget(resource);
      const skip = (reason: string): ResourceCheck => ({ verdict: 'skip', target, reason });
      if (!allowList.includes(input.account)) {
        return skip(
          allowList.length === 0
            ? 'no account is on the teardown allow-list (settings.teardownAccounts): teardowns only plan'
            : `account ${input.account} is not on the teardown allow-list (settings.teardownAccounts)`,
        );
      }
      if (target.account !== '' && target.account !== input.account) {
        return skip(`it is in account ${target.account}, and these credentials act in ${input.account}`);
      }
      const deleter = deleterFor(target, deleters);
      if (!deleter) return skip(`pocketwatch has no deleter for ${target.type}: remove it by hand`);
      if (isExcluded(target.arn, settings.exclude) || isExcluded(target.arn, policy?.exclude)) {
        return skip('it matches an exclude pattern in the settings or the policy');
      }
      let live: LiveResource;
      try {
        live = await describeLive(deleter, input.clients, target);
      } catch (error) {
        return skip(`could not re-check it: ${errorMessage(error)}`);
      }
      if (live.status === 'gone') {
        return { verdict: 'already-gone', target, reason: `${deleter.label} no longer exists` };
      }
      const stack = live.tags[STACK_ID_TAG];
      const inStack = stack !== undefined && stack !== target.arn ? stack : undefined;
      const problem = safetyProblem(live, {
        tagKey: settings.tagKey,
        poc: recommendation.poc,
        protectTag: settings.protectTag,
      });
      if (problem) return { ...skip(problem), ...(inStack ? { stack: inStack } : {}) };
      if (inStack) {
        if (!approvedArns.has(inStack)) {
          return skip(
            `it belongs to CloudFormation stack ${stackName(inStack)}: remove it from the template and deploy, or tear down the whole stack`,
          );
        }
        return { verdict: 'proceed', target, deleter, live, stack: inStack };
      }
      return { verdict: 'proceed', target, deleter, live };
    },
  );
  return guardStacks(await checkActivity(checks, input, policy), input, policy);
}

/**
 * A stack goes only if everything its deletion removes may go: no member of it was skipped, and
 * no member outside the approved set is protected, excluded, another PoC's, or data the policy keeps.
 */
async function guardStacks(
  checks: ResourceCheck[],
  input: RecheckInput,
  policy: Policy | undefined,
): Promise<ResourceCheck[]> {
  const { settings } = input.policySet;
  const keepData = teardownDataOf(policy) === 'keep';
  const blocked = new Map<string, string>();
  for (const check of checks) {
    if (check.verdict === 'skip' && check.stack && !blocked.has(check.stack)) {
      blocked.set(
        check.stack,
        `deleting it would also delete ${check.target.arn}, which is skipped: ${check.reason}`,
      );
    }
  }
  for (const check of checks) {
    if (check.verdict !== 'proceed' || check.deleter.type !== 'cloudformation:stack') continue;
    if (blocked.has(check.target.arn)) continue;
    try {
      const problem = await stackMembersProblem(input.clients, check.target, {
        tagKey: settings.tagKey,
        poc: input.record.recommendation.poc,
        protectTag: settings.protectTag,
        exclude: [...(settings.exclude ?? []), ...(policy?.exclude ?? [])],
        keepData,
      });
      if (problem) blocked.set(check.target.arn, problem);
    } catch (error) {
      blocked.set(
        check.target.arn,
        `could not re-check what its deletion would remove: ${errorMessage(error)}`,
      );
    }
  }
  return checks.map((check) => {
    const reason = check.verdict === 'proceed' ? blocked.get(check.target.arn) : undefined;
    return reason ? skipCheck(check, reason) : check;
  });
}

/** Resources with an idle rule are judged again now; the rest pass as they are. */
async function checkActivity(
  checks: ResourceCheck[],
  input: RecheckInput,
  policy: Policy | undefined,
): Promise<ResourceCheck[]> {
  const { recommendation } = input.record;
  const { settings } = input.policySet;
  const expired = recommendation.reason === 'expired';
  if (expired && !expiredPocs(input.policySet.policies, input.asOf).includes(recommendation.poc)) {
    const reason = policy?.expires
      ? `${recommendation.poc} is no longer expired (its policy now expires ${policy.expires})`
      : `${recommendation.poc} is no longer expired (its policy has no expiry date now)`;
    return checks.map((check) => (check.verdict === 'proceed' ? skipCheck(check, reason) : check));
  }

  const resources: TaggedResource[] = [];
  const states = new Map<string, ResourceState>();
  for (const check of checks) {
    if (check.verdict !== 'proceed') continue;
    const { target, live } = check;
    resources.push({ ...target, tags: live.tags, poc: recommendation.poc });
    if (live.state) states.set(target.arn, live.state);
  }
  const plan = planIdleScan(resources, input.asOf, (_resource, type) =>
    idleOverrideFor(type, settings.idle, policy?.idle),
  );
  let judgements: Map<string, IdleJudgement>;
  try {
    const series =
      plan.queries.length > 0
        ? await input.activity.read(plan.queries, {
            start: new Date(`${plan.window.start}T00:00:00Z`),
            end: new Date(`${plan.window.end}T00:00:00Z`),
            periodSeconds: 86_400,
          })
        : new Map();
    judgements = judgePlan(plan, series, states);
  } catch (error) {
    const reason = `could not re-check its activity: ${errorMessage(error)}`;
    const judged = new Set(plan.items.map((item) => item.resource.arn));
    return checks.map((check) =>
      check.verdict === 'proceed' && judged.has(check.target.arn) ? skipCheck(check, reason) : check,
    );
  }

  return checks.map((check) => {
    if (check.verdict !== 'proceed') return check;
    const judgement = judgements.get(check.target.arn);
    if (expired) {
      // Expired PoCs go whole, idle or not, unless a resource's traffic shows someone uses it now. A
      // state (an address associated with the NAT gateway going with it) is not traffic.
      if (
        judgement &&
        !judgement.idle &&
        !judgement.insufficientData &&
        idleRuleFor(check.target)?.kind === 'metric'
      ) {
        return skipCheck(check, `it is in use again: ${judgement.evidence}`);
      }
      return check;
    }
    if (!judgement) return skipCheck(check, 'its idle rule is turned off now, so it cannot be shown idle');
    if (judgement.insufficientData)
      return skipCheck(check, `it cannot be shown idle now: ${judgement.evidence}`);
    if (!judgement.idle) return skipCheck(check, `it is no longer idle: ${judgement.evidence}`);
    return check;
  });
}

function skipCheck(check: ResourceCheck, reason: string): ResourceCheck {
  const stack = check.verdict === 'already-gone' ? undefined : check.stack;
  return { verdict: 'skip', target: check.target, reason, ...(stack ? { stack } : {}) };
}

/** "my-stack" from arn:aws:cloudformation:region:account:stack/my-stack/guid. */
export function stackName(stackArn: string): string {
  return /:stack\/([^/]+)/.exec(stackArn)?.[1] ?? stackArn;
}
