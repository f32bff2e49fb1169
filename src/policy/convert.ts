import { moneyFromNumber } from '../core/money.js';
import type { AnomalySettings, Budget, Policy, Settings, SourceLocation } from './model.js';
import type { RawAnomaly, RawPolicy, RawSettings } from './raw-types.js';

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
  };
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
    location,
  };
}

function toBudget(raw: NonNullable<RawPolicy['budget']>, settings: Settings): Budget {
  return {
    monthly: moneyFromNumber(raw.monthly),
    ...(raw.dailyCap === undefined ? {} : { dailyCap: moneyFromNumber(raw.dailyCap) }),
    ...(raw.total === undefined ? {} : { total: moneyFromNumber(raw.total) }),
    thresholds: sortedThresholds(raw.thresholds ?? settings.defaults.thresholds),
  };
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
