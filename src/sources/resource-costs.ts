import {
  type CostExplorerClient,
  type Expression,
  GetCostAndUsageWithResourcesCommand,
  type GetCostAndUsageWithResourcesCommandInput,
  type GetCostAndUsageWithResourcesCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import type { ApiMeter } from '../aws/api-meter.js';
import { costExplorerEndpoint } from '../aws/aws-clients.js';
import { AwsCallError, toAwsCallError } from '../aws/aws-errors.js';
import { addDaysIso, daysBetween, type IsoDate, maxDate, minDate, todayIso } from '../core/calendar.js';
import type { SourceWarning } from '../core/cost-data.js';
import { BILLING_MONTH_DAYS } from '../core/idle/idle-from-billing.js';
import type { ResourceMonthlyCost } from '../core/idle/recommend.js';
import { type Money, MoneyFormatError, parseMoney, scaleMoney } from '../core/money.js';
import type { CostMetric } from '../policy/model.js';

export const GET_COST_AND_USAGE_WITH_RESOURCES = 'ce:GetCostAndUsageWithResources';

/** Cost Explorer serves resource-level data for the last 14 days only. */
export const RESOURCE_DATA_DAYS = 14;

/** The warning code when resource-level costs cannot be had; the price table is used instead. */
export const RESOURCE_COSTS_UNAVAILABLE = 'resource-costs-unavailable';

/** A runaway pagination loop would bill $0.01 a page. */
const MAX_PAGES = 1000;

export interface ResourceCostOptions {
  /** A client from createCostExplorerClient, metered with `meter`. */
  client: CostExplorerClient;
  meter: ApiMeter;
  /** The PoC tag: only spend carrying it is asked for. */
  tagKey: string;
  /** Default UnblendedCost. */
  metric?: CostMetric;
  /** The run's as-of day: the window is the days before it (exclusive end). */
  asOf: IsoDate;
  /**
   * ARNs of the tagged resources. Cost Explorer names some resources by a bare id (`i-0abc…`,
   * `vol-…`, a bucket name); those are keyed by the one ARN here that ends with that id.
   */
  arns?: readonly string[];
  /** The clock (tests): Cost Explorer counts its 14 days back from the real today. */
  now?: () => Date;
  /** The endpoint named in network errors; by default the one the SDK will use. */
  endpoint?: string;
}

export interface ResourceCostResult {
  /** Monthly cost by ARN, source 'cost-explorer-resource'. */
  costs: Map<string, ResourceMonthlyCost>;
  warning?: SourceWarning;
}

/** A range of days, start inclusive, end exclusive. */
export interface ResourceCostWindow {
  start: IsoDate;
  end: IsoDate;
  days: number;
}

/**
 * Each tagged resource's monthly cost from Cost Explorer's resource-level data: ONE
 * GetCostAndUsageWithResources query (daily, grouped by RESOURCE_ID, filtered to spend carrying the
 * PoC tag) over the last 14 full days before `asOf`, summed exactly per resource and scaled to a
 * 30-day month. Pages are followed ($0.01 each). An account that has not opted in to resource-level
 * data gets an empty map and a warning, never a failed run; any other error is thrown as an
 * AwsCallError.
 */
export async function fetchResourceMonthlyCosts(options: ResourceCostOptions): Promise<ResourceCostResult> {
  const metric = options.metric ?? 'UnblendedCost';
  const window = resourceCostWindow(options.asOf, todayIso((options.now ?? (() => new Date()))()));
  if (!window) {
    return {
      costs: new Map(),
      warning: {
        code: RESOURCE_COSTS_UNAVAILABLE,
        where: GET_COST_AND_USAGE_WITH_RESOURCES,
        message: `Cost Explorer keeps resource-level costs for the last ${RESOURCE_DATA_DAYS} days only, and the as-of day ${options.asOf} leaves none of them; idle resources are priced from the price table instead`,
      },
    };
  }

  const input: GetCostAndUsageWithResourcesCommandInput = {
    TimePeriod: { Start: window.start, End: window.end },
    Granularity: 'DAILY',
    Filter: taggedSpendFilter(options.tagKey),
    Metrics: [metric],
    GroupBy: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
  };
  const totals = new Map<string, Money>();
  let skipped = 0;
  const seenTokens = new Set<string>();
  let token: string | undefined;
  for (let page = 1; ; page++) {
    let output: GetCostAndUsageWithResourcesCommandOutput;
    try {
      output = await send(options, token ? { ...input, NextPageToken: token } : input);
    } catch (error) {
      if (error instanceof AwsCallError && isNotOptedIn(error)) return notOptedIn(error);
      throw error;
    }
    skipped += addPage(output, metric, totals);
    token = output.NextPageToken || undefined;
    if (!token) break;
    if (seenTokens.has(token) || page >= MAX_PAGES) {
      throw new AwsCallError(
        `${GET_COST_AND_USAGE_WITH_RESOURCES} kept returning more pages (${page}); stopped to avoid paying for a pagination loop`,
        { operation: GET_COST_AND_USAGE_WITH_RESOURCES, code: 'PaginationLoop' },
      );
    }
    seenTokens.add(token);
  }

  const byArn = resourceIdsToArns([...totals.keys()], options.arns ?? []);
  // Two ids for one ARN (its ARN and its bare id) add up before scaling.
  const arnTotals = new Map<string, Money>();
  for (const [id, total] of totals) {
    const arn = byArn.get(id);
    if (arn) arnTotals.set(arn, (arnTotals.get(arn) ?? 0n) + total);
  }
  const costs = new Map<string, ResourceMonthlyCost>();
  for (const [arn, total] of arnTotals) {
    costs.set(arn, {
      cost: scaleMoney(total, BigInt(BILLING_MONTH_DAYS), BigInt(window.days)),
      source: 'cost-explorer-resource',
    });
  }
  const result: ResourceCostResult = { costs };
  if (skipped > 0) {
    result.warning = {
      code: 'malformed-group',
      partial: true,
      where: GET_COST_AND_USAGE_WITH_RESOURCES,
      message: `${skipped} resource-level Cost Explorer group(s) had no readable ${metric} amount and were skipped; those resources are priced from the price table`,
    };
  }
  return result;
}

/**
 * The days to ask for: the 14 before `asOf`, but never earlier than Cost Explorer serves (14 days
 * before the real today) nor later than today. None when `asOf` is that far in the past.
 */
export function resourceCostWindow(asOf: IsoDate, today: IsoDate): ResourceCostWindow | undefined {
  const end = minDate(asOf, today);
  const start = maxDate(addDaysIso(end, -RESOURCE_DATA_DAYS), addDaysIso(today, -RESOURCE_DATA_DAYS));
  const days = daysBetween(start, end);
  return days > 0 ? { start, end, days } : undefined;
}

/**
 * Spend carrying the tag, whatever its value. TagValues has no PRESENT match option (this operation
 * accepts EQUALS, ABSENT and CASE_SENSITIVE for tags), so it is NOT (tag ABSENT).
 */
export function taggedSpendFilter(tagKey: string): Expression {
  return { Not: { Tags: { Key: tagKey, MatchOptions: ['ABSENT'] } } };
}

/**
 * Cost Explorer's resource ids to the tagged resources' ARNs: an ARN is itself; a bare id maps to the
 * one ARN whose last segment (after the last ':' or '/') is that id. Ids matching no ARN, or several,
 * are left out: a wrong figure is worse than the price table.
 */
export function resourceIdsToArns(ids: readonly string[], arns: readonly string[]): Map<string, string> {
  const bySuffix = new Map<string, string | null>();
  for (const arn of new Set(arns)) {
    for (const suffix of arnSuffixes(arn)) {
      const seen = bySuffix.get(suffix);
      bySuffix.set(suffix, seen === undefined || seen === arn ? arn : null);
    }
  }
  const mapped = new Map<string, string>();
  for (const id of ids) {
    const arn = id.startsWith('arn:') ? id : bySuffix.get(id);
    if (arn) mapped.set(id, arn);
  }
  return mapped;
}

/** "arn:…:instance/i-0abc" → ["instance/i-0abc", "i-0abc"]; "arn:aws:s3:::bucket" → ["bucket"]. */
function arnSuffixes(arn: string): string[] {
  const suffixes = [arn.slice(arn.lastIndexOf(':') + 1)];
  if (arn.includes('/')) suffixes.push(arn.slice(arn.lastIndexOf('/') + 1));
  return [...new Set(suffixes)].filter((suffix) => suffix !== '');
}

/** Adds a page's groups to `totals`; returns how many groups could not be read. */
function addPage(
  output: GetCostAndUsageWithResourcesCommandOutput,
  metric: CostMetric,
  totals: Map<string, Money>,
): number {
  let skipped = 0;
  for (const result of output.ResultsByTime ?? []) {
    for (const group of result.Groups ?? []) {
      const id = group.Keys?.[0];
      const amount = group.Metrics?.[metric]?.Amount;
      const cost = amount === undefined ? undefined : parseAmount(amount);
      if (id === undefined || cost === undefined) {
        skipped++;
        continue;
      }
      // "NoResourceId" and the like carry spend no resource owns.
      if (id === '' || id === 'NoResourceId') continue;
      totals.set(id, (totals.get(id) ?? 0n) + cost);
    }
  }
  return skipped;
}

function parseAmount(text: string): Money | undefined {
  try {
    return parseMoney(text);
  } catch (error) {
    if (error instanceof MoneyFormatError) return undefined;
    throw error;
  }
}

async function send(
  options: ResourceCostOptions,
  input: GetCostAndUsageWithResourcesCommandInput,
): Promise<GetCostAndUsageWithResourcesCommandOutput> {
  try {
    return await options.client.send(new GetCostAndUsageWithResourcesCommand(input));
  } catch (error) {
    throw toAwsCallError(error, {
      operation: GET_COST_AND_USAGE_WITH_RESOURCES,
      endpoint: options.endpoint ?? costExplorerEndpoint(),
    });
  }
}

/**
 * Whether Cost Explorer refused because the account has no resource-level data: DataUnavailable, or
 * a validation error about opting in, resource-level or hourly data, or the RESOURCE_ID dimension
 * (what accounts without the opt-in are told; AWS documents no single message for it).
 */
export function isNotOptedIn(error: AwsCallError): boolean {
  if (error.code === 'DataUnavailableException') return true;
  if (error.code !== 'ValidationException') return false;
  return /opt(?:ed)?[- ]?in|resource[- ]level|RESOURCE_ID|hourly|granular|not enabled/i.test(
    causeMessage(error),
  );
}

function notOptedIn(error: AwsCallError): ResourceCostResult {
  const said = causeMessage(error);
  return {
    costs: new Map(),
    warning: {
      code: RESOURCE_COSTS_UNAVAILABLE,
      where: GET_COST_AND_USAGE_WITH_RESOURCES,
      message:
        `Cost Explorer has no resource-level costs for this account (${error.code}${said ? `: ${said}` : ''}), so idle resources are priced from the price table instead. ` +
        'To use real per-resource costs, opt in: Billing and Cost Management console → Cost Management preferences → ' +
        '"Multi-year and granular data" → "Resource-level data at daily granularity", and select the services your PoCs use; ' +
        'data appears within 48 hours. Or set resourceCosts: false in settings.yaml to stop asking ($0.01 per run).',
    },
  };
}

/** The SDK error's own message, one line. */
function causeMessage(error: AwsCallError): string {
  const cause = error.cause as { message?: unknown } | undefined;
  const text = typeof cause?.message === 'string' ? cause.message : '';
  return (text.split('\n')[0] ?? '').trim().slice(0, 300);
}
