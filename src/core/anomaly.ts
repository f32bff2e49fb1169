import type { AnomalySettings } from '../policy/model.js';
import { addDaysIso, eachDay, type IsoDate, maxDate } from './calendar.js';
import type { CostSeries } from './cost-index.js';
import type { Money } from './money.js';
import { ZERO } from './money.js';

export interface Spike {
  date: IsoDate;
  cost: Money;
  baselineMedian: Money;
  baselineDays: number;
}

/**
 * Days that cost far more than the PoC's recent baseline: more than `factor` × the median of the
 * previous `baselineDays` days and at least `minIncrease` above it. The median (not the mean) keeps
 * one earlier spike from hiding the next; the absolute floor keeps cent-level noise quiet. Days before
 * the PoC's first cost are not baseline: a new PoC is not judged until it has `minBaselineDays`.
 */
export function findSpikes(
  series: CostSeries | undefined,
  days: readonly IsoDate[],
  settings: AnomalySettings,
): Spike[] {
  if (!series) return [];
  const spikes: Spike[] = [];
  for (const day of days) {
    const cost = series.byDay.get(day) ?? ZERO;
    const from = maxDate(addDaysIso(day, -settings.baselineDays), series.firstDay);
    const baselineDays = eachDay(from, day);
    if (baselineDays.length < settings.minBaselineDays) continue;
    const baseline = baselineDays.map((d) => series.byDay.get(d) ?? ZERO);
    const median = medianMoney(baseline);
    const factorTimesMedian = (median * BigInt(Math.round(settings.factor * 1000))) / 1000n;
    if (cost > factorTimesMedian && cost - median >= settings.minIncrease) {
      spikes.push({ date: day, cost, baselineMedian: median, baselineDays: baselineDays.length });
    }
  }
  return spikes;
}

export function medianMoney(values: readonly Money[]): Money {
  if (values.length === 0) return ZERO;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? ZERO;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[mid - 1] ?? ZERO) + upper) / 2n;
}
