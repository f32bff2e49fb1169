import { moneyFromNumber } from '../core/money.js';
import type { ProtectTag, Settings } from './model.js';

/** cloud-nuke's `cloud-nuke-excluded=true` idea under our own name: tagged resources are never proposed. */
export const DEFAULT_PROTECT_TAG: Readonly<ProtectTag> = { key: 'pocketwatch:protect', value: 'true' };

/** A pay-per-use budget without `windowDays` compares the last 30 days of cost and use. */
export const DEFAULT_PER_USE_WINDOW_DAYS = 30;

/**
 * settings.resourceCosts when left out: off, since GetCostAndUsageWithResources costs at least $0.01
 * a run and fails softly (price table) until the account opts in to resource-level data.
 */
export const DEFAULT_RESOURCE_COSTS = false;

/** Whether a run asks Cost Explorer for resource-level costs. */
export function resourceCostsEnabled(settings: Pick<Settings, 'resourceCosts'>): boolean {
  return settings.resourceCosts ?? DEFAULT_RESOURCE_COSTS;
}

/** Settings when settings.yaml is missing or leaves a key out; policies/settings.yaml spells them out. */
export function defaultSettings(): Settings {
  // A fresh object each time, so no caller can change another's defaults.
  return {
    tagKey: 'poc',
    currency: 'USD',
    timeZone: 'UTC',
    costMetric: 'UnblendedCost',
    defaults: {
      thresholds: [50, 80, 100],
      expiryWarningDays: 7,
      forecastTrailingDays: 7,
      anomaly: { baselineDays: 14, minBaselineDays: 5, factor: 3, minIncrease: moneyFromNumber(5) },
    },
    protectTag: { ...DEFAULT_PROTECT_TAG },
  };
}
