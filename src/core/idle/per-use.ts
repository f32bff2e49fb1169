import type { MetricQuery, MetricSeries } from '../../inventory/metric-query.js';
import { parseArn, type TaggedResource } from '../../inventory/resource.js';
import type { PerUseBudget } from '../../policy/model.js';
import { addDaysIso, type IsoDate } from '../calendar.js';
import { formatCurrency, type Money, moneyFromNumber, scaleMoney, ZERO } from '../money.js';
import type { Alert, PerUseReport } from '../report.js';
import type { IdleWindow, MetricIdleRule } from './idle-rule.js';
import { idleRuleFor } from './idle-rules.js';
import { windowEnding } from './judge-idle.js';

/**
 * Pay-per-use budgets: what a PoC costs per unit of use (per 1000 requests, say) over a window,
 * against a maximum. The use is one CloudWatch metric, read in the same batched GetMetricData calls
 * as the idle scan.
 */

/** The days a pay-per-use budget compares: `windowDays` ending the day before `asOf`. */
export function perUseWindow(spec: PerUseBudget, asOf: IsoDate): IdleWindow {
  return windowEnding(asOf, spec.windowDays);
}

export type PerUseQueryResult = { query: MetricQuery; signal: string } | { problem: string };

/**
 * The MetricQuery counting a budget's use, with the signal in words for the report. A `resource`
 * signal is an ARN, or a name matched against the PoC's resources (their id or Name tag); it uses the
 * first metric of that resource's idle rule (Lambda Invocations, API Gateway Count ...).
 */
export function perUseQuery(
  spec: PerUseBudget,
  context: {
    /** The query id (GetMetricData: ^[a-z][a-zA-Z0-9_]*$). */
    id: string;
    /** Where a metric signal without `region` lives: the run's region. */
    defaultRegion: string;
    /** The PoC's resources, to resolve a resource name. */
    resources?: readonly TaggedResource[];
  },
): PerUseQueryResult {
  const { signal } = spec;
  if (signal.kind === 'metric') {
    const dimensions = Object.entries(signal.dimensions)
      .map(([name, value]) => ({ name, value }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return {
      query: {
        id: context.id,
        namespace: signal.namespace,
        metricName: signal.metricName,
        dimensions,
        stat: signal.stat,
        region: signal.region ?? context.defaultRegion,
      },
      signal: describe(signal.namespace, signal.metricName, dimensions),
    };
  }

  const resource = resolveResource(signal.resource, context.resources ?? []);
  if (!resource) return { problem: `no resource of this PoC is named ${signal.resource}` };
  const rule = idleRuleFor(resource);
  if (rule?.kind !== 'metric') {
    return { problem: `${signal.resource} has no activity metric to count use with (${resource.type})` };
  }
  const query = rule.queries(resource, context.id)[0];
  if (!query) {
    const dimensions = rule.dimensions(resource);
    return { problem: Array.isArray(dimensions) ? `${signal.resource}: no metric` : dimensions.problem };
  }
  // The rule names its queries `${prefix}_${key}`; the budget's query keeps the id it was given.
  return {
    query: { ...query, id: context.id },
    signal: describe(query.namespace, query.metricName, query.dimensions),
  };
}

/** The use in a series over a window: the sum of its datapoints, and whether CloudWatch said complete. */
export function perUseUsage(
  series: MetricSeries | undefined,
  window: IdleWindow,
): { usage: number; complete: boolean } {
  if (!series) return { usage: 0, complete: false };
  let usage = 0;
  for (const point of series.points) {
    const day = point.timestamp.slice(0, 10);
    if (day >= window.start && day < window.end && Number.isFinite(point.value)) usage += point.value;
  }
  return { usage, complete: series.complete };
}

/**
 * Cost per `per` units of use over the window, against `max`. No use at all with a cost above zero
 * is a breach too: money spent for nothing is the worst cost per unit there is.
 */
export function evaluatePerUse(
  cost: Money,
  usage: number,
  spec: PerUseBudget,
  signal: string = describeSignal(spec),
): PerUseReport {
  const report: PerUseReport = {
    signal,
    windowDays: spec.windowDays,
    cost,
    usage,
    per: spec.per,
    max: spec.max,
    breached: false,
  };
  if (usage > 0) {
    // cost × per / usage, exactly: both numbers become decimals with 18 places first.
    const costPerUnit = scaleMoney(cost, moneyFromNumber(spec.per), moneyFromNumber(usage));
    report.costPerUnit = costPerUnit;
    report.breached = costPerUnit > spec.max;
  } else {
    report.breached = cost > ZERO;
  }
  return report;
}

/** The alert for a breached budget (stable id `${poc}:per-use:${windowEnd}`), or undefined. */
export function perUseAlert(
  poc: string,
  report: PerUseReport,
  window: IdleWindow,
  currency: string,
): Omit<Alert, 'new'> | undefined {
  if (!report.breached) return undefined;
  const windowEnd = addDaysIso(window.end, -1);
  const per = report.per.toLocaleString('en-US');
  const limit = `${formatCurrency(report.max, currency, 4)} per ${per}`;
  const message =
    report.costPerUnit === undefined
      ? `${poc} cost ${formatCurrency(report.cost, currency)} in ${report.windowDays} days with no use at all (${report.signal}); its pay-per-use limit is ${limit}`
      : `${poc} cost ${formatCurrency(report.costPerUnit, currency, 4)} per ${per} units of use in the last ${report.windowDays} days (${formatCurrency(report.cost, currency)} for ${report.usage.toLocaleString('en-US')}, ${report.signal}), above its limit of ${limit}`;
  return {
    id: `${poc}:per-use:${windowEnd}`,
    poc,
    kind: 'per-use',
    severity: 'warning',
    message,
    date: windowEnd,
    amount: report.costPerUnit ?? report.cost,
    limit: report.max,
  };
}

/** The signal in words, from the budget alone (a resource name stays a name). */
export function describeSignal(spec: PerUseBudget): string {
  const { signal } = spec;
  if (signal.kind === 'metric') {
    return describe(
      signal.namespace,
      signal.metricName,
      Object.entries(signal.dimensions).map(([name, value]) => ({ name, value })),
    );
  }
  if (signal.resource.startsWith('arn:')) {
    try {
      const parsed = parseArn(signal.resource);
      const rule = idleRuleFor({ arn: signal.resource, type: parsed.type, id: parsed.resourceId });
      if (rule?.kind === 'metric') return `${primaryMetric(rule)} of ${signal.resource}`;
    } catch {
      // Not an ARN after all: fall through to the plain name.
    }
  }
  return `activity of ${signal.resource}`;
}

function primaryMetric(rule: MetricIdleRule): string {
  const metric = rule.metrics[0];
  return metric ? `${metric.namespace} ${metric.metricName}` : rule.signal;
}

/** "AWS/ApiGateway Count (ApiId=abc123)". */
function describe(
  namespace: string,
  metricName: string,
  dimensions: readonly { name: string; value: string }[],
): string {
  const dims = dimensions.map((dimension) => `${dimension.name}=${dimension.value}`).join(', ');
  return `${namespace} ${metricName}${dims ? ` (${dims})` : ''}`;
}

function resolveResource(ref: string, resources: readonly TaggedResource[]): TaggedResource | undefined {
  if (ref.startsWith('arn:')) {
    const known = resources.find((resource) => resource.arn === ref);
    if (known) return known;
    try {
      const parsed = parseArn(ref);
      return {
        arn: ref,
        type: parsed.type,
        region: parsed.region,
        account: parsed.account,
        id: parsed.resourceId,
        tags: {},
        poc: '',
      };
    } catch {
      return undefined;
    }
  }
  return resources.find(
    (resource) => resource.id === ref || resource.id.split(/[/:]/)[0] === ref || resource.tags.Name === ref,
  );
}
