import type { TaggedResource } from '../../inventory/resource.js';
import type { IdleOverride, IdleOverrides, ProtectTag } from '../../policy/model.js';

/** True when the resource carries the protection tag. Values compare loosely: "True" protects too. */
export function isProtected(resource: Pick<TaggedResource, 'tags'>, protectTag: ProtectTag): boolean {
  const value = resource.tags[protectTag.key];
  return value !== undefined && value.trim().toLowerCase() === protectTag.value.trim().toLowerCase();
}

/** True when an exclude entry is the ARN itself or a glob (`*` = any text, `/` and `:` included) matching it. */
export function isExcluded(arn: string, patterns: readonly string[] | undefined): boolean {
  return (patterns ?? []).some((pattern) => arnMatches(arn, pattern));
}

export function arnMatches(arn: string, pattern: string): boolean {
  if (!pattern.includes('*')) return arn === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(arn);
}

/** settings.idle then policy.idle, key by key: a policy changing only windowDays keeps the settings' threshold. */
export function idleOverrideFor(
  type: string,
  settingsIdle: IdleOverrides | undefined,
  policyIdle: IdleOverrides | undefined,
): IdleOverride {
  return { ...settingsIdle?.[type], ...policyIdle?.[type] };
}
