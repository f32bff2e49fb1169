import { type Money, parseMoney } from '../core/money.js';

/**
 * Exact amount parsing straight from CSV bytes.
 *
 * parseMoney builds strings and a BigInt per call, which dominates a million-row scan. Nearly every
 * billing amount is a plain decimal with few integer digits and at most 18 decimals, so the fast path
 * splits it into three small integers (whole part, decimals 1–9, decimals 10–18) that sum exactly as
 * doubles; everything else (exponents, >18 decimals, spaces, garbage) goes to parseMoney itself, so
 * both paths agree by construction outside the fast path's narrow grammar.
 */

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO_CHAR = 0x30;

/** 10^(9−n) for n decimals already read into a 9-digit group. */
const GROUP_SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];
const BIG_1E9 = 10n ** 9n;
const BIG_1E18 = 10n ** 18n;

/** Largest whole part the fast path takes: 9 digits keep every part below 10^9. */
const MAX_WHOLE_DIGITS = 9;

/**
 * An amount as sign × (whole + high·10^-9 + low·10^-18), each part an integer in [0, 10^9).
 * One instance is reused for every row.
 */
export class AmountParts {
  negative = false;
  whole = 0;
  high = 0;
  low = 0;
}

/**
 * Parses `[+-]digits[.digits]` (at least one digit, ≤ 9 integer digits, ≤ 18 decimals) into `out`.
 * Returns false when the text is anything else; the caller then uses parseMoney on the decoded text.
 */
export function parseAmountFast(buf: Uint8Array, start: number, end: number, out: AmountParts): boolean {
  let p = start;
  let negative = false;
  if (p < end) {
    const c = buf[p] as number;
    if (c === MINUS) {
      negative = true;
      p++;
    } else if (c === PLUS) {
      p++;
    }
  }
  let whole = 0;
  let wholeDigits = 0;
  while (p < end) {
    const d = (buf[p] as number) - ZERO_CHAR;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
    wholeDigits++;
    p++;
  }
  if (wholeDigits > MAX_WHOLE_DIGITS) return false;
  let high = 0;
  let low = 0;
  let decimals = 0;
  if (p < end && buf[p] === DOT) {
    p++;
    while (p < end) {
      const d = (buf[p] as number) - ZERO_CHAR;
      if (d < 0 || d > 9) break;
      if (decimals < 9) high = high * 10 + d;
      else low = low * 10 + d;
      decimals++;
      p++;
    }
    if (decimals > 18) return false;
  }
  if (p !== end || wholeDigits + decimals === 0) return false;
  if (decimals <= 9) {
    high *= GROUP_SCALE[decimals] as number;
  } else {
    low *= GROUP_SCALE[decimals - 9] as number;
  }
  out.negative = negative;
  out.whole = whole;
  out.high = high;
  out.low = low;
  return true;
}

/** The Money value of parts (exact). */
export function partsToMoney(parts: AmountParts): Money {
  const units = BigInt(parts.whole) * BIG_1E18 + BigInt(parts.high) * BIG_1E9 + BigInt(parts.low);
  return parts.negative ? -units : units;
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const scratch = new AmountParts();

/**
 * The exact Money value of an amount's bytes, with parseMoney's semantics (fast path when possible).
 * Throws parseMoney's MoneyFormatError for text it rejects.
 */
export function parseAmountBytes(buf: Uint8Array, start: number, end: number): Money {
  if (parseAmountFast(buf, start, end, scratch)) return partsToMoney(scratch);
  return parseMoney(decoder.decode(buf.subarray(start, end)));
}
