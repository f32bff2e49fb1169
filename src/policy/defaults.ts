import { moneyFromNumber } from '../core/money.js';
import type { Settings } from './model.js';

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
  };
}
