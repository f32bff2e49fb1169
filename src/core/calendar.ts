import { UTCDate } from '@date-fns/utc';
import { endOfMonth, format, isValid, parseISO, startOfMonth } from 'date-fns';

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

const DAY_MS = 86_400_000;

/** Milliseconds since the epoch at 00:00 UTC of `day`, read straight from the digits. */
function utcMidnight(day: IsoDate): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

// Day arithmetic runs for every resource and every day of every idle window, so it stays on plain
// UTC milliseconds (no time zones can interfere with UTC days); date-fns handles the month logic.
export function addDaysIso(day: IsoDate, days: number): IsoDate {
  return new Date(utcMidnight(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
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
  const last = utcMidnight(end);
  for (let at = utcMidnight(start); at < last; at += DAY_MS)
    days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
