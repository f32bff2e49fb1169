import type { IsoDate } from './calendar.js';
import type { DailyCost } from './cost-data.js';
import { type Money, ZERO } from './money.js';

/** Everything known about one tag value's (or the untagged) spend, indexed for evaluation. */
export interface CostSeries {
  /** Cost per day over all data loaded (any service, any account). */
  byDay: Map<IsoDate, Money>;
  /** Days whose figure is still an estimate. */
  estimatedDays: Set<IsoDate>;
  /** Earliest day with a row. */
  firstDay: IsoDate;
  lastDay: IsoDate;
  /** The rows themselves, for per-service and per-account breakdowns. */
  rows: DailyCost[];
}

export interface CostIndex {
  /** Per tag value; the untagged spend is under `null`. */
  series: Map<string | null, CostSeries>;
}

export function indexCosts(rows: Iterable<DailyCost>): CostIndex {
  const series = new Map<string | null, CostSeries>();
  for (const row of rows) {
    let entry = series.get(row.poc);
    if (!entry) {
      entry = { byDay: new Map(), estimatedDays: new Set(), firstDay: row.date, lastDay: row.date, rows: [] };
      series.set(row.poc, entry);
    }
    entry.rows.push(row);
    entry.byDay.set(row.date, (entry.byDay.get(row.date) ?? ZERO) + row.cost);
    if (row.estimated) entry.estimatedDays.add(row.date);
    if (row.date < entry.firstDay) entry.firstDay = row.date;
    if (row.date > entry.lastDay) entry.lastDay = row.date;
  }
  return { series };
}

/** Sum of a series over [start, end). */
export function sumBetween(series: CostSeries | undefined, start: IsoDate, end: IsoDate): Money {
  if (!series) return ZERO;
  let total = ZERO;
  for (const [day, cost] of series.byDay) if (day >= start && day < end) total += cost;
  return total;
}

/** Per-key totals, largest first. */
export function totalsBy(
  rows: Iterable<DailyCost>,
  keyOf: (row: DailyCost) => string,
): Array<{ key: string; cost: Money }> {
  const totals = new Map<string, Money>();
  for (const row of rows) totals.set(keyOf(row), (totals.get(keyOf(row)) ?? ZERO) + row.cost);
  return [...totals]
    .map(([key, cost]) => ({ key, cost }))
    .sort((a, b) => (a.cost === b.cost ? a.key.localeCompare(b.key) : a.cost > b.cost ? -1 : 1));
}
