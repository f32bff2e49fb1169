import { addDaysIso, daysBetween, type IsoDate, nextMonthStartIso, startOfMonthIso } from './calendar.js';

/**
 * The reporting period for a run "as of" day D: the calendar month that contains D−1, from its first
 * day up to but excluding D. D itself is never reported because its costs are still arriving; on the
 * first of a month the run therefore reports the whole previous month.
 */
export interface Period {
  /** First day of the month, inclusive. */
  start: IsoDate;
  /** The as-of day, exclusive. */
  end: IsoDate;
  /** First day of the following month: the forecast horizon. */
  monthEnd: IsoDate;
  /** Days reported so far (end − start). */
  elapsedDays: number;
  /** Days in the month. */
  monthDays: number;
}

export function periodFor(asOf: IsoDate): Period {
  const lastReported = addDaysIso(asOf, -1);
  const start = startOfMonthIso(lastReported);
  const monthEnd = nextMonthStartIso(lastReported);
  return {
    start,
    end: asOf,
    monthEnd,
    elapsedDays: daysBetween(start, asOf),
    monthDays: daysBetween(start, monthEnd),
  };
}
