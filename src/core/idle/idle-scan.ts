import type { MetricQuery, MetricSeries } from '../../inventory/metric-query.js';
import type { TaggedResource } from '../../inventory/resource.js';
import type { IdleOverride } from '../../policy/model.js';
import type { IsoDate } from '../calendar.js';
import type { IdleJudgement, IdleRule, ResourceState } from './idle-rule.js';
import { type IdleType, idleRuleFor, idleTypeOf } from './idle-rules.js';
import { type DataWindow, idleQueryPrefix, judgeIdle, windowEnding } from './judge-idle.js';

/** One resource an idle scan judges, with the queries it needs. */
export interface IdleScanItem {
  resource: TaggedResource;
  type: IdleType;
  rule: IdleRule;
  override: IdleOverride;
  idPrefix: string;
  queries: MetricQuery[];
}

export interface IdleScanPlan {
  items: IdleScanItem[];
  /** Every query of every item, for as few GetMetricData calls as the 500-query limit allows. */
  queries: MetricQuery[];
  /** The days to fetch, one datapoint a day (period 86400): the longest window any item needs. */
  window: DataWindow;
}

/**
 * What an idle scan reads: the resources that have a rule (and not turned off), their queries and
 * the one window that covers every rule's, so all metrics come from the same batched calls.
 * `extraDays` widens the window: data before the rule's window lets `idleSince` reach further back.
 */
export function planIdleScan(
  resources: readonly TaggedResource[],
  asOf: IsoDate,
  overrideFor: (resource: TaggedResource, type: IdleType) => IdleOverride = () => ({}),
  extraDays = 0,
): IdleScanPlan {
  const items: IdleScanItem[] = [];
  let longest = 1;
  for (const resource of resources) {
    const type = idleTypeOf(resource);
    const rule = idleRuleFor(resource);
    if (type === undefined || rule === undefined) continue;
    const override = overrideFor(resource, type);
    if (override.enabled === false) continue;
    const idPrefix = idleQueryPrefix(resource.arn);
    items.push({ resource, type, rule, override, idPrefix, queries: rule.queries(resource, idPrefix) });
    if (rule.kind === 'metric') longest = Math.max(longest, override.windowDays ?? rule.windowDays);
  }
  const { start, end } = windowEnding(asOf, longest + Math.max(0, extraDays));
  return { items, queries: items.flatMap((item) => item.queries), window: { start, end } };
}

/** Judges every item of a plan once its series (and the describe data) are in, keyed by ARN. */
export function judgePlan(
  plan: IdleScanPlan,
  series: ReadonlyMap<string, MetricSeries>,
  states: ReadonlyMap<string, ResourceState> = new Map(),
): Map<string, IdleJudgement> {
  const judgements = new Map<string, IdleJudgement>();
  for (const item of plan.items) {
    const { resource } = item;
    judgements.set(
      resource.arn,
      judgeIdle(
        resource,
        item.rule,
        series,
        states.get(resource.arn),
        plan.window,
        item.override,
        item.idPrefix,
      ),
    );
  }
  return judgements;
}
