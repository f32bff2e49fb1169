import { parseArn, type TaggedResource } from '../../inventory/resource.js';
import { addDaysIso, eachDay, type IsoDate } from '../calendar.js';
import type { ResourceUsage, ResourceUsageDay } from '../cost-data.js';
import { formatCurrency, type Money, parseMoney, scaleMoney, sumMoney, ZERO } from '../money.js';
import type { IdleJudgement, IdleWindow } from './idle-rule.js';
import { idleRuleFor } from './idle-rules.js';
import type { ResourceMonthlyCost } from './recommend.js';
import { usageKind } from './usage-kind.js';

/**
 * A resource's monthly cost from an export: what it cost over the judged window, scaled to 30 days.
 * The window (not the last calendar month) is what the resource costs now, while idle: an expired
 * NAT gateway that stopped carrying traffic saves its hourly charge, not last month's bytes too.
 */
export const BILLING_MONTH_DAYS = 30;

export interface BillingIdleOptions {
  /** The PoC tag key, so the resources carry it like the Tagging API's do (default "poc"). */
  tagKey?: string;
  /** For amounts in evidence (default USD). */
  currency?: string;
}

export interface BillingIdleResult {
  /** Resources of a PoC that billed anything in the window, as the Tagging API would list them. */
  resources: TaggedResource[];
  /** By ARN, for every resource returned. */
  judgements: Map<string, IdleJudgement>;
  /** By ARN: cost over the 30 days before the window's end, costSource 'billing-export'. */
  monthlyCosts: Map<string, ResourceMonthlyCost>;
}

/**
 * Offline idle detection from a billing export's per-resource charges (FOCUS reader, `resources`
 * option). A resource that keeps billing for time with no usage-based charge over the whole window
 * is idle: a NAT gateway with NatGateway-Hours but no NatGateway-Bytes, a load balancer with
 * LoadBalancerUsage but ~0 LCU-hours, a Kinesis stream with shard hours but no PUT payload units; an
 * address billed as PublicIPv4:IdleAddress is idle by AWS's own account. Other types cannot be
 * judged from a bill (an EC2 instance bills the same hours busy or not) and are reported as not
 * judged. The window should end the day after the export's last day; an export that stops earlier
 * judges nothing.
 */
export function idleFromBillingExport(
  usages: readonly ResourceUsage[],
  window: IdleWindow,
  options: BillingIdleOptions = {},
): BillingIdleResult {
  const tagKey = options.tagKey ?? 'poc';
  const currency = options.currency ?? 'USD';
  const result: BillingIdleResult = { resources: [], judgements: new Map(), monthlyCosts: new Map() };
  let lastDay: IsoDate | undefined;
  for (const usage of usages) {
    const last = usage.days.at(-1)?.date;
    if (last !== undefined && (lastDay === undefined || last > lastDay)) lastDay = last;
  }

  for (const usage of usages) {
    if (usage.poc === null) continue;
    const inWindow = usage.days.filter((day) => day.date >= window.start && day.date < window.end);
    // Nothing billed in the window: deleted, or free while unused; nothing to propose either way.
    if (inWindow.length === 0) continue;
    const resource = toTaggedResource(usage, usage.poc, tagKey);
    result.resources.push(resource);
    const windowCost = sumMoney(inWindow.map(dayTotal));
    result.monthlyCosts.set(resource.arn, {
      cost: scaleMoney(windowCost, BigInt(BILLING_MONTH_DAYS), BigInt(window.days)),
      source: 'billing-export',
    });
    const judgement =
      lastDay !== undefined && lastDay < addDaysIso(window.end, -1)
        ? notJudged(window, `the export ends ${lastDay}, before the window's last day: not judged`)
        : judgeFromBill(usage, resource, inWindow, window, currency);
    result.judgements.set(resource.arn, judgement);
  }
  result.resources.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  return result;
}

function judgeFromBill(
  usage: ResourceUsage,
  resource: TaggedResource,
  inWindow: readonly ResourceUsageDay[],
  window: IdleWindow,
  currency: string,
): IdleJudgement {
  const money = (amount: Money) =>
    formatCurrency(amount, currency, amount !== ZERO && amount < 10n ** 16n ? 4 : 2);
  const firstDay = usage.days[0]?.date;
  if (firstDay !== undefined && firstDay > window.start) {
    return notJudged(
      window,
      `first billed ${firstDay}, less than the ${window.days}-day window ago: not judged yet`,
    );
  }
  const time = sumMoney(inWindow.map((day) => day.time));
  const used = sumMoney(inWindow.map((day) => day.usage));
  const idleTime = sumMoney(inWindow.map((day) => day.idleTime));
  const days = eachDay(window.start, window.end);
  const billedOn = (pick: (day: ResourceUsageDay) => Money) =>
    days.filter((date) => {
      const day = inWindow.find((entry) => entry.date === date);
      return day !== undefined && pick(day) > ZERO;
    }).length;
  const types = (kind: 'time' | 'usage' | 'idle-time') => {
    const names = usage.usageTypes.filter((type) => usageKind(type, '') === kind);
    return names.length > 0 ? names.join(', ') : undefined;
  };
  const rule = idleRuleFor(resource);

  // Billed only for an idle address, every day: AWS itself says it is attached to nothing.
  if (idleTime > ZERO && time === ZERO && used === ZERO) {
    const idleDays = billedOn((day) => day.idleTime);
    if (idleDays === days.length) {
      return {
        idle: true,
        evidence: `billed only for an idle public IPv4 address on all ${days.length} days (${money(idleTime)}, ${types('idle-time') ?? 'IdleAddress'}), in the billing export`,
        idleSince: quietSince(usage, (day) => day.time > ZERO || day.usage > ZERO),
        window,
      };
    }
    return {
      idle: false,
      evidence: `billed as an idle address on ${idleDays} of ${days.length} days, in the billing export`,
      window,
    };
  }

  const billing = rule?.billing;
  if (billing?.kind === 'idle-time') {
    return {
      idle: false,
      evidence: `billed for an address in use${types('time') ? ` (${types('time')})` : ''}, in the billing export`,
      window,
    };
  }
  if (billing?.kind !== 'time-without-usage') {
    const what = rule?.label ?? (resource.type || 'resource');
    return notJudged(
      window,
      `a bill cannot show whether this ${what} is used; it billed ${money(time + used + idleTime)} in ${days.length} days`,
    );
  }

  const timeDays = billedOn((day) => day.time);
  if (timeDays < days.length) {
    return {
      idle: false,
      evidence: `billed for time on ${timeDays} of ${days.length} days (stopped, deleted or created in the window), in the billing export`,
      window,
    };
  }
  const usageTypes = types('usage');
  if (used > parseMoney(billing.maxUsageCost)) {
    return {
      idle: false,
      evidence: `${money(used)} of usage-based charges in ${days.length} days${usageTypes ? ` (${usageTypes})` : ''}, in the billing export`,
      window,
    };
  }
  const idleSince = quietSince(usage, (day) => day.usage > ZERO);
  const noUse = used === ZERO ? 'no usage-based charges' : `only ${money(used)} of usage-based charges`;
  return {
    idle: true,
    evidence: `time charges on all ${days.length} days (${money(time)}${types('time') ? `, ${types('time')}` : ''}) and ${noUse}${usageTypes ? ` (${usageTypes})` : ''} since ${idleSince ?? window.start}, in the billing export`,
    ...(idleSince ? { idleSince } : {}),
    window,
  };
}

/** The day after the last day with activity, over all the resource's data; else its first day. */
function quietSince(usage: ResourceUsage, active: (day: ResourceUsageDay) => boolean): IsoDate | undefined {
  for (let i = usage.days.length - 1; i >= 0; i--) {
    const day = usage.days[i] as ResourceUsageDay;
    if (active(day)) return addDaysIso(day.date, 1);
  }
  return usage.days[0]?.date;
}

function notJudged(window: IdleWindow, evidence: string): IdleJudgement {
  return { idle: false, evidence, insufficientData: true, window };
}

function dayTotal(day: ResourceUsageDay): Money {
  return day.time + day.usage + day.idleTime;
}

/** Bare EC2 ids some exports use instead of ARNs, and the ARN resource type each stands for. */
const EC2_ID_PREFIXES: readonly [string, string][] = [
  ['nat-', 'natgateway'],
  ['eipalloc-', 'elastic-ip'],
  ['i-', 'instance'],
  ['vol-', 'volume'],
];

function toTaggedResource(usage: ResourceUsage, poc: string, tagKey: string): TaggedResource {
  let arn = usage.resourceId;
  const ec2 = EC2_ID_PREFIXES.find(([prefix]) => arn.startsWith(prefix));
  if (!arn.startsWith('arn:') && ec2 && usage.region && usage.account) {
    arn = `arn:aws:ec2:${usage.region}:${usage.account}:${ec2[1]}/${arn}`;
  }
  const tags = { ...usage.tags, [tagKey]: poc };
  if (arn.startsWith('arn:')) {
    try {
      const parsed = parseArn(arn);
      return {
        arn,
        type: parsed.type,
        region: parsed.region || usage.region,
        account: parsed.account || usage.account,
        id: parsed.resourceId,
        tags,
        poc,
      };
    } catch {
      // Not a well-formed ARN after all: keep the id as the export wrote it.
    }
  }
  return {
    arn,
    type: usage.resourceType || 'unknown',
    region: usage.region,
    account: usage.account,
    id: usage.resourceId,
    tags,
    poc,
  };
}
