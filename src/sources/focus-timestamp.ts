import type { IsoDate } from '../core/calendar.js';

/**
 * ChargePeriodStart → UTC day, straight from CSV bytes.
 *
 * Real exports write `2024-09-18T22:00:00Z`, `2024-09-18 22:00:00`, with or without fractional
 * seconds, `+00:00` or another offset. A day number (days since 1970-01-01) is cheap to compute and to
 * compare with the query window; IsoDate strings are only made once per output row.
 */

/** Returned for text that is not a timestamp. */
export const INVALID_DAY = -2_147_483_648;

const ZERO_CHAR = 0x30;
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const SPACE = 0x20;
const UPPER_T = 0x54;
const LOWER_T = 0x74;
const UPPER_Z = 0x5a;
const LOWER_Z = 0x7a;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(buf: Uint8Array, at: number): number {
  const d = (buf[at] as number) - ZERO_CHAR;
  return d >= 0 && d <= 9 ? d : -100_000;
}

function twoDigits(buf: Uint8Array, at: number): number {
  return digit(buf, at) * 10 + digit(buf, at + 1);
}

/** Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The IsoDate of a day number. */
export function isoFromDays(days: number): IsoDate {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** Day number of an IsoDate (YYYY-MM-DD). */
export function daysFromIso(day: IsoDate): number {
  const buf = Buffer.from(day, 'latin1');
  return parseUtcDay(buf, 0, buf.length);
}

/**
 * The UTC day of a timestamp in buf[start, end), or INVALID_DAY. Accepts `YYYY-MM-DD`, optionally
 * followed by `T` or a space, `hh:mm[:ss[.fraction]]`, and `Z`, `±hh:mm`, `±hhmm` or `±hh`.
 * Without an offset the time is taken as UTC (FOCUS dates are UTC).
 */
export function parseUtcDay(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 10 || buf[start + 4] !== DASH || buf[start + 7] !== DASH) return INVALID_DAY;
  const year = twoDigits(buf, start) * 100 + twoDigits(buf, start + 2);
  const month = twoDigits(buf, start + 5);
  const day = twoDigits(buf, start + 8);
  if (year < 0 || month < 1 || month > 12 || day < 1) return INVALID_DAY;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (DAYS_IN_MONTH[month - 1] as number) + (leap ? 1 : 0)) return INVALID_DAY;
  const days = daysFromCivil(year, month, day);
  let p = start + 10;
  if (p === end) return days;
  const sep = buf[p];
  if (sep !== UPPER_T && sep !== LOWER_T && sep !== SPACE) return INVALID_DAY;
  p++;
  if (end - p < 5 || buf[p + 2] !== COLON) return INVALID_DAY;
  const hour = twoDigits(buf, p);
  const minute = twoDigits(buf, p + 3);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return INVALID_DAY;
  p += 5;
  if (p < end && buf[p] === COLON) {
    if (end - p < 3) return INVALID_DAY;
    const second = twoDigits(buf, p + 1);
    if (second < 0 || second > 60) return INVALID_DAY;
    p += 3;
    if (p < end && buf[p] === DOT) {
      p++;
      const digitsFrom = p;
      while (p < end && digit(buf, p) >= 0) p++;
      if (p === digitsFrom) return INVALID_DAY;
    }
  }
  if (p === end) return days;
  const zone = buf[p];
  if (zone === UPPER_Z || zone === LOWER_Z) return p + 1 === end ? days : INVALID_DAY;
  if (zone !== PLUS && zone !== DASH) return INVALID_DAY;
  p++;
  const remaining = end - p;
  let offsetHours: number;
  let offsetMinutes = 0;
  if (remaining === 2) {
    offsetHours = twoDigits(buf, p);
  } else if (remaining === 4) {
    offsetHours = twoDigits(buf, p);
    offsetMinutes = twoDigits(buf, p + 2);
  } else if (remaining === 5 && buf[p + 2] === COLON) {
    offsetHours = twoDigits(buf, p);
    offsetMinutes = twoDigits(buf, p + 3);
  } else {
    return INVALID_DAY;
  }
  if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59) return INVALID_DAY;
  const offset = (offsetHours * 60 + offsetMinutes) * (zone === PLUS ? 1 : -1);
  // Local time minus the offset is UTC; it can only move the day by one either way.
  const utcMinutes = hour * 60 + minute - offset;
  if (utcMinutes < 0) return days - 1;
  if (utcMinutes >= 1440) return days + 1;
  return days;
}
