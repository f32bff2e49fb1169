import type { Policy } from '../policy/model.js';
import type { IsoDate } from './calendar.js';
import type { DailyCost, SourceWarning } from './cost-data.js';
import { formatCurrency, type Money, ZERO } from './money.js';

/**
 * A policy's `accounts` say where its PoC lives. The same tag value in another account (a copy of
 * the stack, a name reused by another team) is not that PoC's spend: it is counted as unattributed
 * and named in a warning, so it is neither charged to the wrong budget nor lost. Rows whose account
 * is unknown ('') are left alone.
 */
export function scopeToAccounts(
  rows: readonly DailyCost[],
  policies: readonly Policy[],
  period: { start: IsoDate; end: IsoDate },
  currency: string,
): { rows: DailyCost[]; warnings: SourceWarning[] } {
  const scopes = new Map(
    policies
      .filter((policy) => policy.accounts?.length)
      .map((policy) => [policy.poc, new Set(policy.accounts)]),
  );
  if (scopes.size === 0) return { rows: [...rows], warnings: [] };
  const outside = new Map<string, Money>();
  const scoped = rows.map((row) => {
    const accounts = row.poc === null ? undefined : scopes.get(row.poc);
    if (!accounts || row.account === '' || accounts.has(row.account)) return row;
    if (row.date >= period.start && row.date < period.end) {
      const key = `${row.poc}\u0000${row.account}`;
      outside.set(key, (outside.get(key) ?? ZERO) + row.cost);
    }
    return { ...row, poc: null };
  });
  const warnings = [...outside].map(([key, amount]) => {
    const [poc = '', account = ''] = key.split('\u0000');
    return {
      code: 'outside-accounts',
      message: `${formatCurrency(amount, currency)} tagged ${poc} in account ${account} this month is outside the accounts its policy names (${[...(scopes.get(poc) ?? [])].join(', ')}): counted as unattributed`,
    };
  });
  return { rows: scoped, warnings };
}
