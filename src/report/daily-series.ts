import { daysBetween, eachDay, type IsoDate } from '../core/calendar.js';
import type { Money } from '../core/money.js';
import type { DailyPoint } from '../core/report.js';

export interface SeriesDay {
  date: IsoDate;
  cost: Money;
  estimated: boolean;
  /** False for a day the report has no point for (shown as 0). */
  reported: boolean;
}

/**
 * One entry per day in [start, end), in order, with days missing from `points` as zero. Points outside
 * the range are ignored; two points for one day are added up.
 */
export function denseDaily(points: readonly DailyPoint[], start: IsoDate, end: IsoDate): SeriesDay[] {
  const days: SeriesDay[] = eachDay(start, end).map((date) => ({
    date,
    cost: 0n,
    estimated: false,
    reported: false,
  }));
  for (const point of points) {
    const day = days[daysBetween(start, point.date)];
    if (!day || day.date !== point.date) continue;
    day.cost += point.cost;
    day.estimated ||= point.estimated;
    day.reported = true;
  }
  return days;
}

/** Running totals of a series. */
export function cumulative(costs: readonly Money[]): Money[] {
  let total = 0n;
  return costs.map((cost) => {
    total += cost;
    return total;
  });
}
