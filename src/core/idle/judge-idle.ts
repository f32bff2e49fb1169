import { createHash } from 'node:crypto';
import type { MetricSeries } from '../../inventory/metric-query.js';
import type { TaggedResource } from '../../inventory/resource.js';
import type { IdleOverride } from '../../policy/model.js';
import { addDaysIso, daysBetween, eachDay, type IsoDate, isIsoDate } from '../calendar.js';
import type {
  IdleCondition,
  IdleJudgement,
  IdleRule,
  IdleWindow,
  MetricIdleRule,
  MetricSpec,
  ResourceState,
} from './idle-rule.js';
import { formatNumber } from './rule-kit.js';

/** The days the metric series cover: [start, end), one datapoint a day at most. */
export interface DataWindow {
  start: IsoDate;
  end: IsoDate;
}

/** The `days` days before `end` (exclusive). */
export function windowEnding(end: IsoDate, days: number): IdleWindow {
  return { start: addDaysIso(end, -days), end, days };
}

/**
 * A GetMetricData id prefix for a resource: "r" + 12 hex digits of the ARN's SHA-256. Stable across
 * runs and unique in practice, and it matches GetMetricData's ^[a-z][a-zA-Z0-9_]*$.
 */
export function idleQueryPrefix(arn: string): string {
  return `r${createHash('sha256').update(arn).digest('hex').slice(0, 12)}`;
}

/**
 * Whether a resource is idle: its signal stayed at or below the threshold for the whole window.
 *
 * Pure: the metric series (keyed by query id, as `rule.queries(resource, idPrefix)` named them) and
 * the describe data are read by the caller. Absence of proof is never idleness: a PartialData series,
 * a gauge without datapoints, a resource younger than the window or metrics covering too few days
 * give `idle: false` with `insufficientData`. A count metric without datapoints is zero activity,
 * since services publish counts only when there is something to count.
 */
export function judgeIdle(
  resource: TaggedResource,
  rule: IdleRule,
  series: ReadonlyMap<string, MetricSeries>,
  state: ResourceState | undefined,
  window: DataWindow,
  override: IdleOverride = {},
  idPrefix: string = idleQueryPrefix(resource.arn),
): IdleJudgement {
  const days = override.windowDays ?? rule.windowDays;
  const threshold = override.threshold ?? rule.threshold;
  const judged = windowEnding(window.end, days);
  const notJudged = (evidence: string): IdleJudgement => ({
    idle: false,
    evidence,
    insufficientData: true,
    window: judged,
  });

  if (override.enabled === false) {
    return { idle: false, evidence: `the ${rule.label} idle rule is turned off`, window: judged };
  }
  const created = state?.createdAt?.slice(0, 10);
  if (created !== undefined && isIsoDate(created) && created > judged.start) {
    return notJudged(`created ${created}, less than the ${days}-day window ago: not judged yet`);
  }

  if (rule.kind === 'state') {
    const verdict = state ? rule.check(state) : undefined;
    if (!verdict) return notJudged(`no describe data for its ${rule.signal.split(':')[0]}`);
    return { idle: verdict.idle, evidence: verdict.evidence, window: judged };
  }

  const dimensions = rule.dimensions(resource);
  if (!Array.isArray(dimensions)) return notJudged(dimensions.problem);
  const covered = daysBetween(window.start, window.end);
  if (covered < days) {
    return notJudged(`the metrics cover ${covered} days, fewer than the ${days}-day window`);
  }

  const daily = new Map<string, Map<IsoDate, number>>();
  const unanswered: string[] = [];
  let partial = false;
  for (const metric of rule.metrics) {
    const found = series.get(`${idPrefix}_${metric.key}`);
    if (!found) {
      unanswered.push(metric.metricName);
      continue;
    }
    partial ||= !found.complete;
    daily.set(metric.key, dailyValues(found, metric));
  }
  if (unanswered.length > 0) {
    return notJudged(`CloudWatch returned no series for ${unanswered.join(', ')}: not judged`);
  }

  const judgedDays = eachDay(judged.start, judged.end);
  const measured = rule.conditions.map((condition) => {
    const limit = condition.limit === 'threshold' ? threshold : condition.limit;
    const value = measure(rule, condition, daily, judgedDays);
    return { condition, limit, value };
  });
  const fragments = measured.map(({ condition, limit, value }) => {
    if (value === undefined) return `no ${metricNames(rule, condition)} datapoints`;
    const limitText = limit === 0 ? '' : ` (limit ${(condition.formatLimit ?? formatNumber)(limit)})`;
    return `${condition.phrase(value)}${limitText}`;
  });
  const evidence = `${fragments.join(' and ')} in ${days} days (${sources(rule)})`;

  // Activity already seen is proof enough, complete data or not.
  if (measured.some(({ value, limit }) => value !== undefined && value > limit)) {
    const lastActive = provenActiveDay(rule, measured, daily, window);
    return { idle: false, evidence, window: judged, ...(lastActive ? { lastActive } : {}) };
  }
  if (partial) {
    return notJudged(`${evidence}; CloudWatch returned partial data, which is no proof of idleness`);
  }
  if (measured.some(({ value }) => value === undefined)) {
    return notJudged(`${evidence}: stopped, or not publishing metrics; not judged`);
  }
  if (rule.probe !== undefined && !hasData(daily.get(rule.probe), judgedDays)) {
    const probe = rule.metrics.find((metric) => metric.key === rule.probe);
    return notJudged(
      `${evidence}, but no ${probe?.metricName ?? rule.probe} datapoints either: the metric dimensions may not match the resource; not judged`,
    );
  }
  const idleSince = quietSince(rule, measured, daily, window, created);
  return { idle: true, evidence, window: judged, ...(idleSince ? { idleSince } : {}) };
}

/** One value per day, whatever period the caller used: sums add up, maxima take the largest ... */
function dailyValues(series: MetricSeries, metric: MetricSpec): Map<IsoDate, number> {
  const values = new Map<IsoDate, number>();
  const counts = new Map<IsoDate, number>();
  for (const point of series.points) {
    if (!Number.isFinite(point.value)) continue;
    const day = point.timestamp.slice(0, 10);
    const before = values.get(day);
    const seen = counts.get(day) ?? 0;
    counts.set(day, seen + 1);
    if (before === undefined) {
      values.set(day, point.value);
      continue;
    }
    switch (metric.stat) {
      case 'Maximum':
        values.set(day, Math.max(before, point.value));
        break;
      case 'Minimum':
        values.set(day, Math.min(before, point.value));
        break;
      case 'Average':
        // A running mean of the periods' averages: periods are equal, so this is the day's average.
        values.set(day, before + (point.value - before) / (seen + 1));
        break;
      default:
        values.set(day, before + point.value);
    }
  }
  return values;
}

/** The value of one day for a condition (its metrics added up), or undefined when nothing is known. */
function dayValue(
  rule: MetricIdleRule,
  condition: IdleCondition,
  daily: ReadonlyMap<string, ReadonlyMap<IsoDate, number>>,
  day: IsoDate,
): number | undefined {
  let total: number | undefined;
  for (const key of condition.metrics) {
    const value = daily.get(key)?.get(day);
    if (value !== undefined) total = (total ?? 0) + value;
    else if (specOf(rule, key)?.missing === 'zero') total ??= 0;
  }
  return total;
}

/** The window's total, or its highest day (peak and daily); undefined when no day is known. */
function measure(
  rule: MetricIdleRule,
  condition: IdleCondition,
  daily: ReadonlyMap<string, ReadonlyMap<IsoDate, number>>,
  days: readonly IsoDate[],
): number | undefined {
  let result: number | undefined;
  for (const day of days) {
    const value = dayValue(rule, condition, daily, day);
    if (value === undefined) continue;
    result =
      result === undefined ? value : condition.measure === 'total' ? result + value : Math.max(result, value);
  }
  return result;
}

/**
 * The first day of the quiet stretch, looking back over all the data: the day after the last active
 * day. With no activity in the data, the first day the data covers (or the creation day).
 */
function quietSince(
  rule: MetricIdleRule,
  measured: readonly { condition: IdleCondition; limit: number }[],
  daily: ReadonlyMap<string, ReadonlyMap<IsoDate, number>>,
  window: DataWindow,
  created: IsoDate | undefined,
): IsoDate | undefined {
  const lastActive = lastActiveDay(rule, measured, daily, window);
  if (lastActive !== undefined) return addDaysIso(lastActive, 1);
  if (created !== undefined && isIsoDate(created) && created > window.start) return created;
  return window.start;
}

/**
 * The last day with activity in the data: any count above zero for totals, a day above the limit
 * for peaks and daily limits.
 */
function lastActiveDay(
  rule: MetricIdleRule,
  measured: readonly { condition: IdleCondition; limit: number }[],
  daily: ReadonlyMap<string, ReadonlyMap<IsoDate, number>>,
  window: DataWindow,
): IsoDate | undefined {
  const days = eachDay(window.start, window.end);
  for (let i = days.length - 1; i >= 0; i--) {
    const day = days[i] as IsoDate;
    const active = measured.some(({ condition, limit }) => {
      const value = dayValue(rule, condition, daily, day);
      if (value === undefined) return false;
      return condition.measure === 'total' ? value > 0 : value > limit;
    });
    if (active) return day;
  }
  return undefined;
}

/**
 * A day that proves the resource busy for any window containing it: only when one active day alone
 * breaks the rule (a total whose limit is 0, or a peak or daily limit). A total with a higher limit
 * can absorb a busy day, so no single day settles it.
 */
function provenActiveDay(
  rule: MetricIdleRule,
  measured: readonly { condition: IdleCondition; limit: number }[],
  daily: ReadonlyMap<string, ReadonlyMap<IsoDate, number>>,
  window: DataWindow,
): IsoDate | undefined {
  if (measured.some(({ condition, limit }) => condition.measure === 'total' && limit > 0)) return undefined;
  return lastActiveDay(rule, measured, daily, window);
}

function hasData(values: ReadonlyMap<IsoDate, number> | undefined, days: readonly IsoDate[]): boolean {
  return values !== undefined && days.some((day) => values.has(day));
}

function specOf(rule: MetricIdleRule, key: string): MetricSpec | undefined {
  return rule.metrics.find((metric) => metric.key === key);
}

function metricNames(rule: MetricIdleRule, condition: IdleCondition): string {
  return condition.metrics.map((key) => specOf(rule, key)?.metricName ?? key).join(' or ');
}

/** "AWS/Lambda Invocations, Sum"; "AWS/NATGateway BytesOutToDestination, Sum; ActiveConnectionCount, Maximum". */
function sources(rule: MetricIdleRule): string {
  const used = new Set(rule.conditions.flatMap((condition) => condition.metrics));
  const byNamespace = new Map<string, string[]>();
  for (const metric of rule.metrics) {
    if (!used.has(metric.key)) continue;
    const list = byNamespace.get(metric.namespace) ?? [];
    list.push(`${metric.metricName}, ${metric.stat}`);
    byNamespace.set(metric.namespace, list);
  }
  return [...byNamespace].map(([namespace, list]) => `${namespace} ${list.join('; ')}`).join('; ');
}
