import { UTCDate } from '@date-fns/utc';
import {
  addDays,
  differenceInCalendarDays,
  endOfMonth,
  format,
  isValid,
  parseISO,
  startOfMonth,
} from 'date-fns';

/** A calendar day in UTC, written YYYY-MM-DD. Billing data is dated in UTC, so every period is too. */
export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = parseISO(text, { in: (d) => new UTCDate(d) });
  return isValid(date) && format(date, 'yyyy-MM-dd') === text;
}

function toDate(day: IsoDate): UTCDate {
  return new UTCDate(`${day}T00:00:00Z`);
}

function toIso(date: Date): IsoDate {
  return format(date, 'yyyy-MM-dd');
}

export function addDaysIso(day: IsoDate, days: number): IsoDate {
  return toIso(addDays(toDate(day), days));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return differenceInCalendarDays(toDate(to), toDate(from));
}

export function startOfMonthIso(day: IsoDate): IsoDate {
  return toIso(startOfMonth(toDate(day)));
}

/** The first day of the next month (an exclusive end). */
export function nextMonthStartIso(day: IsoDate): IsoDate {
  return addDaysIso(toIso(endOfMonth(toDate(day))), 1);
}

export function todayIso(now: Date = new Date()): IsoDate {
  return now.toISOString().slice(0, 10);
}

/** Every day in [start, end). */
export function eachDay(start: IsoDate, end: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = start; day < end; day = addDaysIso(day, 1)) days.push(day);
  return days;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
