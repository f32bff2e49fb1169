import { daysBetween, type IsoDate } from './calendar.js';
import { formatCurrency, type Money, ZERO } from './money.js';
import type { Alert } from './report.js';

type NewAlert = Omit<Alert, 'new'>;

export type ExpiryState = 'active' | 'expiring' | 'expired';

/** A PoC expires at the end of its `expires` day: on the as-of day after it, it is expired. */
export function expiryState(asOf: IsoDate, expires: IsoDate | undefined, warningDays: number): ExpiryState {
  if (!expires) return 'active';
  if (asOf > expires) return 'expired';
  return daysBetween(asOf, expires) < warningDays ? 'expiring' : 'active';
}

export function expiryAlerts(
  poc: string,
  asOf: IsoDate,
  expires: IsoDate | undefined,
  warningDays: number,
  spendSinceExpiry: Money,
  currency: string,
): NewAlert[] {
  const state = expiryState(asOf, expires, warningDays);
  if (!expires || state === 'active') return [];
  if (state === 'expiring') {
    const days = daysBetween(asOf, expires);
    return [
      {
        id: `${poc}:expiring:${expires}`,
        poc,
        kind: 'expiring',
        severity: 'info',
        message: `${poc} expires ${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`} (${expires}): extend \`expires\` in its policy or plan its teardown`,
        date: asOf,
      },
    ];
  }
  const stillSpending = spendSinceExpiry > ZERO;
  return [
    {
      id: `${poc}:expired:${expires}`,
      poc,
      kind: 'expired',
      severity: stillSpending ? 'critical' : 'info',
      message: stillSpending
        ? `${poc} expired on ${expires} but has cost ${formatCurrency(spendSinceExpiry, currency)} since: tear it down or extend its policy`
        : `${poc} expired on ${expires}; no spend since`,
      date: asOf,
      amount: spendSinceExpiry,
    },
  ];
}
