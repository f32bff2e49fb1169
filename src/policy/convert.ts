import { moneyFromNumber } from '../core/money.js';
import { DEFAULT_PER_USE_WINDOW_DAYS } from './defaults.js';
import type {
  AnomalySettings,
  Budget,
  IdleOverride,
  IdleOverrides,
  PerUseBudget,
  PerUseSignal,
  Policy,
  Settings,
  SourceLocation,
} from './model.js';
import type { RawAnomaly, RawIdleOverrides, RawPerUse, RawPolicy, RawSettings } from './raw-types.js';

/** Validated settings.yaml content over the defaults, key by key. */
export function toSettings(raw: RawSettings, base: Settings, location?: SourceLocation): Settings {
  const settings: Settings = {
    tagKey: raw.tagKey ?? base.tagKey,
    currency: raw.currency ?? base.currency,
    timeZone: raw.timeZone ?? base.timeZone,
    costMetric: raw.costMetric ?? base.costMetric,
    defaults: {
      thresholds: sortedThresholds(raw.defaults?.thresholds ?? base.defaults.thresholds),
      expiryWarningDays: raw.defaults?.expiryWarningDays ?? base.defaults.expiryWarningDays,
      forecastTrailingDays: raw.defaults?.forecastTrailingDays ?? base.defaults.forecastTrailingDays,
      anomaly: mergeAnomaly(base.defaults.anomaly, raw.defaults?.anomaly),
    },
    protectTag: {
      key: raw.protectTag?.key ?? base.protectTag.key,
      value: raw.protectTag?.value ?? base.protectTag.value,
    },
  };
  // Optional keys only when set, so a settings object reads like the file that made it.
  const regions = raw.regions ?? base.regions;
  if (regions !== undefined) settings.regions = [...regions];
  const idle = raw.idle ?? base.idle;
  if (idle !== undefined) settings.idle = copyIdle(idle);
  const exclude = raw.exclude ?? base.exclude;
  if (exclude !== undefined) settings.exclude = [...exclude];
  const teardownAccounts = raw.teardownAccounts ?? base.teardownAccounts;
  if (teardownAccounts !== undefined) settings.teardownAccounts = [...teardownAccounts];
  const resourceCosts = raw.resourceCosts ?? base.resourceCosts;
  if (resourceCosts !== undefined) settings.resourceCosts = resourceCosts;
  const costGrouping = raw.costGrouping ?? base.costGrouping;
  if (costGrouping !== undefined) settings.costGrouping = costGrouping;
  const notifications = raw.notifications ?? base.notifications;
  if (notifications !== undefined) settings.notifications = structuredClone(notifications);
  const deployment = raw.deployment ?? base.deployment;
  if (deployment !== undefined) settings.deployment = structuredClone(deployment);
  if (location) settings.location = location;
  return settings;
}

/** A validated policy with the settings' defaults filled in and amounts as exact Money. */
export function toPolicy(raw: RawPolicy, settings: Settings, location: SourceLocation): Policy {
  // Keys in the model's order, optional ones only when set, so JSON output reads like the file.
  return {
    poc: raw.poc,
    owners: [...raw.owners],
    ...(raw.description === undefined ? {} : { description: raw.description }),
    ...(raw.budget === undefined ? {} : { budget: toBudget(raw.budget, settings) }),
    ...(raw.start === undefined ? {} : { start: raw.start }),
    ...(raw.expires === undefined ? {} : { expires: raw.expires }),
    links: (raw.links ?? []).map((link) => ({ title: link.title, url: link.url })),
    ...(raw.notes === undefined ? {} : { notes: raw.notes }),
    anomaly: mergeAnomaly(settings.defaults.anomaly, raw.anomaly),
    expiryWarningDays: raw.expiryWarningDays ?? settings.defaults.expiryWarningDays,
    ...(raw.idle === undefined ? {} : { idle: copyIdle(raw.idle) }),
    ...(raw.exclude === undefined ? {} : { exclude: [...raw.exclude] }),
    ...(raw.accounts === undefined ? {} : { accounts: [...raw.accounts] }),
    ...(raw.teardown === undefined ? {} : { teardown: { data: raw.teardown.data ?? 'keep' } }),
    location,
  };
}

function toBudget(raw: NonNullable<RawPolicy['budget']>, settings: Settings): Budget {
  return {
    monthly: moneyFromNumber(raw.monthly),
    ...(raw.dailyCap === undefined ? {} : { dailyCap: moneyFromNumber(raw.dailyCap) }),
    ...(raw.total === undefined ? {} : { total: moneyFromNumber(raw.total) }),
    thresholds: sortedThresholds(raw.thresholds ?? settings.defaults.thresholds),
    ...(raw.perUse === undefined ? {} : { perUse: toPerUse(raw.perUse) }),
  };
}

/** The schema and checkPolicy have made sure the signal is either `resource` or a metric. */
function toPerUse(raw: RawPerUse): PerUseBudget {
  const { signal } = raw;
  const converted: PerUseSignal =
    signal.resource !== undefined
      ? { kind: 'resource', resource: signal.resource }
      : {
          kind: 'metric',
          namespace: signal.namespace ?? '',
          metricName: signal.metricName ?? '',
          dimensions: { ...signal.dimensions },
          stat: signal.stat ?? 'Sum',
          ...(signal.region === undefined ? {} : { region: signal.region }),
        };
  return {
    signal: converted,
    per: raw.per,
    max: moneyFromNumber(raw.max),
    windowDays: raw.windowDays ?? DEFAULT_PER_USE_WINDOW_DAYS,
  };
}

function copyIdle(raw: RawIdleOverrides | IdleOverrides): IdleOverrides {
  const copy: IdleOverrides = {};
  for (const [type, override] of Object.entries(raw)) {
    const own: IdleOverride = {};
    if (override.threshold !== undefined) own.threshold = override.threshold;
    if (override.windowDays !== undefined) own.windowDays = override.windowDays;
    if (override.enabled !== undefined) own.enabled = override.enabled;
    copy[type] = own;
  }
  return copy;
}

/** Each key set in `raw` overrides the same key of `base`; the others are inherited. */
export function mergeAnomaly(base: AnomalySettings, raw: RawAnomaly | undefined): AnomalySettings {
  return {
    baselineDays: raw?.baselineDays ?? base.baselineDays,
    minBaselineDays: raw?.minBaselineDays ?? base.minBaselineDays,
    factor: raw?.factor ?? base.factor,
    minIncrease: raw?.minIncrease === undefined ? base.minIncrease : moneyFromNumber(raw.minIncrease),
  };
}

function sortedThresholds(thresholds: readonly number[]): number[] {
  return [...thresholds].sort((a, b) => a - b);
}
