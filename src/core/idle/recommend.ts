import { createHash } from 'node:crypto';
import type { TaggedResource } from '../../inventory/resource.js';
import type { Policy, ProtectTag } from '../../policy/model.js';
import { daysBetween, type IsoDate } from '../calendar.js';
import { expiryState } from '../expiry-alerts.js';
import { type Money, sumMoney, ZERO } from '../money.js';
import type { Recommendation, RecommendedResource, ResourceCostSource } from '../report.js';
import type { IdleJudgement, IdleWindow, ResourceState } from './idle-rule.js';
import { idleRuleFor } from './idle-rules.js';
import { monthlyFromHourly } from './price-table.js';
import { isExcluded, isProtected } from './resource-filters.js';

/** A resource's monthly cost as the caller knows it, with where the figure came from. */
export interface ResourceMonthlyCost {
  cost: Money;
  source: Exclude<ResourceCostSource, 'price-table' | 'unknown'>;
}

export interface TeardownInput {
  resources: readonly TaggedResource[];
  /** Idle judgements by ARN; resources without one are only proposed when their PoC has expired. */
  judgements: ReadonlyMap<string, IdleJudgement>;
  policies: readonly Policy[];
  /** PoCs past their `expires` day (see expiredPocs()). */
  expiredPocs: Iterable<string>;
  protectTag: ProtectTag;
  /** settings.exclude: ARNs or ARN globs never proposed, whatever the PoC. */
  exclude?: readonly string[];
  /** The best cost figure the caller has per ARN: Cost Explorer resource-level, else a billing export. */
  monthlyCosts: ReadonlyMap<string, ResourceMonthlyCost>;
  /** Describe data by ARN, for the price table (instance type, shard count). */
  states?: ReadonlyMap<string, ResourceState>;
  /** The window reported for resources of an expired PoC that have no judgement. */
  window: IdleWindow;
  asOf: IsoDate;
  /** The price table is in USD: other currencies get costSource 'unknown' instead. */
  currency?: string;
}

/**
 * Teardown recommendations, pure: one per PoC with idle resources (reason 'idle'), and one per
 * expired PoC covering all its resources, idle or not (reason 'expired', which takes the place of an
 * idle one). Protected resources, excluded ones (policy or settings) and resources outside the
 * accounts a policy is scoped to are never proposed. Ordered by savings, largest first, then PoC.
 */
export function recommendTeardowns(input: TeardownInput): Recommendation[] {
  const policies = new Map(input.policies.map((policy) => [policy.poc, policy]));
  const expired = new Set(input.expiredPocs);
  const byPoc = new Map<string, TaggedResource[]>();
  for (const resource of input.resources) {
    if (!proposable(resource, policies.get(resource.poc), input)) continue;
    const list = byPoc.get(resource.poc) ?? [];
    list.push(resource);
    byPoc.set(resource.poc, list);
  }

  const recommendations: Recommendation[] = [];
  for (const [poc, resources] of byPoc) {
    const isExpired = expired.has(poc);
    const chosen = isExpired
      ? resources
      : resources.filter((resource) => input.judgements.get(resource.arn)?.idle === true);
    if (chosen.length === 0) continue;
    const recommended = chosen
      .map((resource) => recommendedResource(resource, policies.get(poc), isExpired, input))
      .sort((a, b) =>
        a.monthlyCost === b.monthlyCost ? compare(a.arn, b.arn) : a.monthlyCost > b.monthlyCost ? -1 : 1,
      );
    recommendations.push({
      id: recommendationId(
        poc,
        recommended.map((resource) => resource.arn),
      ),
      poc,
      reason: isExpired ? 'expired' : 'idle',
      resources: recommended,
      estimatedMonthlySavings: sumMoney(recommended.map((resource) => resource.monthlyCost)),
    });
  }
  return recommendations.sort(
    (a, b) =>
      (a.estimatedMonthlySavings === b.estimatedMonthlySavings
        ? 0
        : a.estimatedMonthlySavings > b.estimatedMonthlySavings
          ? -1
          : 1) ||
      compare(a.poc, b.poc) ||
      compare(a.reason, b.reason),
  );
}

/**
 * Short hex of SHA-256 over the PoC and the sorted, exact ARN set: the same set keeps its id from
 * run to run (so an approval stays attached to it), any change makes a new one.
 */
export function recommendationId(poc: string, arns: readonly string[]): string {
  const sorted = [...new Set(arns)].sort(compare);
  return createHash('sha256')
    .update([poc, ...sorted].join('\n'))
    .digest('hex')
    .slice(0, 16);
}

/** The PoCs whose `expires` day is before `asOf`, as the expiry alerts see them. */
export function expiredPocs(policies: readonly Policy[], asOf: IsoDate): string[] {
  return policies
    .filter((policy) => expiryState(asOf, policy.expires, policy.expiryWarningDays) === 'expired')
    .map((policy) => policy.poc);
}

/**
 * The best monthly cost figure: the caller's (Cost Explorer resource-level, billing export), else the
 * price table's hourly price × 730 h, else 0 marked 'unknown'.
 */
export function monthlyCostOf(
  resource: TaggedResource,
  known: ReadonlyMap<string, ResourceMonthlyCost>,
  state: ResourceState | undefined,
  currency = 'USD',
): { monthlyCost: Money; costSource: ResourceCostSource } {
  const given = known.get(resource.arn);
  if (given) return { monthlyCost: given.cost, costSource: given.source };
  const hourly = currency === 'USD' ? idleRuleFor(resource)?.hourlyPrice?.(resource, state) : undefined;
  if (hourly) return { monthlyCost: monthlyFromHourly(hourly), costSource: 'price-table' };
  return { monthlyCost: ZERO, costSource: 'unknown' };
}

function proposable(resource: TaggedResource, policy: Policy | undefined, input: TeardownInput): boolean {
  if (isProtected(resource, input.protectTag)) return false;
  if (isExcluded(resource.arn, input.exclude) || isExcluded(resource.arn, policy?.exclude)) return false;
  // A resource of the PoC's tag in another account is someone else's; an unknown account (API
  // Gateway ARNs carry none) is left to the re-check before any teardown.
  const accounts = policy?.accounts;
  if (accounts && resource.account !== '' && !accounts.includes(resource.account)) return false;
  return true;
}

function recommendedResource(
  resource: TaggedResource,
  policy: Policy | undefined,
  expired: boolean,
  input: TeardownInput,
): RecommendedResource {
  const judgement = input.judgements.get(resource.arn);
  const rule = idleRuleFor(resource);
  const { monthlyCost, costSource } = monthlyCostOf(
    resource,
    input.monthlyCosts,
    input.states?.get(resource.arn),
    input.currency,
  );
  let evidence = judgement?.evidence ?? (rule ? 'activity not read' : 'no idle rule for this resource type');
  if (expired && policy?.expires) {
    const days = daysBetween(policy.expires, input.asOf);
    evidence = `PoC expired ${policy.expires}, ${days} day${days === 1 ? '' : 's'} before ${input.asOf}; ${evidence}`;
  }
  return {
    arn: resource.arn,
    type: resource.type,
    region: resource.region,
    account: resource.account,
    ...(judgement?.idle && judgement.idleSince ? { idleSince: judgement.idleSince } : {}),
    window: judgement?.window ?? input.window,
    evidence,
    monthlyCost,
    costSource,
    holdsData: rule?.holdsData ?? true,
  };
}

/** Code-unit order: the same on every machine and locale, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
