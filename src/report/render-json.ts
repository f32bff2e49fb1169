/**
 * The JSON contract of a report (`report.json`, `--format json`): a Report with every Money turned
 * into a number (exact to 1e-10), optional fields omitted when absent, and `budget` / `budgetUsed`
 * null for a PoC without a budget. `report-schema.ts` documents and validates the shape.
 */
import type { IsoDate } from '../core/calendar.js';
import { type Money, moneyToNumber } from '../core/money.js';
import type {
  Alert,
  AlertKind,
  DailyPoint,
  PocReport,
  PocStatus,
  Report,
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
  recommendations: unknown[];
  apiCalls: Record<string, number>;
  warnings: { code: string; message: string; where?: string; partial?: boolean }[];
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

/** Recommendations have no fixed shape yet: copy them, turning any Money (bigint) into a number. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return num(value as Money);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
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
    recommendations: report.recommendations.map(plain),
    apiCalls: { ...report.apiCalls },
    warnings: report.warnings.map((w) => ({
      code: w.code,
      message: w.message,
      ...(w.where !== undefined && { where: w.where }),
      ...(w.partial !== undefined && { partial: w.partial }),
    })),
  };
}
