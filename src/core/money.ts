/**
 * Exact money: a decimal amount held as a bigint count of 10^-18 units.
 *
 * Billing data carries amounts with 10 or more decimals ("0.0000023487", "40.3543773134"); summing
 * them as floats drifts. A fixed scale of 18 decimals keeps every real-world amount exact and makes
 * addition a bigint add, which matters when a billing export has millions of rows. Amounts with more
 * than 18 decimals are rounded half-to-even at the 18th, far below any currency's smallest unit.
 */
export type Money = bigint;

export const MONEY_SCALE = 18;
const UNIT = 10n ** BigInt(MONEY_SCALE);
const ZEROS = '0'.repeat(MONEY_SCALE);

export const ZERO: Money = 0n;

export class MoneyFormatError extends Error {
  constructor(readonly text: string) {
    super(`not a decimal amount: ${JSON.stringify(text)}`);
    this.name = 'MoneyFormatError';
  }
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal string such as "12", "-0.5", "1.25E-7". Throws MoneyFormatError otherwise. */
export function parseMoney(text: string): Money {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new MoneyFormatError(text);
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') throw new MoneyFormatError(text);
  const exponent = exponentText ? Number.parseInt(exponentText, 10) : 0;
  if (Math.abs(exponent) > 60) throw new MoneyFormatError(text);
  // Shift the decimal point by the exponent, then scale to 18 decimals.
  let digits = whole + fraction;
  let pointAt = whole.length + exponent;
  if (pointAt < 0) {
    digits = '0'.repeat(-pointAt) + digits;
    pointAt = 0;
  }
  if (pointAt > digits.length) digits += '0'.repeat(pointAt - digits.length);
  const intPart = digits.slice(0, pointAt) || '0';
  const fracPart = digits.slice(pointAt);
  let units = BigInt(intPart + (fracPart + ZEROS).slice(0, MONEY_SCALE));
  const rest = fracPart.slice(MONEY_SCALE);
  if (rest.length > 0 && roundsUp(rest, units)) units += 1n;
  return sign === '-' ? -units : units;
}

function roundsUp(rest: string, kept: bigint): boolean {
  const first = rest.charCodeAt(0) - 48;
  if (first > 5) return true;
  if (first < 5) return false;
  if (/[1-9]/.test(rest.slice(1))) return true;
  return kept % 2n === 1n;
}

/** Converts a float that came from a human (a policy file's `120.5`), via its shortest decimal form. */
export function moneyFromNumber(value: number): Money {
  if (!Number.isFinite(value)) throw new MoneyFormatError(String(value));
  return parseMoney(String(value));
}

/** Full-precision decimal string with trailing zeros removed ("12.5", "0.000001"). */
export function formatMoneyExact(amount: Money): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = abs / UNIT;
  const fraction = (abs % UNIT).toString().padStart(MONEY_SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Rounds half away from zero to `decimals` places (display and JSON output only). */
export function roundMoney(amount: Money, decimals: number): Money {
  const step = 10n ** BigInt(MONEY_SCALE - decimals);
  const half = step / 2n;
  const abs = amount < 0n ? -amount : amount;
  const rounded = ((abs + half) / step) * step;
  return amount < 0n ? -rounded : rounded;
}

/** A number for JSON output, exact to 1e-10 (well inside the 1e-6 contract). */
export function moneyToNumber(amount: Money): number {
  return Number(formatMoneyExact(roundMoney(amount, 10)));
}

/** "1,234.56" style with a fixed number of decimals. */
export function formatMoney(amount: Money, decimals = 2): string {
  const text = formatMoneyExact(roundMoney(amount, decimals));
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = decimals > 0 ? `.${fraction.padEnd(decimals, '0')}` : '';
  return `${negative ? '-' : ''}${grouped}${frac}`;
}

const SYMBOLS: Record<string, string> = {
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  KRW: '₩',
  CNY: '¥',
  INR: '₹',
};

/** "$1,234.56" for known currencies, "1,234.56 CHF" otherwise. */
export function formatCurrency(amount: Money, currency: string, decimals = 2): string {
  const symbol = SYMBOLS[currency];
  const body = formatMoney(amount < 0n ? -amount : amount, decimals);
  const sign = amount < 0n ? '-' : '';
  return symbol ? `${sign}${symbol}${body}` : `${sign}${body} ${currency}`;
}

export function sumMoney(amounts: Iterable<Money>): Money {
  let total = ZERO;
  for (const amount of amounts) total += amount;
  return total;
}

/** amount × numerator / denominator, rounded half away from zero at the 18th decimal. */
export function scaleMoney(amount: Money, numerator: bigint, denominator: bigint): Money {
  if (denominator === 0n) throw new RangeError('division by zero');
  const product = amount * numerator;
  const negative = product < 0n !== denominator < 0n;
  const absProduct = product < 0n ? -product : product;
  const absDenominator = denominator < 0n ? -denominator : denominator;
  const quotient = (absProduct * 2n + absDenominator) / (absDenominator * 2n);
  return negative ? -quotient : quotient;
}

/** amount / divisor as a float ratio (for percentages and charts, never for sums). */
export function moneyRatio(amount: Money, divisor: Money): number {
  if (divisor === 0n) return amount === 0n ? 0 : Number.POSITIVE_INFINITY;
  return Number((amount * 1_000_000n) / divisor) / 1_000_000;
}

export function maxMoney(a: Money, b: Money): Money {
  return a > b ? a : b;
}

/**
 * A share as a whole percentage, rounded down so that "100%" only appears once a budget is really
 * used up (and "110%" on a 110.9 % overrun, consistently in every renderer and message).
 */
export function percentUsed(ratio: number): number {
  return Number.isFinite(ratio) ? Math.floor(ratio * 100 + 1e-9) : Number.POSITIVE_INFINITY;
}
