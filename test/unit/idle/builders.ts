import { addDaysIso, eachDay, type IsoDate } from '../../../src/core/calendar.js';
import type { IdleRule } from '../../../src/core/idle/idle-rule.js';
import { idleQueryPrefix } from '../../../src/core/idle/judge-idle.js';
import type { MetricSeries } from '../../../src/inventory/metric-query.js';
import { parseArn, type TaggedResource } from '../../../src/inventory/resource.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
/** The as-of day of every test: series cover the 30 days before it. */
export const AS_OF = '2026-11-19';
export const DATA = { start: addDaysIso(AS_OF, -30), end: AS_OF };

/** A resource as the Tagging API inventory builds it. */
export function resource(
  arnOrPath: string,
  options: { poc?: string; tags?: Record<string, string>; service?: string } = {},
): TaggedResource {
  const arn = arnOrPath.startsWith('arn:')
    ? arnOrPath
    : `arn:aws:${options.service ?? 'ec2'}:${REGION}:${ACCOUNT}:${arnOrPath}`;
  const parsed = parseArn(arn);
  const poc = options.poc ?? 'alpha';
  return {
    arn,
    type: parsed.type,
    region: parsed.region || REGION,
    account: parsed.account,
    id: parsed.resourceId,
    tags: { poc, ...options.tags },
    poc,
  };
}

/** Daily datapoints as GetMetricData returns them: midnight UTC timestamps, missing days absent. */
export function points(values: Record<IsoDate, number>): MetricSeries['points'] {
  return Object.entries(values)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, value]) => ({ timestamp: `${day}T00:00:00.000Z`, value }));
}

/** The same value on every day of [from, to). */
export function everyDay(
  from: IsoDate,
  to: IsoDate,
  value: number | ((day: IsoDate) => number),
): Record<IsoDate, number> {
  const values: Record<IsoDate, number> = {};
  for (const day of eachDay(from, to)) values[day] = typeof value === 'number' ? value : value(day);
  return values;
}

/**
 * The series map judgeIdle reads, for a rule's metrics by key: `{ invocations: {...} }`. Metrics not
 * given get an empty, complete series (CloudWatch answered, with no datapoints); `partial` marks
 * keys whose series is PartialData.
 */
export function seriesFor(
  rule: IdleRule,
  target: TaggedResource,
  byKey: Record<string, Record<IsoDate, number>>,
  partial: readonly string[] = [],
): Map<string, MetricSeries> {
  const prefix = idleQueryPrefix(target.arn);
  const map = new Map<string, MetricSeries>();
  for (const query of rule.queries(target, prefix)) {
    const key = query.id.slice(prefix.length + 1);
    map.set(query.id, { id: query.id, points: points(byKey[key] ?? {}), complete: !partial.includes(key) });
  }
  return map;
}
