/**
 * The JSON contract of a report (`report.json`, `--format json`): a Report with every Money turned
 * into a number (exact to 1e-10), optional fields omitted when absent, `budget` / `budgetUsed` null
 * for a PoC without a budget and `perUse.costPerUnit` null when there was no use to divide by.
 * `report-schema.ts` documents and validates the shape.
 */
import type { IsoDate } from '../core/calendar.js';
import { moneyToNumber } from '../core/money.js';
import type {
  Alert,
  AlertKind,
  DailyPoint,
  PerUseReport,
  PocReport,
  PocStatus,
  Recommendation,
  RecommendedResource,
  Report,
  ResourceCostSource,
  ServiceCost,
  Severity,
} from '../core/report.js';

export interface DailyPointJson {
  date: IsoDate;
  cost: number;
  estimated: boolean;
}

export interface ServiceCostJson {
  service: string;
  cost: number;
}

export interface BudgetJson {
  monthly: number;
  dailyCap?: number;
  total?: number;
  thresholds: number[];
}

export interface PerUseJson {
  signal: string;
  windowDays: number;
  cost: number;
  usage: number;
  per: number;
  /** Null when there was no use in the window. */
  costPerUnit: number | null;
  max: number;
  breached: boolean;
}

export interface PocJson {
  poc: string;
  status: PocStatus;
  statusReason: string;
  owners: string[];
  description?: string;
  monthToDate: number;
  forecastMonthEnd: number;
  forecastBasis: { method: PocReport['forecastBasis']['method']; days: number; dailyRate: number };
  budget: BudgetJson | null;
  budgetUsed: number | null;
  lifetime?: { start: IsoDate; cost: number; budget?: number; complete: boolean };
  start?: IsoDate;
  expires?: IsoDate;
  daily: DailyPointJson[];
  services: ServiceCostJson[];
  accounts: string[];
  changeSinceYesterday: number;
  risk: number;
  links: { title: string; url: string }[];
  policyFile?: string;
  perUse?: PerUseJson;
}

export interface AlertJson {
  id: string;
  poc: string;
  kind: AlertKind;
  severity: Severity;
  message: string;
  date: IsoDate;
  amount?: number;
  limit?: number;
  new: boolean;
}

export interface RecommendedResourceJson {
  arn: string;
  type: string;
  region: string;
  account: string;
  idleSince?: IsoDate;
  window: { start: IsoDate; end: IsoDate; days: number };
  evidence: string;
  monthlyCost: number;
  costSource: ResourceCostSource;
  holdsData: boolean;
}

export interface RecommendationJson {
  id: string;
  poc: string;
  reason: Recommendation['reason'];
  resources: RecommendedResourceJson[];
  estimatedMonthlySavings: number;
}

export interface ReportJson {
  schemaVersion: number;
  generatedAt: string;
  asOf: IsoDate;
  period: { start: IsoDate; end: IsoDate; monthEnd: IsoDate; elapsedDays: number; monthDays: number };
  currency: string;
  tagKey: string;
  source: {
    kind: string;
    description: string;
    estimated: boolean;
    partial: boolean;
    coverage?: { first: IsoDate; last: IsoDate };
  };
  total: { monthToDate: number; forecastMonthEnd: number; daily: DailyPointJson[] };
  unattributed: { monthToDate: number; services: ServiceCostJson[]; daily: DailyPointJson[] };
  pocs: PocJson[];
  alerts: AlertJson[];
  recommendations: RecommendationJson[];
  apiCalls: Record<string, number>;
  apiCost: number;
  warnings: {
    code: string;
    message: string;
    where?: string;
    partial?: boolean;
    operation?: string;
    region?: string;
    iamAction?: string;
    effect?: string;
  }[];
}

const num = moneyToNumber;

/** A finite number, or null (JSON has no Infinity: a zero budget with spend is "used" without bound). */
function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

function daily(points: readonly DailyPoint[]): DailyPointJson[] {
  return points.map((p) => ({ date: p.date, cost: num(p.cost), estimated: p.estimated }));
}

function services(list: readonly ServiceCost[]): ServiceCostJson[] {
  return list.map((s) => ({ service: s.service, cost: num(s.cost) }));
}

/** A finite number (JSON has no NaN or Infinity), zero otherwise. */
function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

function perUseToJson(u: PerUseReport): PerUseJson {
  return {
    signal: u.signal,
    windowDays: u.windowDays,
    cost: num(u.cost),
    usage: finite(u.usage),
    per: u.per,
    costPerUnit: u.costPerUnit === undefined ? null : num(u.costPerUnit),
    max: num(u.max),
    breached: u.breached,
  };
}

function resourceToJson(r: RecommendedResource): RecommendedResourceJson {
  return {
    arn: r.arn,
    type: r.type,
    region: r.region,
    account: r.account,
    ...(r.idleSince !== undefined && { idleSince: r.idleSince }),
    window: { start: r.window.start, end: r.window.end, days: r.window.days },
    evidence: r.evidence,
    monthlyCost: num(r.monthlyCost),
    costSource: r.costSource,
    holdsData: r.holdsData,
  };
}

function recommendationToJson(r: Recommendation): RecommendationJson {
  return {
    id: r.id,
    poc: r.poc,
    reason: r.reason,
    resources: r.resources.map(resourceToJson),
    estimatedMonthlySavings: num(r.estimatedMonthlySavings),
  };
}

function pocToJson(p: PocReport): PocJson {
  const out: PocJson = {
    poc: p.poc,
    status: p.status,
    statusReason: p.statusReason,
    owners: [...p.owners],
    ...(p.description !== undefined && { description: p.description }),
    monthToDate: num(p.monthToDate),
    forecastMonthEnd: num(p.forecastMonthEnd),
    forecastBasis: {
      method: p.forecastBasis.method,
      days: p.forecastBasis.days,
      dailyRate: num(p.forecastBasis.dailyRate),
    },
    budget: p.budget
      ? {
          monthly: num(p.budget.monthly),
          ...(p.budget.dailyCap !== undefined && { dailyCap: num(p.budget.dailyCap) }),
          ...(p.budget.total !== undefined && { total: num(p.budget.total) }),
          thresholds: [...p.budget.thresholds],
        }
      : null,
    budgetUsed: p.budget ? finiteOrNull(p.budgetUsed) : null,
    ...(p.lifetime && {
      lifetime: {
        start: p.lifetime.start,
        cost: num(p.lifetime.cost),
        ...(p.lifetime.budget !== undefined && { budget: num(p.lifetime.budget) }),
        complete: p.lifetime.complete,
      },
    }),
    ...(p.start !== undefined && { start: p.start }),
    ...(p.expires !== undefined && { expires: p.expires }),
    daily: daily(p.daily),
    services: services(p.services),
    accounts: [...p.accounts],
    changeSinceYesterday: num(p.changeSinceYesterday),
    risk: Number.isFinite(p.risk) ? p.risk : 0,
    links: p.links.map((l) => ({ title: l.title, url: l.url })),
    ...(p.policyFile !== undefined && { policyFile: p.policyFile }),
    ...(p.perUse && { perUse: perUseToJson(p.perUse) }),
  };
  return out;
}

function alertToJson(a: Alert): AlertJson {
  return {
    id: a.id,
    poc: a.poc,
    kind: a.kind,
    severity: a.severity,
    message: a.message,
    date: a.date,
    ...(a.amount !== undefined && { amount: num(a.amount) }),
    ...(a.limit !== undefined && { limit: num(a.limit) }),
    new: a.new,
  };
}

export function reportToJson(report: Report): ReportJson {
  const { period, source } = report;
  return {
    schemaVersion: report.schemaVersion,
    generatedAt: report.generatedAt,
    asOf: report.asOf,
    period: {
      start: period.start,
      end: period.end,
      monthEnd: period.monthEnd,
      elapsedDays: period.elapsedDays,
      monthDays: period.monthDays,
    },
    currency: report.currency,
    tagKey: report.tagKey,
    source: {
      kind: source.kind,
      description: source.description,
      estimated: source.estimated,
      partial: source.partial,
      ...(source.coverage && { coverage: { first: source.coverage.first, last: source.coverage.last } }),
    },
    total: {
      monthToDate: num(report.total.monthToDate),
      forecastMonthEnd: num(report.total.forecastMonthEnd),
      daily: daily(report.total.daily),
    },
    unattributed: {
      monthToDate: num(report.unattributed.monthToDate),
      services: services(report.unattributed.services),
      daily: daily(report.unattributed.daily),
    },
    pocs: report.pocs.map(pocToJson),
    alerts: report.alerts.map(alertToJson),
    recommendations: report.recommendations.map(recommendationToJson),
    apiCalls: { ...report.apiCalls },
    apiCost: num(report.apiCost),
    warnings: report.warnings.map((w) => ({
      code: w.code,
      message: w.message,
      ...(w.where !== undefined && { where: w.where }),
      ...(w.partial !== undefined && { partial: w.partial }),
      ...(w.operation !== undefined && { operation: w.operation }),
      ...(w.region !== undefined && { region: w.region }),
      ...(w.iamAction !== undefined && { iamAction: w.iamAction }),
      ...(w.effect !== undefined && { effect: w.effect }),
    })),
  };
}
