import { addDaysIso, daysBetween, eachDay, type IsoDate, maxDate } from './calendar.js';
import type { CostSeries } from './cost-index.js';
import { type Money, scaleMoney, ZERO } from './money.js';
import type { Period } from './period.js';

export interface Forecast {
  monthEnd: Money;
  method: 'complete' | 'trailing-average' | 'no-data';
  /** Days the daily rate was averaged over. */
  days: number;
  dailyRate: Money;
}

/**
 * Month-end forecast: month-to-date plus the average of the most recent days times the days left.
 *
 * The average covers only days the PoC existed (from its first cost or its policy's `start`), so a
 * PoC that is two days old is extrapolated from those two days, not diluted by the empty days before
 * it. Days flagged as anomalies are left out so that one spike does not become the whole month's
 * rate; they still count in month-to-date.
 */
export function forecastMonthEnd(
  series: CostSeries | undefined,
  period: Period,
  monthToDate: Money,
  options: { trailingDays: number; start?: IsoDate; excludedDays?: ReadonlySet<IsoDate> },
): Forecast {
  const remaining = daysBetween(period.end, period.monthEnd);
  if (remaining <= 0) return { monthEnd: monthToDate, method: 'complete', days: 0, dailyRate: ZERO };
  if (!series) return { monthEnd: monthToDate, method: 'no-data', days: 0, dailyRate: ZERO };

  const activeFrom = maxDate(
    addDaysIso(period.end, -options.trailingDays),
    options.start && options.start < series.firstDay ? options.start : series.firstDay,
  );
  const days = eachDay(activeFrom, period.end);
  const kept = days.filter((day) => !options.excludedDays?.has(day));
  const window = kept.length > 0 ? kept : days;
  if (window.length === 0) return { monthEnd: monthToDate, method: 'no-data', days: 0, dailyRate: ZERO };

  let sum = ZERO;
  for (const day of window) sum += series.byDay.get(day) ?? ZERO;
  const dailyRate = scaleMoney(sum, 1n, BigInt(window.length));
  return {
    monthEnd: monthToDate + dailyRate * BigInt(remaining),
    method: 'trailing-average',
    days: window.length,
    dailyRate,
  };
}

/** The day cumulative spend is expected to pass `budget` at `dailyRate`, if within the month. */
export function projectedCrossing(
  period: Period,
  monthToDate: Money,
  dailyRate: Money,
  budget: Money,
): IsoDate | undefined {
  if (monthToDate >= budget || dailyRate <= ZERO) return undefined;
  const gap = budget - monthToDate;
  const daysNeeded = Number((gap + dailyRate - 1n) / dailyRate);
  const day = addDaysIso(period.end, daysNeeded - 1);
  return day < period.monthEnd ? day : undefined;
}
