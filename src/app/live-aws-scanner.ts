import { addDaysIso, type IsoDate } from '../core/calendar.js';
import type { SourceWarning } from '../core/cost-data.js';
import type { IdleJudgement, ResourceState } from '../core/idle/idle-rule.js';
import type { IdleType } from '../core/idle/idle-rules.js';
import { type IdleScanItem, type IdleScanPlan, judgePlan, planIdleScan } from '../core/idle/idle-scan.js';
import { windowEnding } from '../core/idle/judge-idle.js';
import { evaluatePerUse, perUseAlert, perUseQuery, perUseUsage, perUseWindow } from '../core/idle/per-use.js';
import { type ResourceMonthlyCost, recommendTeardowns, type TeardownInput } from '../core/idle/recommend.js';
import { sumMoney } from '../core/money.js';
import type { PerUseReport } from '../core/report.js';
import { EC2_STATE_KINDS, type Ec2ResourceState } from '../inventory/ec2-state.js';
import type {
  ActivityReader,
  MetricQuery,
  MetricSeries,
  ResourceInventory,
} from '../inventory/metric-query.js';
import type { TaggedResource } from '../inventory/resource.js';
import { SkippedItems } from '../inventory/skipped-items.js';
import type { IdleOverride, Policy, PolicySet } from '../policy/model.js';
import type { ActiveMark, ActivityCache } from '../state/activity-cache.js';
import type { IdleScanContext, IdleScanner, IdleScanResult } from './idle-scanner.js';
import { type Stage, StageRun } from './run-stages.js';

/** The window reported for an expired PoC's resources that no idle rule judged. */
const EXPIRED_WINDOW_DAYS = 14;

/**
 * Monthly costs by ARN from the best live source (Cost Explorer resource-level data), for the ARNs
 * of the tagged resources; a warning instead of costs when the source has none.
 */
export type ResourceCostReader = (
  arns: string[],
  asOf: IsoDate,
) => Promise<{ costs: ReadonlyMap<string, ResourceMonthlyCost>; warning?: SourceWarning }>;

/** Describe data that CloudWatch does not carry (unattached volumes, unassociated addresses). */
export interface ResourceStateReader {
  readKind(
    kind: Ec2ResourceState['kind'],
    tagKey: string,
    region: string,
    skipped?: SkippedItems,
  ): Promise<Ec2ResourceState[]>;
}

export interface LiveAwsScannerOptions {
  inventory: ResourceInventory;
  activity: ActivityReader;
  states: ResourceStateReader;
  /** Regions to scan: settings.regions, else the SDK's own region. */
  regions: readonly string[];
  /** When each resource was last proven busy; busy resources are not re-read until they could be idle. */
  activityCache?: ActivityCache;
  /**
   * Real per-resource costs (it is paid for: called once per scan, and only when something is
   * recommended); without it, or for resources it does not know, the price table prices them.
   */
  resourceCosts?: ResourceCostReader;
}

/**
 * The live idle scan: one Tagging API listing per region, one describe pass per region for state,
 * and every metric (idle signals and pay-per-use counts alike) in as few GetMetricData calls as the
 * 500-query limit allows. Nothing here calls AWS per resource.
 */
export class LiveAwsScanner implements IdleScanner {
  constructor(private readonly options: LiveAwsScannerOptions) {}

  async scan(context: IdleScanContext): Promise<IdleScanResult> {
    const { policySet, asOf } = context;
    const { settings } = policySet;
    const regions = [...new Set(this.options.regions)];
    const stages = new StageRun();
    const skipped = new SkippedItems();

    // Inventory per region, and each describe kind per region: each can fail alone.
    const listed = new Map<string, TaggedResource[]>();
    const ec2States = new Map<string, Ec2ResourceState>();
    await stages.run(
      regions.flatMap((region): Stage[] => [
        {
          name: inventoryStage(region),
          needs: [],
          region,
          effect: `tagged resources in ${region} not listed (none judged idle or proposed for teardown, and pay-per-use signals there not found)`,
          run: async () => {
            listed.set(region, await this.options.inventory.list(settings.tagKey, [region], skipped));
          },
        },
        ...EC2_STATE_KINDS.map(
          (kind): Stage => ({
            name: `describe:${kind}:${region}`,
            needs: [],
            region,
            effect: `${EC2_KIND_LABELS[kind]} in ${region} not scanned`,
            run: async () => {
              const found = await this.options.states.readKind(kind, settings.tagKey, region, skipped);
              for (const state of found) ec2States.set(state.arn, state);
            },
          }),
        ),
      ]),
    );
    const resources = uniqueByArn(regions.flatMap((region) => listed.get(region) ?? []));

    const policies = new Map(policySet.policies.map((policy) => [policy.poc, policy]));
    const fullPlan = planIdleScan(resources, asOf, (resource, type) =>
      overrideFor(policySet, policies.get(resource.poc), type),
    );
    const { plan, known } = await this.skipKnownBusy(fullPlan, asOf);
    const allListed = regions.every((region) => stages.ok(inventoryStage(region)));
    const perUse = planPerUse(policySet, resources, asOf, regions[0] ?? 'us-east-1', allListed);

    // Activity per region, after that region's inventory: metrics of a region that could not be
    // listed would judge nothing.
    const queries: MetricQuery[] = [...plan.queries, ...perUse.queries.map((entry) => entry.query)];
    const start =
      [plan.window.start, ...perUse.queries.map((entry) => entry.window.start)].sort()[0] ??
      plan.window.start;
    const window = {
      start: new Date(`${start}T00:00:00Z`),
      end: new Date(`${plan.window.end}T00:00:00Z`),
      periodSeconds: 86_400,
    };
    const series = new Map<string, MetricSeries>();
    const queryRegions = [...new Set(queries.map((query) => query.region))];
    await stages.run(
      queryRegions.map(
        (region): Stage => ({
          name: activityStage(region),
          needs: regions.includes(region) ? [inventoryStage(region)] : [],
          region,
          effect: `activity in ${region} not read (its resources not judged idle, its pay-per-use budgets not measured)`,
          run: async () => {
            const regional = queries.filter((query) => query.region === region);
            const read = await this.options.activity.read(regional, window, skipped);
            for (const [id, entry] of read) series.set(id, entry);
          },
        }),
      ),
    );

    const states = new Map([...ec2States].map(([arn, state]) => [arn, toResourceState(state)]));
    const judgements = judgePlan(plan, series, states);
    await this.rememberBusy(plan, judgements);
    for (const [arn, judgement] of known) judgements.set(arn, judgement);
    const teardown: TeardownInput = {
      resources,
      judgements,
      policies: policySet.policies,
      expiredPocs: context.expiredPocs,
      protectTag: settings.protectTag,
      ...(settings.exclude ? { exclude: settings.exclude } : {}),
      monthlyCosts: new Map(),
      states,
      window: windowEnding(asOf, EXPIRED_WINDOW_DAYS),
      asOf,
      currency: settings.currency,
    };
    const warnings: SourceWarning[] = [...perUse.warnings];
    let recommendations = recommendTeardowns(teardown);
    // Priced again with real costs only when there is something to price: the query is billed.
    const resourceCosts = this.options.resourceCosts;
    if (resourceCosts && recommendations.length > 0) {
      await stages.run([
        {
          name: 'resource-costs',
          needs: [],
          effect: 'resource-level costs not read (recommendations priced from the price table)',
          run: async () => {
            const { costs, warning } = await resourceCosts(
              resources.map((resource) => resource.arn),
              asOf,
            );
            if (warning) warnings.push(warning);
            if (costs.size > 0) recommendations = recommendTeardowns({ ...teardown, monthlyCosts: costs });
          },
        },
      ]);
    }

    const perUseReports = new Map<string, PerUseReport>();
    const alerts: IdleScanResult['alerts'] = [];
    for (const entry of perUse.queries) {
      // Its region's failure is already a warning that names the budgets it cost.
      if (!stages.ok(activityStage(entry.query.region))) continue;
      const { usage, complete } = perUseUsage(series.get(entry.query.id), entry.window);
      if (!complete) {
        warnings.push({
          code: 'per-use-partial',
          message: `${entry.policy.poc}: CloudWatch returned partial data for ${entry.signal}; its cost per use is not judged`,
          partial: true,
        });
        continue;
      }
      const cost = sumMoney(
        context.dataset.rows
          .filter(
            (row) =>
              row.poc === entry.policy.poc && row.date >= entry.window.start && row.date < entry.window.end,
          )
          .map((row) => row.cost),
      );
      const budget = entry.policy.budget?.perUse;
      if (!budget) continue;
      const report = evaluatePerUse(cost, usage, budget, entry.signal);
      perUseReports.set(entry.policy.poc, report);
      const alert = perUseAlert(entry.policy.poc, report, entry.window, settings.currency);
      if (alert) alerts.push(alert);
    }

    return {
      recommendations,
      perUse: perUseReports,
      alerts,
      warnings: [...stages.warnings(), ...skipped.warnings(), ...warnings],
      taggedResourceCount: resources.length,
    };
  }

  /**
   * Leaves out of the plan every resource proven busy on a day inside its window: no metrics can make
   * it idle yet. Their judgement says when it will be read again.
   */
  private async skipKnownBusy(
    plan: IdleScanPlan,
    asOf: IsoDate,
  ): Promise<{ plan: IdleScanPlan; known: Map<string, IdleJudgement> }> {
    const known = new Map<string, IdleJudgement>();
    if (!this.options.activityCache) return { plan, known };
    const marks = await this.options.activityCache.lastActive(plan.items.map((item) => item.resource.arn));
    const items = plan.items.filter((item) => {
      const mark = marks.get(item.resource.arn);
      if (item.rule.kind !== 'metric' || !mark || mark.threshold !== thresholdOf(item)) return true;
      const days = windowDaysOf(item);
      const window = windowEnding(asOf, days);
      if (mark.day < window.start) return true;
      known.set(item.resource.arn, {
        idle: false,
        evidence: `busy on ${mark.day} (seen by an earlier scan); its metrics are read again from ${addDaysIso(mark.day, days + 1)}`,
        window,
        lastActive: mark.day,
      });
      return false;
    });
    return { plan: { ...plan, items, queries: items.flatMap((item) => item.queries) }, known };
  }

  private async rememberBusy(
    plan: IdleScanPlan,
    judgements: ReadonlyMap<string, IdleJudgement>,
  ): Promise<void> {
    if (!this.options.activityCache) return;
    const marks = new Map<string, ActiveMark>();
    for (const item of plan.items) {
      const lastActive = judgements.get(item.resource.arn)?.lastActive;
      if (lastActive) marks.set(item.resource.arn, { day: lastActive, threshold: thresholdOf(item) });
    }
    await this.options.activityCache.recordActive(marks);
  }
}

/** The idle threshold that applies to a planned resource. */
function thresholdOf(item: IdleScanItem): number {
  return item.override.threshold ?? item.rule.threshold;
}

function windowDaysOf(item: IdleScanItem): number {
  return item.override.windowDays ?? item.rule.windowDays;
}

function overrideFor(policySet: PolicySet, policy: Policy | undefined, type: IdleType): IdleOverride {
  return { ...policySet.settings.idle?.[type], ...policy?.idle?.[type] };
}

interface PerUsePlan {
  queries: Array<{
    policy: Policy;
    query: MetricQuery;
    signal: string;
    window: { start: IsoDate; end: IsoDate; days: number };
  }>;
  warnings: SourceWarning[];
}

function planPerUse(
  policySet: PolicySet,
  resources: readonly TaggedResource[],
  asOf: IsoDate,
  defaultRegion: string,
  allListed: boolean,
): PerUsePlan {
  const plan: PerUsePlan = { queries: [], warnings: [] };
  policySet.policies.forEach((policy, index) => {
    const spec = policy.budget?.perUse;
    if (!spec) return;
    const result = perUseQuery(spec, {
      id: `peruse${index}`,
      defaultRegion,
      resources: resources.filter((resource) => resource.poc === policy.poc),
    });
    // A signal not found among resources of a region that could not be listed is not a policy
    // problem: that region's failure is the warning.
    if ('problem' in result && !allListed) return;
    if ('problem' in result) {
      plan.warnings.push({
        code: 'per-use-signal',
        message: `${policy.poc}: pay-per-use budget not measured: ${result.problem}`,
        where: `${policy.location.file}:${policy.location.line}`,
      });
      return;
    }
    plan.queries.push({
      policy,
      query: result.query,
      signal: result.signal,
      window: perUseWindow(spec, asOf),
    });
  });
  return plan;
}

const EC2_KIND_LABELS: Record<Ec2ResourceState['kind'], string> = {
  volume: 'EBS volumes',
  'elastic-ip': 'Elastic IPs',
  natgateway: 'NAT gateways',
};

function inventoryStage(region: string): string {
  return `inventory:${region}`;
}

function activityStage(region: string): string {
  return `activity:${region}`;
}

/** A global resource can show up in several regions; the first region listed wins. */
function uniqueByArn(resources: readonly TaggedResource[]): TaggedResource[] {
  const byArn = new Map<string, TaggedResource>();
  for (const resource of resources) if (!byArn.has(resource.arn)) byArn.set(resource.arn, resource);
  return [...byArn.values()];
}

function toResourceState(state: Ec2ResourceState): ResourceState {
  switch (state.kind) {
    case 'volume':
      return { volumeState: state.state, ...(state.createTime ? { createdAt: state.createTime } : {}) };
    case 'elastic-ip':
      return { associated: state.associated };
    case 'natgateway':
      return state.createTime ? { createdAt: state.createTime } : {};
  }
}
