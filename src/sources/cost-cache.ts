import type { IsoDate } from '../core/calendar.js';
import type { DailyCost } from '../core/cost-data.js';
import { formatMoneyExact, parseMoney } from '../core/money.js';
import type { CostMetric } from '../policy/model.js';

/** What a cache holds for a range. */
export interface CachedCosts {
  /** Rows of the cached days in the range. */
  rows: DailyCost[];
  /** Every cached day in the range, including days that had no cost at all. */
  days: Set<IsoDate>;
  /** Billing currency of the cached rows, when known. */
  currency?: string;
  /** Cached days whose figures were still estimates, with the day they were fetched. */
  estimated: Map<IsoDate, IsoDate>;
}

/** Days cached as still-estimated figures, and when they were fetched. */
export interface EstimatedFreshness {
  fetchedOn: IsoDate;
}

/**
 * Daily costs kept between runs so the same day is not paid for twice: Cost Explorer bills $0.01 per
 * request page. Final days are kept for good; estimated days are kept with the day they were
 * fetched, and the source decides when they are stale.
 */
export interface CostCache {
  /** Cached days in [start, end) under `key`, with their rows. */
  get(key: string, start: IsoDate, end: IsoDate): Promise<CachedCosts>;
  /**
   * Records `days` as closed with `rows` as their complete content (a day without rows had no
   * cost), replacing whatever was cached for those days. Rows dated outside `days` are ignored.
   */
  put(
    key: string,
    days: readonly IsoDate[],
    rows: readonly DailyCost[],
    currency?: string,
    estimated?: EstimatedFreshness,
  ): Promise<void>;
}

/** What a cached figure depends on: the same day means different rows under another scope. */
export interface CostCacheScope {
  tagKey: string;
  metric: CostMetric;
  /** The second grouping: per service, or per linked account. */
  grouping: 'service' | 'account';
  /** The account whose view the data is ('' when unknown). */
  account: string;
}

export function costCacheKey(scope: CostCacheScope): string {
  return ['ce', scope.tagKey, scope.metric, scope.grouping, scope.account].map(encodeURIComponent).join('|');
}

/** One cached row in files: [poc or null, service, account, exact decimal amount]. */
export type CachedRow = [string | null, string, string, string];

export function encodeCachedRow(row: DailyCost): CachedRow {
  return [row.poc, row.service, row.account, formatMoneyExact(row.cost)];
}

/** Decodes a file's rows for one day; undefined when the entry is not well formed. */
export function decodeCachedRows(
  date: IsoDate,
  entries: unknown,
  estimated = false,
): DailyCost[] | undefined {
  if (!Array.isArray(entries)) return undefined;
  const rows: DailyCost[] = [];
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 4) return undefined;
    const [poc, service, account, amount] = entry as unknown[];
    if (poc !== null && typeof poc !== 'string') return undefined;
    if (typeof service !== 'string' || typeof account !== 'string' || typeof amount !== 'string') {
      return undefined;
    }
    let cost: bigint;
    try {
      cost = parseMoney(amount);
    } catch {
      return undefined;
    }
    rows.push({ date, poc, service, account, cost, estimated });
  }
  return rows;
}

/** A cache that lives as long as the process; for tests and one-off runs. */
export class InMemoryCostCache implements CostCache {
  private readonly entries = new Map<
    string,
    { currency?: string; days: Map<IsoDate, DailyCost[]>; estimated: Map<IsoDate, IsoDate> }
  >();

  async get(key: string, start: IsoDate, end: IsoDate): Promise<CachedCosts> {
    const entry = this.entries.get(key);
    const result: CachedCosts = { rows: [], days: new Set(), estimated: new Map() };
    if (!entry) return result;
    for (const [day, rows] of entry.days) {
      if (day < start || day >= end) continue;
      result.days.add(day);
      const fetchedOn = entry.estimated.get(day);
      if (fetchedOn) result.estimated.set(day, fetchedOn);
      for (const row of rows) result.rows.push({ ...row });
    }
    if (entry.currency) result.currency = entry.currency;
    return result;
  }

  async put(
    key: string,
    days: readonly IsoDate[],
    rows: readonly DailyCost[],
    currency?: string,
    estimated?: EstimatedFreshness,
  ): Promise<void> {
    if (days.length === 0) return;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { days: new Map(), estimated: new Map() };
      this.entries.set(key, entry);
    }
    const fresh = new Map(days.map((day): [IsoDate, DailyCost[]] => [day, []]));
    for (const row of rows) fresh.get(row.date)?.push({ ...row, estimated: estimated !== undefined });
    for (const [day, dayRows] of fresh) {
      entry.days.set(day, dayRows);
      if (estimated) entry.estimated.set(day, estimated.fetchedOn);
      else entry.estimated.delete(day);
    }
    if (currency) entry.currency = currency;
  }

  /** Cached days under `key`, sorted (for tests). */
  cachedDays(key: string): IsoDate[] {
    return [...(this.entries.get(key)?.days.keys() ?? [])].sort();
  }
}
