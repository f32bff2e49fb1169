/**
 * The daily digest: what a team lead wants to read each morning, taken from a governance report and
 * shared by every delivery format (Slack, Chatbot, plain-text and HTML email).
 *
 * It keeps the PoCs in the report's risk order with their month-to-date spend against budget, forecast,
 * change since yesterday and the last 14 days; only the alerts not delivered before; the teardown
 * recommendations with their savings; unattributed spend; what the run cost; and a one-line headline.
 * A digest is for the whole team or for one owner: an owner's digest holds only the PoCs that person
 * owns (with their alerts and recommendations); unattributed spend and PoCs without an owner appear
 * only in the team digest.
 *
 * Strings in a digest are raw report data (tag values, policy fields): every renderer escapes them.
 */
import { addDaysIso, type IsoDate, maxDate } from '../core/calendar.js';
import { type Money, moneyRatio, sumMoney } from '../core/money.js';
import type { Period } from '../core/period.js';
import type { Alert, PocReport, PocStatus, Recommendation, Report, ServiceCost } from '../core/report.js';
import { denseDaily } from '../report/daily-series.js';
import {
  apiCallsLabel,
  apiCostLabel,
  bySeverity,
  money,
  moneyCompact,
  monthLabel,
  percentLabel,
  periodRangeLabel,
  plural,
  signedMoney,
  totalSavings,
} from '../report/format.js';
import { safeLinkUrl } from '../report/safe-url.js';
import { sparkline } from '../report/sparkline.js';

/** Days of daily cost shown per PoC (sparkline, bar strip). */
export const DIGEST_DAYS = 14;
/** PoCs named in the headline before "and N more". */
const HEADLINE_NAMES = 3;

export type DigestScope = { kind: 'team' } | { kind: 'owner'; owner: string };

/**
 * How urgently a PoC needs a look: `attention` when it is over budget or expired (money is being
 * lost), `watch` when it is heading there or has no budget, `ok` otherwise.
 */
export type AttentionLevel = 'attention' | 'watch' | 'ok';

const LEVELS: Record<PocStatus, AttentionLevel> = {
  'over-budget': 'attention',
  expired: 'attention',
  warning: 'watch',
  unbudgeted: 'watch',
  ok: 'ok',
};

export interface DigestDay {
  date: IsoDate;
  cost: Money;
  estimated: boolean;
}

export interface DigestPoc {
  name: string;
  status: PocStatus;
  level: AttentionLevel;
  /** The engine's reason for the status ("past its expiry date"). */
  statusReason: string;
  /** A short phrase built from the figures, for headlines: "over budget ($152 of $120)". */
  issue: string;
  owners: string[];
  monthToDate: Money;
  monthlyBudget?: Money;
  /** Share of the monthly budget spent (1.26 = 126 %). */
  budgetUsed?: number;
  /** Undefined when there is no data to forecast from. */
  forecastMonthEnd?: Money;
  changeSinceYesterday: Money;
  /** The last DIGEST_DAYS days of the period (fewer early in the month), missing days as zero. */
  days: DigestDay[];
  /** One block character per day of `days`. */
  sparkline: string;
  expires?: IsoDate;
}

export type DigestAlert = Omit<Alert, 'new'>;

export interface DigestUnattributed {
  monthToDate: Money;
  /** Share of all spend this month. */
  share: number;
  /** Most expensive first. */
  services: ServiceCost[];
}

export interface Digest {
  scope: DigestScope;
  asOf: IsoDate;
  generatedAt: string;
  currency: string;
  period: Period;
  /** "November 2026". */
  month: string;
  /** "Nov 1–18 (day 18 of 30)". */
  periodLabel: string;
  /** "2 PoCs need attention: checkout-redesign over budget ($152 of $120), chatbot-poc expired and still billing". */
  headline: string;
  /** The headline without names: "2 PoCs need attention". */
  headlineShort: string;
  counts: {
    pocs: number;
    attention: number;
    watch: number;
    /** Alerts not delivered before: the ones listed. */
    newAlerts: number;
    /** Alerts still standing that earlier digests already carried. */
    earlierAlerts: number;
  };
  /** Team: the whole report (PoCs and unattributed). Owner: the owner's PoCs. */
  totals: { monthToDate: Money; forecastMonthEnd: Money };
  /** By risk, highest first. */
  pocs: DigestPoc[];
  /** New alerts only, most severe first. */
  alerts: DigestAlert[];
  recommendations: Recommendation[];
  /** Estimated monthly savings of all the recommendations. */
  savings: Money;
  /** Team digest only. */
  unattributed?: DigestUnattributed;
  /** Team digest only: PoCs that no policy gives an owner. */
  unownedPocs: string[];
  /** What the run's own AWS calls cost. */
  run: { apiCost: Money; apiCalls: number; apiCallsLabel: string };
  /**
   * What this run could not look at, and why: "Elastic IPs in us-east-1 not scanned
   * (ec2:DescribeAddresses denied)". Also the first note, so every renderer shows it.
   */
  missing: string[];
  /** Caveats a reader must know to trust the figures (estimates, skipped input). */
  notes: string[];
  /** The full report, when a safe http(s) URL was given. */
  reportUrl?: string;
}

export interface DigestOptions {
  /** Only the PoCs this person owns (compared case-insensitively). */
  owner?: string;
  /** Where the full report can be read; dropped unless it is an absolute http(s) URL. */
  reportUrl?: string;
}

function ownerKey(owner: string): string {
  return owner.trim().toLowerCase();
}

/** Distinct owners across the report's PoCs, each under its first spelling, sorted. */
export function ownersOf(report: Report): string[] {
  const owners = new Map<string, string>();
  for (const poc of report.pocs) {
    for (const owner of poc.owners) {
      const key = ownerKey(owner);
      if (key && !owners.has(key)) owners.set(key, owner.trim());
    }
  }
  return [...owners.values()].sort((a, b) => a.localeCompare(b, 'en'));
}

/** Whole units from 100 up ("$152"), cents below ("$41.76"): short but never misleading. */
function headlineMoney(amount: Money, currency: string): string {
  const abs = amount < 0n ? -amount : amount;
  return abs >= 100n * 10n ** 18n ? moneyCompact(amount, currency) : money(amount, currency);
}

function lastDayCost(poc: PocReport, period: Period): Money {
  const lastDay = addDaysIso(period.end, -1);
  return sumMoney(poc.daily.filter((d) => d.date === lastDay).map((d) => d.cost));
}

function issueOf(poc: PocReport, report: Report): string {
  const cur = report.currency;
  const monthly = poc.budget?.monthly;
  const hasForecast = poc.forecastBasis.method !== 'no-data';
  switch (poc.status) {
    case 'over-budget': {
      if (monthly !== undefined && poc.monthToDate > monthly) {
        return `over budget (${headlineMoney(poc.monthToDate, cur)} of ${headlineMoney(monthly, cur)})`;
      }
      const life = poc.lifetime;
      if (life?.budget !== undefined && life.cost > life.budget) {
        return `over its lifetime budget (${headlineMoney(life.cost, cur)} of ${headlineMoney(life.budget, cur)})`;
      }
      return 'over budget';
    }
    case 'expired':
      return lastDayCost(poc, report.period) > 0n ? 'expired and still billing' : 'expired';
    case 'warning':
      if (monthly !== undefined && hasForecast && poc.forecastMonthEnd > monthly) {
        return `forecast over budget (${headlineMoney(poc.forecastMonthEnd, cur)} of ${headlineMoney(monthly, cur)})`;
      }
      if (poc.perUse?.breached) return 'cost per use over its maximum';
      return `needs a look (${poc.statusReason})`;
    case 'unbudgeted':
      return `has no budget (${headlineMoney(poc.monthToDate, cur)} this month)`;
    case 'ok':
      return 'on track';
  }
}

function digestPoc(poc: PocReport, report: Report): DigestPoc {
  const { period } = report;
  const start = maxDate(period.start, addDaysIso(period.end, -DIGEST_DAYS));
  const days = start < period.end ? denseDaily(poc.daily, start, period.end) : [];
  const monthly = poc.budget?.monthly;
  return {
    name: poc.poc,
    status: poc.status,
    level: LEVELS[poc.status],
    statusReason: poc.statusReason,
    issue: issueOf(poc, report),
    owners: [...poc.owners],
    monthToDate: poc.monthToDate,
    ...(monthly !== undefined && {
      monthlyBudget: monthly,
      budgetUsed: poc.budgetUsed ?? moneyRatio(poc.monthToDate, monthly),
    }),
    ...(poc.forecastBasis.method !== 'no-data' && { forecastMonthEnd: poc.forecastMonthEnd }),
    changeSinceYesterday: poc.changeSinceYesterday,
    days: days.map(({ date, cost, estimated }) => ({ date, cost, estimated })),
    sparkline: sparkline(days.map((d) => d.cost)),
    ...(poc.expires !== undefined && { expires: poc.expires }),
  };
}

function nameList(pocs: readonly DigestPoc[]): string {
  const named = pocs.slice(0, HEADLINE_NAMES).map((p) => `${p.name} ${p.issue}`);
  const rest = pocs.length - named.length;
  return rest > 0 ? `${named.join(', ')} and ${rest} more` : named.join(', ');
}

function headlines(
  pocs: readonly DigestPoc[],
  scope: DigestScope,
  monthToDate: Money,
  currency: string,
): { headline: string; headlineShort: string } {
  if (pocs.length === 0) {
    const text = scope.kind === 'team' ? 'No PoC spend this month' : 'None of your PoCs has spend this month';
    return { headline: text, headlineShort: text };
  }
  const attention = pocs.filter((p) => p.level === 'attention');
  const watch = pocs.filter((p) => p.level === 'watch');
  if (attention.length > 0) {
    const short = `${plural(attention.length, 'PoC needs', 'PoCs need')} attention`;
    const more = watch.length > 0 ? `; ${watch.length} more to watch` : '';
    return { headline: `${short}: ${nameList(attention)}${more}`, headlineShort: short };
  }
  if (watch.length > 0) {
    const short = `${plural(watch.length, 'PoC', 'PoCs')} to watch`;
    return { headline: `Nothing over budget or expired; ${short}: ${nameList(watch)}`, headlineShort: short };
  }
  const short = pocs.length === 1 ? 'The one PoC is on track' : `All ${pocs.length} PoCs on track`;
  return {
    headline: `${short}: ${money(monthToDate, currency)} spent this month`,
    headlineShort: short,
  };
}

/** Missing at most this many parts by name before "and N more". */
const MISSING_NAMED = 3;

function missingOf(report: Report): string[] {
  return report.warnings.flatMap((warning) =>
    warning.effect !== undefined && warning.partial === true ? [warning.message] : [],
  );
}

function notesOf(report: Report, missing: readonly string[]): string[] {
  const notes: string[] = [];
  if (missing.length > 0) {
    const named = missing.slice(0, MISSING_NAMED).join('; ');
    const rest = missing.length - MISSING_NAMED;
    notes.push(`Missing: ${named}${rest > 0 ? `; and ${rest} more (see the report’s warnings)` : ''}.`);
  }
  if (report.source.partial)
    notes.push('Some input was skipped: totals may be low (see the report’s warnings).');
  if (report.source.estimated) notes.push('The latest days are AWS estimates and may still change.');
  const other = report.warnings.filter((w) => !w.partial).length;
  if (other > 0 && !report.source.partial) {
    notes.push(`${plural(other, 'source warning', 'source warnings')} in the report.`);
  }
  return notes;
}

function reportLink(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const safe = safeLinkUrl(url);
  return safe?.startsWith('http://') || safe?.startsWith('https://') ? safe : undefined;
}

export function buildDigest(report: Report, options: DigestOptions = {}): Digest {
  const ownerFilter = options.owner !== undefined ? ownerKey(options.owner) : undefined;
  const scope: DigestScope =
    options.owner !== undefined ? { kind: 'owner', owner: options.owner.trim() } : { kind: 'team' };
  const missing = missingOf(report);
  const inScope = report.pocs.filter(
    (poc) => ownerFilter === undefined || poc.owners.some((owner) => ownerKey(owner) === ownerFilter),
  );
  const names = new Set(inScope.map((poc) => poc.poc));
  const belongs = (poc: string): boolean => scope.kind === 'team' || names.has(poc);

  const pocs = inScope.map((poc) => digestPoc(poc, report));
  const scopedAlerts = report.alerts.filter((a) => belongs(a.poc));
  const alerts = bySeverity(scopedAlerts.filter((a) => a.new)).map(({ new: _new, ...alert }) => alert);
  const recommendations = report.recommendations.filter((r) => belongs(r.poc));
  const totals =
    scope.kind === 'team'
      ? { monthToDate: report.total.monthToDate, forecastMonthEnd: report.total.forecastMonthEnd }
      : {
          monthToDate: sumMoney(inScope.map((p) => p.monthToDate)),
          forecastMonthEnd: sumMoney(inScope.map((p) => p.forecastMonthEnd)),
        };
  const apiCalls = Object.values(report.apiCalls).reduce((sum, n) => sum + Math.max(n, 0), 0);
  const reportUrl = reportLink(options.reportUrl);

  return {
    scope,
    asOf: report.asOf,
    generatedAt: report.generatedAt,
    currency: report.currency,
    period: { ...report.period },
    month: monthLabel(report.period),
    periodLabel: periodRangeLabel(report.period),
    ...headlines(pocs, scope, totals.monthToDate, report.currency),
    counts: {
      pocs: pocs.length,
      attention: pocs.filter((p) => p.level === 'attention').length,
      watch: pocs.filter((p) => p.level === 'watch').length,
      newAlerts: alerts.length,
      earlierAlerts: scopedAlerts.length - alerts.length,
    },
    totals,
    pocs,
    alerts,
    recommendations,
    savings: totalSavings(recommendations),
    ...(scope.kind === 'team' && {
      unattributed: {
        monthToDate: report.unattributed.monthToDate,
        share:
          report.total.monthToDate > 0n
            ? moneyRatio(report.unattributed.monthToDate, report.total.monthToDate)
            : 0,
        services: [...report.unattributed.services].sort((a, b) =>
          a.cost < b.cost ? 1 : a.cost > b.cost ? -1 : 0,
        ),
      },
    }),
    unownedPocs: scope.kind === 'team' ? inScope.filter((p) => p.owners.length === 0).map((p) => p.poc) : [],
    run: { apiCost: report.apiCost, apiCalls, apiCallsLabel: apiCallsLabel(report.apiCalls) },
    missing,
    notes: notesOf(report, missing),
    ...(reportUrl !== undefined && { reportUrl }),
  };
}

// ---------------------------------------------------------------- wording shared by the renderers

/**
 * "$152.04 of $120.00 (126%)" ("$152.04 of $120.00" without `percent`, next to a usage bar that shows
 * it), or "$41.76 (no budget)". No user text: safe in any format.
 */
export function spentPhrase(poc: DigestPoc, currency: string, percent = true): string {
  if (poc.monthlyBudget === undefined) return `${money(poc.monthToDate, currency)} (no budget)`;
  const share = percent ? ` (${percentLabel(poc.budgetUsed ?? 0)})` : '';
  return `${money(poc.monthToDate, currency)} of ${money(poc.monthlyBudget, currency)}${share}`;
}

/** "forecast $290.11", or "no forecast yet". */
export function forecastPhrase(poc: DigestPoc, currency: string): string {
  return poc.forecastMonthEnd === undefined
    ? 'no forecast yet'
    : `forecast ${money(poc.forecastMonthEnd, currency)}`;
}

/** "+$0.33 vs yesterday". */
export function changePhrase(poc: DigestPoc, currency: string): string {
  return `${signedMoney(poc.changeSinceYesterday, currency)} vs yesterday`;
}

/** "~$37.56/mo". */
export function savingsPhrase(amount: Money, currency: string): string {
  return `~${money(amount, currency)}/mo`;
}

/** "this run: 3 API calls, $0.03"; "this run: no AWS calls (offline), $0.00". */
export function runPhrase(digest: Digest): string {
  const calls =
    digest.run.apiCalls === 0
      ? 'no AWS calls (offline)'
      : plural(digest.run.apiCalls, 'AWS call', 'AWS calls');
  return `this run: ${calls}, cost ${apiCostLabel(digest.run.apiCost, digest.currency)}`;
}

/** "Team digest" or "Digest for dana@example.com" (contains the owner: escape it). */
export function scopeLabel(scope: DigestScope): string {
  return scope.kind === 'team' ? 'Team digest' : `Digest for ${scope.owner}`;
}
