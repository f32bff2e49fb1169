import { closest, distance } from 'fastest-levenshtein';
import type { Policy, PolicySet } from '../policy/model.js';
import { scopeToAccounts } from './account-scope.js';
import { findSpikes } from './anomaly.js';
import { dailyCapAlerts, lifetimeAlerts, monthlyBudgetAlerts } from './budget-alerts.js';
import { addDaysIso, eachDay, type IsoDate, maxDate } from './calendar.js';
import type { CostDataset, DailyCost, SourceWarning } from './cost-data.js';
import { type CostSeries, indexCosts, sumBetween, totalsBy } from './cost-index.js';
import { expiryAlerts, expiryState } from './expiry-alerts.js';
import { forecastMonthEnd } from './forecast.js';
import { formatCurrency, moneyRatio, ZERO } from './money.js';
import { type Period, periodFor } from './period.js';
import {
  type Alert,
  type DailyPoint,
  type PocReport,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ServiceCost,
} from './report.js';
import { compareByRisk, orderAlerts } from './report-order.js';
import { pocStatus, riskScore } from './status.js';

export interface EvaluationInput {
  asOf: IsoDate;
  /** Wall-clock time of the run, stamped on the report (the core reads no clock). */
  generatedAt: string;
  policySet: PolicySet;
  dataset: CostDataset;
  source: { kind: string; description: string };
  /** Alert ids already delivered, from the state store. */
  deliveredAlertIds: ReadonlySet<string>;
}

/** The first day a run needs costs for: the anomaly baseline before the period, or a lifetime start. */
export function costQueryStart(asOf: IsoDate, policySet: PolicySet): IsoDate {
  const period = periodFor(asOf);
  const { defaults } = policySet.settings;
  let start = addDaysIso(
    period.start,
    -Math.max(defaults.anomaly.baselineDays, defaults.forecastTrailingDays),
  );
  for (const policy of policySet.policies) {
    const needed = addDaysIso(
      period.start,
      -Math.max(policy.anomaly.baselineDays, defaults.forecastTrailingDays),
    );
    if (needed < start) start = needed;
    if (policy.start && policy.budget?.total !== undefined && policy.start < start) start = policy.start;
  }
  return start;
}

/** Turns cost rows, policies and a date into the report. Pure: no I/O, no clock. */
export function evaluate(input: EvaluationInput): Report {
  const { asOf, policySet } = input;
  const { settings } = policySet;
  const currency = settings.currency;
  const period = periodFor(asOf);
  const periodDays = eachDay(period.start, period.end);
  const scoped = scopeToAccounts(input.dataset.rows, policySet.policies, period, currency);
  const dataset = { ...input.dataset, rows: scoped.rows };
  const index = indexCosts(dataset.rows);
  const inPeriod = (date: IsoDate) => date >= period.start && date < period.end;
  const warnings: SourceWarning[] = [...dataset.warnings, ...scoped.warnings];

  if (dataset.currency && dataset.currency !== currency) {
    warnings.push({
      code: 'currency-mismatch',
      message: `the cost data is billed in ${dataset.currency} but settings.currency is ${currency}: budgets are compared as if both were ${currency}`,
    });
  }

  const policies = new Map(policySet.policies.map((policy) => [policy.poc, policy]));
  const tagValues = new Set<string>();
  for (const row of dataset.rows) if (row.poc !== null && inPeriod(row.date)) tagValues.add(row.poc);
  warnings.push(...policiesWithoutSpend(policySet.policies, index.series, tagValues));

  const names = [...new Set([...policies.keys(), ...tagValues])];
  const pocReports: PocReport[] = [];
  const alerts: Omit<Alert, 'new'>[] = [];
  for (const poc of names) {
    const evaluated = evaluatePoc({
      poc,
      policy: policies.get(poc),
      series: index.series.get(poc),
      dataset,
      period,
      periodDays,
      asOf,
      currency,
      trailingDays: settings.defaults.forecastTrailingDays,
      coverageFirst: dataset.coverage?.first,
    });
    pocReports.push(evaluated.report);
    alerts.push(...evaluated.alerts);
    if (evaluated.warning) warnings.push(evaluated.warning);
  }
  pocReports.sort(compareByRisk);

  const untagged = index.series.get(null);
  const unattributedMtd = sumBetween(untagged, period.start, period.end);
  const unattributedForecast = forecastMonthEnd(untagged, period, unattributedMtd, {
    trailingDays: settings.defaults.forecastTrailingDays,
  });
  const totalDaily = periodDays.map((date) => {
    let cost = ZERO;
    let estimated = false;
    for (const series of index.series.values()) {
      cost += series.byDay.get(date) ?? ZERO;
      estimated ||= series.estimatedDays.has(date);
    }
    return { date, cost, estimated };
  });
  const estimated = totalDaily.some((point) => point.estimated);

  const sortedAlerts: Alert[] = orderAlerts(
    alerts.map((alert) => ({ ...alert, new: !input.deliveredAlertIds.has(alert.id) })),
    pocReports,
  );

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: input.generatedAt,
    asOf,
    period,
    currency,
    tagKey: settings.tagKey,
    source: {
      kind: input.source.kind,
      description: input.source.description,
      estimated,
      partial: warnings.some((warning) => warning.partial === true),
      ...(dataset.coverage ? { coverage: dataset.coverage } : {}),
    },
    total: {
      monthToDate: totalDaily.reduce((sum, point) => sum + point.cost, ZERO),
      forecastMonthEnd: pocReports.reduce(
        (sum, report) => sum + report.forecastMonthEnd,
        unattributedForecast.monthEnd,
      ),
      daily: totalDaily,
    },
    unattributed: {
      monthToDate: unattributedMtd,
      services: serviceTotals(rowsInPeriod(untagged, period)),
      daily: dailyPoints(untagged, periodDays),
    },
    pocs: pocReports,
    alerts: sortedAlerts,
    recommendations: [],
    apiCalls: { ...dataset.apiCalls },
    apiCost: ZERO,
    warnings,
  };
}

interface PocInput {
  poc: string;
  policy: Policy | undefined;
  series: CostSeries | undefined;
  dataset: CostDataset;
  period: Period;
  periodDays: IsoDate[];
  asOf: IsoDate;
  currency: string;
  trailingDays: number;
  coverageFirst: IsoDate | undefined;
}

function evaluatePoc(input: PocInput): {
  report: PocReport;
  alerts: Omit<Alert, 'new'>[];
  warning?: SourceWarning;
} {
  const { poc, policy, series, period, periodDays, currency } = input;
  const periodRows = rowsInPeriod(series, period);
  const lastDay = addDaysIso(period.end, -1);
  const daily = dailyPoints(series, periodDays);
  const monthToDate = daily.reduce((sum, point) => sum + point.cost, ZERO);
  const spikes = policy ? findSpikes(series, periodDays, policy.anomaly) : [];
  const forecast = forecastMonthEnd(series, period, monthToDate, {
    trailingDays: input.trailingDays,
    excludedDays: new Set(spikes.map((spike) => spike.date)),
    ...(policy?.start ? { start: policy.start } : {}),
  });
  const alerts: Omit<Alert, 'new'>[] = [];
  let warning: SourceWarning | undefined;

  const budget = policy?.budget;
  if (budget) {
    alerts.push(
      ...monthlyBudgetAlerts({
        poc,
        period,
        currency,
        monthToDate,
        forecast,
        monthly: budget.monthly,
        thresholds: budget.thresholds,
        lastDay,
      }),
    );
    if (budget.dailyCap !== undefined) alerts.push(...dailyCapAlerts(poc, currency, budget.dailyCap, daily));
  }

  let lifetime: PocReport['lifetime'];
  if (policy?.start) {
    const cost = sumBetween(series, policy.start, period.end);
    const complete = input.coverageFirst !== undefined && input.coverageFirst <= policy.start;
    lifetime = {
      start: policy.start,
      cost,
      complete,
      ...(budget?.total !== undefined ? { budget: budget.total } : {}),
    };
    if (budget?.total !== undefined) {
      alerts.push(
        ...lifetimeAlerts(
          poc,
          currency,
          { start: policy.start, cost, budget: budget.total },
          budget.thresholds,
          lastDay,
        ),
      );
      if (!complete) {
        warning = {
          code: 'lifetime-partial',
          message: `${poc}: lifetime cost counts only from ${input.coverageFirst ?? 'the first day of data'}, but the PoC started ${policy.start}; the lifetime budget check may be low`,
        };
      }
    }
  }

  for (const spike of spikes) {
    const ratio =
      spike.baselineMedian > ZERO ? `${(moneyRatio(spike.cost, spike.baselineMedian)).toFixed(1)}× ` : '';
    alerts.push({
      id: `${poc}:anomaly:${spike.date}`,
      poc,
      kind: 'anomaly',
      severity: 'warning',
      message: `${poc} cost ${formatCurrency(spike.cost, currency)} on ${spike.date}, ${ratio}its ${spike.baselineDays}-day median of ${formatCurrency(spike.baselineMedian, currency)}`,
      date: spike.date,
      amount: spike.cost,
      limit: spike.baselineMedian,
    });
  }

  if (policy?.expires) {
    const since = sumBetween(series, maxDate(addDaysIso(policy.expires, 1), period.start), period.end);
    alerts.push(...expiryAlerts(poc, input.asOf, policy.expires, policy.expiryWarningDays, since, currency));
  }

  const month = period.start.slice(0, 7);
  if (!budget && monthToDate > ZERO) {
    alerts.push({
      id: `${poc}:unbudgeted:${month}`,
      poc,
      kind: 'unbudgeted',
      severity: 'warning',
      message: policy
        ? `${poc} has spent ${formatCurrency(monthToDate, currency)} this month and its policy sets no budget`
        : `${poc} has spent ${formatCurrency(monthToDate, currency)} this month and has no policy: add policies/${poc}.yaml with its owners and budget`,
      date: lastDay,
      amount: monthToDate,
    });
  }

  const expiry = expiryState(input.asOf, policy?.expires, policy?.expiryWarningDays ?? 0);
  const { status, reason } = pocStatus({
    hasPolicy: policy !== undefined,
    budget,
    monthToDate,
    forecast: forecast.monthEnd,
    lifetime,
    expiry,
    alerts,
    currency,
  });
  const yesterday = daily.at(-1)?.cost ?? ZERO;
  const dayBefore = daily.at(-2)?.cost ?? ZERO;

  const report: PocReport = {
    poc,
    status,
    statusReason: reason,
    owners: policy?.owners ?? [],
    ...(policy?.description ? { description: policy.description } : {}),
    monthToDate,
    forecastMonthEnd: forecast.monthEnd,
    forecastBasis: { method: forecast.method, days: forecast.days, dailyRate: forecast.dailyRate },
    ...(budget
      ? {
          budget: {
            monthly: budget.monthly,
            thresholds: budget.thresholds,
            ...(budget.dailyCap !== undefined ? { dailyCap: budget.dailyCap } : {}),
            ...(budget.total !== undefined ? { total: budget.total } : {}),
          },
          budgetUsed: moneyRatio(monthToDate, budget.monthly),
        }
      : {}),
    ...(lifetime ? { lifetime } : {}),
    ...(policy?.start ? { start: policy.start } : {}),
    ...(policy?.expires ? { expires: policy.expires } : {}),
    daily,
    services: serviceTotals(periodRows),
    accounts: [...new Set(periodRows.map((row) => row.account))].sort(),
    changeSinceYesterday: yesterday - dayBefore,
    risk: 0,
    links: policy?.links ?? [],
    ...(policy ? { policyFile: policy.location.file } : {}),
  };
  report.risk = riskScore(report);
  return { report, alerts, ...(warning ? { warning } : {}) };
}

function rowsInPeriod(series: CostSeries | undefined, period: Period): DailyCost[] {
  return series?.rows.filter((row) => row.date >= period.start && row.date < period.end) ?? [];
}

function dailyPoints(series: CostSeries | undefined, days: readonly IsoDate[]): DailyPoint[] {
  return days.map((date) => ({
    date,
    cost: series?.byDay.get(date) ?? ZERO,
    estimated: series?.estimatedDays.has(date) ?? false,
  }));
}

function serviceTotals(rows: readonly DailyCost[]): ServiceCost[] {
  return totalsBy(rows, (row) => row.service).map(({ key, cost }) => ({ service: key, cost }));
}

/**
 * A policy whose tag value never shows up in the data is often a typo in `poc:`; when an unpoliced
 * tag value with spend is one or two edits away, say so.
 */
function policiesWithoutSpend(
  policies: readonly Policy[],
  series: ReadonlyMap<string | null, CostSeries>,
  seenThisPeriod: ReadonlySet<string>,
): SourceWarning[] {
  const warnings: SourceWarning[] = [];
  const policed = new Set(policies.map((policy) => policy.poc));
  const orphans = [...seenThisPeriod].filter((value) => !policed.has(value));
  for (const policy of policies) {
    if (series.has(policy.poc) || orphans.length === 0) continue;
    const candidate = closest(policy.poc, orphans);
    if (distance(policy.poc, candidate) <= 2) {
      warnings.push({
        code: 'policy-tag-mismatch',
        message: `policy "${policy.poc}" matches no spend, but tag value "${candidate}" has spend and no policy: is one of them misspelt?`,
        where: `${policy.location.file}:${policy.location.line}`,
      });
    }
  }
  return warnings;
}
