import type { IsoDate } from './calendar.js';
import { type Forecast, projectedCrossing } from './forecast.js';
import { formatCurrency, type Money, moneyRatio, percentUsed } from './money.js';
import type { Period } from './period.js';
import type { Alert } from './report.js';

type NewAlert = Omit<Alert, 'new'>;

export interface BudgetContext {
  poc: string;
  period: Period;
  currency: string;
  monthToDate: Money;
  forecast: Forecast;
  monthly: Money;
  thresholds: readonly number[];
  /** The last reported day, the date budget alerts refer to. */
  lastDay: IsoDate;
}

/** The highest level (a percentage) that `used` reaches, 100 always being one of the levels. */
export function highestLevelReached(used: number, thresholds: readonly number[]): number | undefined {
  const levels = [...new Set([...thresholds, 100])].sort((a, b) => a - b);
  let reached: number | undefined;
  for (const level of levels) if (used * 100 >= level) reached = level;
  return reached;
}

/**
 * Monthly-budget alerts. Only the highest level reached is raised: a PoC first seen at 85 % gets the
 * 80 % alert, not 50 % and 80 % at once; the id carries the level, so crossing the next one is new.
 */
export function monthlyBudgetAlerts(ctx: BudgetContext): NewAlert[] {
  const alerts: NewAlert[] = [];
  const month = ctx.period.start.slice(0, 7);
  const money = (amount: Money) => formatCurrency(amount, ctx.currency);
  const used = moneyRatio(ctx.monthToDate, ctx.monthly);
  const level = highestLevelReached(used, ctx.thresholds);
  const over = ctx.monthToDate > ctx.monthly;
  if (level !== undefined) {
    alerts.push({
      id: `${ctx.poc}:${over ? 'over-budget' : 'threshold'}:${month}:${level}`,
      poc: ctx.poc,
      kind: over ? 'over-budget' : 'threshold',
      severity: over ? 'critical' : 'warning',
      message: over
        ? `${ctx.poc} is over budget: ${money(ctx.monthToDate)} of ${money(ctx.monthly)} (${percentUsed(used)}%) by ${ctx.lastDay}; forecast ${money(ctx.forecast.monthEnd)} by month end`
        : `${ctx.poc} has used ${percentUsed(used)}% of its monthly budget: ${money(ctx.monthToDate)} of ${money(ctx.monthly)} (alert level ${level}%)`,
      date: ctx.lastDay,
      amount: ctx.monthToDate,
      limit: ctx.monthly,
    });
  }
  if (!over && ctx.forecast.monthEnd > ctx.monthly) {
    const crossing = projectedCrossing(ctx.period, ctx.monthToDate, ctx.forecast.dailyRate, ctx.monthly);
    alerts.push({
      id: `${ctx.poc}:forecast:${month}`,
      poc: ctx.poc,
      kind: 'forecast',
      severity: 'warning',
      message: `${ctx.poc} is forecast to spend ${money(ctx.forecast.monthEnd)} this month, over its ${money(ctx.monthly)} budget${crossing ? `; at ${money(ctx.forecast.dailyRate)}/day the budget runs out on ${crossing}` : ''}`,
      date: ctx.lastDay,
      amount: ctx.forecast.monthEnd,
      limit: ctx.monthly,
    });
  }
  return alerts;
}

export function dailyCapAlerts(
  poc: string,
  currency: string,
  cap: Money,
  days: ReadonlyArray<{ date: IsoDate; cost: Money }>,
): NewAlert[] {
  return days
    .filter((day) => day.cost > cap)
    .map((day) => ({
      id: `${poc}:daily-cap:${day.date}`,
      poc,
      kind: 'daily-cap' as const,
      severity: 'warning' as const,
      message: `${poc} spent ${formatCurrency(day.cost, currency)} on ${day.date}, over its daily cap of ${formatCurrency(cap, currency)}`,
      date: day.date,
      amount: day.cost,
      limit: cap,
    }));
}

export function lifetimeAlerts(
  poc: string,
  currency: string,
  lifetime: { start: IsoDate; cost: Money; budget: Money },
  thresholds: readonly number[],
  lastDay: IsoDate,
): NewAlert[] {
  const used = moneyRatio(lifetime.cost, lifetime.budget);
  const level = highestLevelReached(used, thresholds);
  if (level === undefined) return [];
  const over = lifetime.cost > lifetime.budget;
  return [
    {
      id: `${poc}:lifetime:${level}`,
      poc,
      kind: 'lifetime',
      severity: over ? 'critical' : 'warning',
      message: `${poc} has spent ${formatCurrency(lifetime.cost, currency)} since ${lifetime.start}, ${percentUsed(used)}% of its lifetime budget of ${formatCurrency(lifetime.budget, currency)}`,
      date: lastDay,
      amount: lifetime.cost,
      limit: lifetime.budget,
    },
  ];
}
