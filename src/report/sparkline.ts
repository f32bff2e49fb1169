import { type Money, moneyRatio } from '../core/money.js';

export const SPARK_LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * A unicode block sparkline, one character per value.
 *
 * The scale runs from zero (or the lowest value, when credits make some day negative) to the highest
 * value, so a steady cost reads as a full line rather than as noise, and a zero day is as low as any
 * day that is not a credit. Equal values (all zeros, a single value of 0) give the lowest level.
 */
export function sparkline(values: readonly Money[]): string {
  if (values.length === 0) return '';
  let low: Money = 0n;
  let high: Money = 0n;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  const span = high - low;
  return values
    .map((value) => {
      if (span === 0n) return SPARK_LEVELS[0];
      const level = Math.round(moneyRatio(value - low, span) * (SPARK_LEVELS.length - 1));
      return SPARK_LEVELS[Math.min(SPARK_LEVELS.length - 1, Math.max(0, level))];
    })
    .join('');
}
