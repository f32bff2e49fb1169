import {
  type CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import type { ApiMeter } from '../aws/api-meter.js';
import { costExplorerEndpoint } from '../aws/aws-clients.js';
import { AwsCallError, toAwsCallError } from '../aws/aws-errors.js';
import {
  addDaysIso,
  daysBetween,
  eachDay,
  type IsoDate,
  minDate,
  startOfMonthIso,
  todayIso,
} from '../core/calendar.js';
import type { DailyCost, SourceWarning } from '../core/cost-data.js';
import { type Money, MoneyFormatError, parseMoney } from '../core/money.js';
import type { CostMetric } from '../policy/model.js';
import { type CachedCosts, type CostCache, costCacheKey } from './cost-cache.js';
import type { CostDataset, CostQuery, CostSource, ProgressListener } from './cost-source.js';

export const GET_COST_AND_USAGE = 'ce:GetCostAndUsage';

export const COST_EXPLORER_METRICS: readonly CostMetric[] = [
  'UnblendedCost',
  'AmortizedCost',
  'NetUnblendedCost',
  'NetAmortizedCost',
];

/** The service name of rows grouped by linked account, where Cost Explorer gives no service. */
export const ALL_SERVICES = 'All services';

/** Months of history before the current one that Cost Explorer serves. */
export const HISTORY_MONTHS = 13;

/** Days this recent are re-fetched even when Cost Explorer calls them final: late usage lands for days. */
export const OPEN_DAYS = 3;

/**
 * Cost Explorer calls every day of the current month estimated until the bill closes, and a day
 * carries one row per PoC and service, so re-reading the whole month daily would cost a page per day
 * or two. Estimated days older than OPEN_DAYS are reused, and checked for changes this often with a
 * cheap query grouped by the tag alone; a day whose totals changed is read again in full.
 */
export const ESTIMATED_REFRESH_DAYS = 7;

/**
 * Two missing ranges this close together are fetched as one query: re-reading a cached day is about
 * as dear as a second request's first page, so only gaps of a day or two are worth bridging.
 */
export const MERGE_GAP_DAYS = 2;

/** A runaway pagination loop would bill $0.01 a page; no real query needs this many pages. */
const MAX_PAGES = 1000;

export interface CostExplorerSourceOptions {
  /** A client from createCostExplorerClient, metered with the same `meter`. */
  client: CostExplorerClient;
  meter: ApiMeter;
  /** Default UnblendedCost. */
  metric?: CostMetric;
  /**
   * Group by linked account instead of service (for management accounts, whose view spans the
   * organisation). Cost Explorer allows only two groupings and one is the tag, so rows then carry
   * the service `ALL_SERVICES`.
   */
  groupByAccount?: boolean;
  /**
   * The account the credentials belong to (from STS), used as every row's account when grouping by
   * service and as the cache scope. Rows carry '' when it is not given.
   */
  accountId?: string;
  /** Where closed days are kept between runs; without one every load queries everything. */
  cache?: CostCache;
  /** The clock (tests). */
  now?: () => Date;
  /** The endpoint named in network errors; by default the one the SDK will use. */
  endpoint?: string;
}

/** A range of days, start inclusive, end exclusive. */
export interface DateRange {
  start: IsoDate;
  end: IsoDate;
}

/**
 * The live cost source: Cost Explorer's GetCostAndUsage, grouped by the PoC tag and by service (or
 * linked account), one day per result.
 *
 * Cost: every request page is billed $0.01, so the number of requests never depends on the number of
 * PoCs (one grouped query covers all of them), and known days come from the cache: final days for
 * good, estimated ones for ESTIMATED_REFRESH_DAYS. A daily load asks for the last few open days (and
 * the odd estimated day gone stale); the first load of a lifetime budget adds one query for the older
 * days the cache lacks.
 */
export class CostExplorerSource implements CostSource {
  readonly kind = 'cost-explorer';
  readonly description: string;
  private readonly metric: CostMetric;
  private readonly now: () => Date;

  constructor(private readonly options: CostExplorerSourceOptions) {
    this.metric = options.metric ?? 'UnblendedCost';
    if (!COST_EXPLORER_METRICS.includes(this.metric)) {
      throw new Error(
        `unsupported Cost Explorer metric "${this.metric}": use ${COST_EXPLORER_METRICS.join(', ')}`,
      );
    }
    this.now = options.now ?? (() => new Date());
    this.description = `AWS Cost Explorer (${this.metric}, daily, by ${options.groupByAccount ? 'linked account' : 'service'})`;
  }

  async load(query: CostQuery, onProgress?: ProgressListener): Promise<CostDataset> {
    const callsBefore = this.options.meter.counts()[GET_COST_AND_USAGE] ?? 0;
    const today = todayIso(this.now());
    const earliest = costExplorerHistoryStart(today);
    // Nothing exists after today; asking for it would only make the range look open forever.
    const end = minDate(query.end, addDaysIso(today, 1));
    const warnings: SourceWarning[] = [];
    const key = costCacheKey({
      tagKey: query.tagKey,
      metric: this.metric,
      grouping: this.options.groupByAccount ? 'account' : 'service',
      account: this.options.accountId ?? '',
    });

    const cached = query.start < end ? await this.readCache(key, query.start, end, warnings) : emptyCache();
    const changed = await this.checkSettledDays(query.tagKey, cached, today, { start: query.start, end });
    const reusable = (day: IsoDate) => {
      if (!cached.days.has(day)) return false;
      if (!cached.estimated.has(day)) return true;
      return daysBetween(day, today) > OPEN_DAYS && !changed.changed.has(day);
    };
    const missing = query.start < end ? eachDay(query.start, end).filter((day) => !reusable(day)) : [];
    const tooOld = missing.filter((day) => day < earliest);
    if (tooOld.length > 0) {
      warnings.push({
        code: 'history-clamped',
        partial: true,
        message: `Cost Explorer keeps ${HISTORY_MONTHS} months plus the current month, so costs from ${tooOld[0]} to ${tooOld.at(-1)} (${tooOld.length} days) are not included; lifetime totals may be low`,
        where: GET_COST_AND_USAGE,
      });
    }
    const ranges = planCostQueries(
      missing.filter((day) => day >= earliest),
      end,
    );

    const fetched = new FetchedCosts(query.tagKey, this.metric, this.options);
    for (const range of ranges) await this.fetchRange(query.tagKey, range, fetched, onProgress);

    // A day fetched again takes the fresh figures over the cached ones.
    const rows = [
      ...cached.rows.filter((row) => reusable(row.date) && !fetched.dayEstimated.has(row.date)),
      ...fetched.rows,
    ];
    const currencies = new Set(fetched.currencies);
    if (cached.currency && cached.rows.length > 0) currencies.add(cached.currency);
    if (currencies.size > 1) {
      warnings.push({
        code: 'mixed-currency',
        message: `Cost Explorer returned amounts in several currencies (${[...currencies].join(', ')}); totals add them as if they were one`,
        where: GET_COST_AND_USAGE,
      });
    }
    const currency = [...currencies][0] ?? cached.currency;
    warnings.push(...fetched.warnings);

    await this.writeCache(key, fetched, today, currency, warnings);
    if (changed.unchanged.length > 0 && this.options.cache) {
      const unchanged = new Set(changed.unchanged);
      await this.options.cache
        .put(
          key,
          changed.unchanged,
          cached.rows.filter((row) => unchanged.has(row.date)),
          currency,
          { fetchedOn: today },
        )
        .catch(() => undefined);
    }

    const dataset: CostDataset = {
      rows: mergeRows(rows),
      warnings,
      apiCalls: callsSince(this.options.meter, callsBefore),
    };
    if (currency) dataset.currency = currency;
    const coverage = coverageOf(dataset.rows);
    if (coverage) dataset.coverage = coverage;
    return dataset;
  }

  /** One grouped query over `range`, following NextPageToken (the SDK has no paginator for it). */
  private async fetchRange(
    tagKey: string,
    range: DateRange,
    fetched: FetchedCosts,
    onProgress: ProgressListener | undefined,
  ): Promise<void> {
    const input: GetCostAndUsageCommandInput = {
      TimePeriod: { Start: range.start, End: range.end },
      Granularity: 'DAILY',
      Metrics: [this.metric],
      GroupBy: [
        { Type: 'TAG', Key: tagKey },
        { Type: 'DIMENSION', Key: this.options.groupByAccount ? 'LINKED_ACCOUNT' : 'SERVICE' },
      ],
    };
    await this.paginate(input, (output) => {
      fetched.addPage(output);
      onProgress?.({ stage: 'cost-explorer', done: fetched.pages, unit: 'pages' });
    });
  }

  private async send(input: GetCostAndUsageCommandInput): Promise<GetCostAndUsageCommandOutput> {
    try {
      return await this.options.client.send(new GetCostAndUsageCommand(input));
    } catch (error) {
      throw toAwsCallError(error, {
        operation: GET_COST_AND_USAGE,
        endpoint: this.options.endpoint ?? costExplorerEndpoint(),
      });
    }
  }

  /**
   * Estimated days past the open window are checked all at once when the oldest check is
   * ESTIMATED_REFRESH_DAYS old: one query grouped by the tag alone (a row per PoC and day, so a month
   * fits in a page or two) compares each PoC's daily total with the cached one. Only the days that
   * changed are read again in full; the others are stamped as checked today.
   */
  private async checkSettledDays(
    tagKey: string,
    cached: CachedCosts,
    today: IsoDate,
    window: DateRange,
  ): Promise<{ changed: Set<IsoDate>; unchanged: IsoDate[] }> {
    const settled = [...cached.estimated]
      .filter(([day]) => day >= window.start && day < window.end && daysBetween(day, today) > OPEN_DAYS)
      .sort(([a], [b]) => compareText(a, b));
    const due = settled.some(([, fetchedOn]) => daysBetween(fetchedOn, today) >= ESTIMATED_REFRESH_DAYS);
    if (!due) return { changed: new Set(), unchanged: [] };
    const first = settled[0]?.[0] as IsoDate;
    const last = settled.at(-1)?.[0] as IsoDate;
    const totals = new Map<string, Money>();
    await this.paginate(
      {
        TimePeriod: { Start: first, End: addDaysIso(last, 1) },
        Granularity: 'DAILY',
        Metrics: [this.metric],
        GroupBy: [{ Type: 'TAG', Key: tagKey }],
      },
      (output) => {
        for (const result of output.ResultsByTime ?? []) {
          const date = result.TimePeriod?.Start;
          if (!date) continue;
          for (const group of result.Groups ?? []) {
            const amount = group.Metrics?.[this.metric]?.Amount;
            const cost = amount === undefined ? undefined : parseAmount(amount);
            const poc = parseTagGroupKey(group.Keys?.[0] ?? '', tagKey);
            const totalKey = `${date}\u0000${poc ?? ''}`;
            // An unreadable amount cannot prove the day unchanged: make it differ.
            totals.set(totalKey, (totals.get(totalKey) ?? 0n) + (cost ?? -1n));
          }
        }
      },
    );
    const settledDays = new Set(settled.map(([day]) => day));
    const cachedTotals = new Map<string, Money>();
    for (const row of cached.rows) {
      if (!settledDays.has(row.date)) continue;
      const totalKey = `${row.date}\u0000${row.poc ?? ''}`;
      cachedTotals.set(totalKey, (cachedTotals.get(totalKey) ?? 0n) + row.cost);
    }
    const changed = new Set<IsoDate>();
    for (const totalKey of new Set([...totals.keys(), ...cachedTotals.keys()])) {
      if ((totals.get(totalKey) ?? 0n) !== (cachedTotals.get(totalKey) ?? 0n))
        changed.add(totalKey.slice(0, 10));
    }
    const unchanged = settled.map(([day]) => day).filter((day) => !changed.has(day));
    return { changed, unchanged };
  }

  /** Sends `input` and every following page (the SDK has no paginator for GetCostAndUsage). */
  private async paginate(
    input: GetCostAndUsageCommandInput,
    onPage: (output: GetCostAndUsageCommandOutput) => void,
  ): Promise<void> {
    const seenTokens = new Set<string>();
    let token: string | undefined;
    for (let page = 1; ; page++) {
      const output = await this.send(token ? { ...input, NextPageToken: token } : input);
      onPage(output);
      token = output.NextPageToken || undefined;
      if (!token) return;
      if (seenTokens.has(token) || page >= MAX_PAGES) {
        throw new AwsCallError(
          `${GET_COST_AND_USAGE} kept returning more pages (${page} for ${input.TimePeriod?.Start} to ${input.TimePeriod?.End}); stopped to avoid paying for a pagination loop`,
          { operation: GET_COST_AND_USAGE, code: 'PaginationLoop' },
        );
      }
      seenTokens.add(token);
    }
  }

  /** A cache that cannot be read costs a re-fetch, not the run. */
  private async readCache(key: string, start: IsoDate, end: IsoDate, warnings: SourceWarning[]) {
    if (!this.options.cache) return emptyCache();
    try {
      return await this.options.cache.get(key, start, end);
    } catch (error) {
      warnings.push({
        code: 'cost-cache-unavailable',
        message: `the cost cache could not be read (${(error as Error).message}); every day was fetched again`,
      });
      return emptyCache();
    }
  }

  /**
   * Stores the days just fetched that are worth keeping: final days for good, estimated days older
   * than OPEN_DAYS with today's date (see ESTIMATED_REFRESH_DAYS). The data is already paid for, so a
   * failure only warns.
   */
  private async writeCache(
    key: string,
    fetched: FetchedCosts,
    today: IsoDate,
    currency: string | undefined,
    warnings: SourceWarning[],
  ): Promise<void> {
    if (!this.options.cache) return;
    const closed: IsoDate[] = [];
    const settling: IsoDate[] = [];
    for (const [day, estimated] of fetched.dayEstimated) {
      if (isClosedDay(day, estimated, today)) closed.push(day);
      else if (daysBetween(day, today) > OPEN_DAYS) settling.push(day);
    }
    const rowsOf = (days: IsoDate[]) => {
      const wanted = new Set(days);
      return fetched.rows.filter((row) => wanted.has(row.date));
    };
    try {
      if (closed.length > 0) await this.options.cache.put(key, closed.sort(), rowsOf(closed), currency);
      if (settling.length > 0) {
        await this.options.cache.put(key, settling.sort(), rowsOf(settling), currency, { fetchedOn: today });
      }
    } catch (error) {
      warnings.push({
        code: 'cost-cache-unavailable',
        message: `the cost cache could not be written (${(error as Error).message}); the next run fetches these days again`,
      });
    }
  }
}

/** Rows and facts gathered from the pages of one load. */
class FetchedCosts {
  readonly rows: DailyCost[] = [];
  /** Every day Cost Explorer returned, with whether any of its results was an estimate. */
  readonly dayEstimated = new Map<IsoDate, boolean>();
  readonly currencies = new Set<string>();
  readonly warnings: SourceWarning[] = [];
  pages = 0;
  private skippedGroups = 0;
  private skippedWarning: SourceWarning | undefined;
  private firstSkipped = '';

  constructor(
    private readonly tagKey: string,
    private readonly metric: CostMetric,
    private readonly options: CostExplorerSourceOptions,
  ) {}

  addPage(output: GetCostAndUsageCommandOutput): void {
    this.pages++;
    const definitions = output.GroupDefinitions ?? [];
    const tagIndex = Math.max(
      0,
      definitions.findIndex((definition) => definition.Type === 'TAG'),
    );
    const otherIndex = tagIndex === 0 ? 1 : 0;
    for (const result of output.ResultsByTime ?? []) {
      const date = result.TimePeriod?.Start;
      if (!date) continue;
      const estimated = result.Estimated ?? true;
      this.dayEstimated.set(date, (this.dayEstimated.get(date) ?? false) || estimated);
      for (const group of result.Groups ?? []) {
        const keys = group.Keys ?? [];
        const tagGroup = keys[tagIndex];
        const other = keys[otherIndex];
        const metric = group.Metrics?.[this.metric];
        const cost = metric?.Amount === undefined ? undefined : parseAmount(metric.Amount);
        if (tagGroup === undefined || other === undefined || cost === undefined) {
          this.skip(date, keys);
          continue;
        }
        if (metric?.Unit) this.currencies.add(metric.Unit);
        this.rows.push({
          date,
          poc: parseTagGroupKey(tagGroup, this.tagKey),
          service: this.options.groupByAccount ? ALL_SERVICES : other || 'Unknown',
          account: this.options.groupByAccount ? other : (this.options.accountId ?? ''),
          cost,
          estimated,
        });
      }
    }
  }

  /** One warning for every group that could not be read, so a bad response is visible, not zero. */
  private skip(date: IsoDate, keys: string[]): void {
    this.skippedGroups++;
    if (!this.skippedWarning) {
      this.firstSkipped = `${date} ${JSON.stringify(keys)}`;
      this.skippedWarning = {
        code: 'malformed-group',
        partial: true,
        message: '',
        where: GET_COST_AND_USAGE,
      };
      this.warnings.push(this.skippedWarning);
    }
    this.skippedWarning.message = `${this.skippedGroups} Cost Explorer group(s) had no readable ${this.metric} amount and were skipped (first: ${this.firstSkipped})`;
  }
}

function parseAmount(text: string): Money | undefined {
  try {
    return parseMoney(text);
  } catch (error) {
    if (error instanceof MoneyFormatError) return undefined;
    throw error;
  }
}

/**
 * A tag group key to the PoC: "poc$checkout" → "checkout", "poc$" → null (spend without the tag).
 * Tag keys cannot contain "$", so the first "$" separates key and value; values may contain "$".
 */
export function parseTagGroupKey(key: string, tagKey: string): string | null {
  const prefix = `${tagKey}$`;
  const value = key.startsWith(prefix) ? key.slice(prefix.length) : key.slice(key.indexOf('$') + 1);
  return value === '' ? null : value;
}

/** The first day Cost Explorer serves: the current month and the 13 before it. */
export function costExplorerHistoryStart(today: IsoDate): IsoDate {
  return monthsBefore(startOfMonthIso(today), HISTORY_MONTHS);
}

/**
 * Whether a day's figures are final enough to cache: Cost Explorer no longer calls them estimated
 * (the current month stays estimated until the bill closes) and the day is more than OPEN_DAYS old.
 */
export function isClosedDay(day: IsoDate, estimated: boolean, today: IsoDate): boolean {
  return !estimated && daysBetween(day, today) > OPEN_DAYS;
}

/**
 * The queries for the missing days: one per run of consecutive missing days, runs at most
 * MERGE_GAP_DAYS apart joined into one. The recent open days are one query; a lifetime budget's
 * older days, never fetched before, are one more.
 */
export function planCostQueries(missing: readonly IsoDate[], end: IsoDate): DateRange[] {
  const days = [...new Set(missing)].filter((day) => day < end).sort();
  const ranges: DateRange[] = [];
  for (const day of days) {
    const last = ranges.at(-1);
    if (last && daysBetween(last.end, day) <= MERGE_GAP_DAYS) last.end = addDaysIso(day, 1);
    else ranges.push({ start: day, end: addDaysIso(day, 1) });
  }
  return ranges;
}

/**
 * A warning when the tag is on resources but all spend lands in "<tagKey>$": the cost allocation tag
 * is not activated (or not yet visible), so no PoC has any cost.
 */
export function tagActivationWarning(
  dataset: CostDataset,
  taggedResourceCount: number,
  tagKey: string,
  now: Date = new Date(),
): SourceWarning | undefined {
  if (taggedResourceCount <= 0) return undefined;
  const spending = dataset.rows.filter((row) => row.cost !== 0n);
  if (spending.length === 0 || spending.some((row) => row.poc !== null)) return undefined;
  const backfillFrom = `${monthsBefore(startOfMonthIso(todayIso(now)), 11)}T00:00:00Z`;
  return {
    code: 'tag-not-activated',
    partial: true,
    where: GET_COST_AND_USAGE,
    message:
      `${taggedResourceCount} resource(s) carry the tag "${tagKey}", but Cost Explorer puts all spend under no ${tagKey} value: ` +
      'the cost allocation tag is probably not activated. Activate it in the Billing console (Cost allocation tags) or with ' +
      `\`aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=${tagKey},Status=Active\`; ` +
      'it can take up to 24 hours to appear. To attribute past spend, backfill up to 12 months (once per 24 hours) with ' +
      `\`aws ce start-cost-allocation-tag-backfill --backfill-from ${backfillFrom}\`.`,
  };
}

/** The first day of the month `months` before the month starting at `monthStart`. */
function monthsBefore(monthStart: IsoDate, months: number): IsoDate {
  const [year, month] = monthStart.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

function emptyCache(): CachedCosts {
  return { rows: [], days: new Set(), estimated: new Map() };
}

/**
 * Sums rows sharing (date, poc, service, account) and sorts them (untagged spend last in each day), so
 * the dataset has one row per key.
 */
function mergeRows(rows: readonly DailyCost[]): DailyCost[] {
  const merged = new Map<string, DailyCost>();
  for (const row of rows) {
    const key = JSON.stringify([row.date, row.poc, row.service, row.account]);
    const existing = merged.get(key);
    if (existing) {
      existing.cost += row.cost;
      existing.estimated ||= row.estimated;
    } else {
      merged.set(key, { ...row });
    }
  }
  return [...merged.values()].sort(
    (a, b) =>
      compareText(a.date, b.date) ||
      Number(a.poc === null) - Number(b.poc === null) ||
      compareText(a.poc ?? '', b.poc ?? '') ||
      compareText(a.service, b.service) ||
      compareText(a.account, b.account),
  );
}

/** Code-point order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function coverageOf(rows: readonly DailyCost[]): { first: IsoDate; last: IsoDate } | undefined {
  if (rows.length === 0) return undefined;
  let first = rows[0]?.date as IsoDate;
  let last = first;
  for (const row of rows) {
    if (row.date < first) first = row.date;
    if (row.date > last) last = row.date;
  }
  return { first, last };
}

/** The GetCostAndUsage requests made since `before` (retries included, as AWS bills them). */
function callsSince(meter: ApiMeter, before: number): Record<string, number> {
  const calls = (meter.counts()[GET_COST_AND_USAGE] ?? 0) - before;
  return calls > 0 ? { [GET_COST_AND_USAGE]: calls } : {};
}
