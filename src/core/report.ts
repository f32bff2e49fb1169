import type { IsoDate } from './calendar.js';
import type { SourceWarning } from './cost-data.js';
import type { Money } from './money.js';
import type { Period } from './period.js';

export type PocStatus = 'ok' | 'warning' | 'over-budget' | 'expired' | 'unbudgeted';

export type AlertKind =
  | 'threshold'
  | 'over-budget'
  | 'forecast'
  | 'daily-cap'
  | 'lifetime'
  | 'anomaly'
  | 'expiring'
  | 'expired'
  | 'unbudgeted'
  | 'per-use'
  /** pocketwatch itself could not do its job (costs unreadable): about the run, not one PoC. */
  | 'operational';

export type Severity = 'info' | 'warning' | 'critical';

export interface Alert {
  /** Stable across runs for the same condition, so delivery can tell new from already sent. */
  id: string;
  poc: string;
  kind: AlertKind;
  severity: Severity;
  message: string;
  /** The day the condition refers to. */
  date: IsoDate;
  /** Amount that tripped it and the limit it was compared with, when money is involved. */
  amount?: Money;
  limit?: Money;
  /** Not yet delivered according to the state store. */
  new: boolean;
}

export interface DailyPoint {
  date: IsoDate;
  cost: Money;
  estimated: boolean;
}

export interface ServiceCost {
  service: string;
  cost: Money;
}

/** Where a resource's monthly cost figure came from, best first. */
export type ResourceCostSource = 'cost-explorer-resource' | 'billing-export' | 'price-table' | 'unknown';

export interface RecommendedResource {
  arn: string;
  /** Tagging API style type, e.g. "ec2:natgateway". */
  type: string;
  region: string;
  account: string;
  /** First day of the idle stretch that the evidence covers, when known. */
  idleSince?: IsoDate;
  /** The window the idle signal was judged over. */
  window: { start: IsoDate; end: IsoDate; days: number };
  /** What was measured, in words: "0 invocations in 30 days (AWS/Lambda Invocations, Sum)". */
  evidence: string;
  monthlyCost: Money;
  costSource: ResourceCostSource;
  /** Deleting it loses data unless a snapshot or backup is kept. */
  holdsData: boolean;
}

export interface Recommendation {
  /** A hash of the PoC and the exact resource set: the same set keeps its id across runs. */
  id: string;
  poc: string;
  reason: 'idle' | 'expired';
  resources: RecommendedResource[];
  estimatedMonthlySavings: Money;
}

/** A pay-per-use budget: cost per unit of use over a window, against a maximum. */
export interface PerUseReport {
  /** What is counted, e.g. "AWS/ApiGateway Count (ApiId=abc123)". */
  signal: string;
  windowDays: number;
  cost: Money;
  usage: number;
  per: number;
  /** Cost per `per` units of use; undefined when there was no use at all. */
  costPerUnit?: Money;
  max: Money;
  breached: boolean;
}

export interface PocReport {
  poc: string;
  status: PocStatus;
  /** Why the status is what it is, in a few words. */
  statusReason: string;
  owners: string[];
  description?: string;
  monthToDate: Money;
  forecastMonthEnd: Money;
  /** Month-end forecast method and inputs, so a reader can judge it. */
  forecastBasis: { method: 'complete' | 'trailing-average' | 'no-data'; days: number; dailyRate: Money };
  budget?: { monthly: Money; dailyCap?: Money; total?: Money; thresholds: number[] };
  /** Share of the monthly budget spent (0.5 = 50 %). */
  budgetUsed?: number;
  lifetime?: { start: IsoDate; cost: Money; budget?: Money; complete: boolean };
  start?: IsoDate;
  expires?: IsoDate;
  daily: DailyPoint[];
  services: ServiceCost[];
  accounts: string[];
  /** Cost of the last reported day minus the day before. */
  changeSinceYesterday: Money;
  /** Risk score used to order PoCs, highest first. */
  risk: number;
  links: { title: string; url: string }[];
  policyFile?: string;
  perUse?: PerUseReport;
}

export interface Report {
  schemaVersion: number;
  generatedAt: string;
  asOf: IsoDate;
  period: Period;
  currency: string;
  tagKey: string;
  source: {
    kind: string;
    description: string;
    /** Some figures are still estimates and may change. */
    estimated: boolean;
    /** Some input was skipped (malformed rows, unreadable files): totals may be low. See warnings. */
    partial: boolean;
    coverage?: { first: IsoDate; last: IsoDate };
  };
  total: { monthToDate: Money; forecastMonthEnd: Money; daily: DailyPoint[] };
  unattributed: { monthToDate: Money; services: ServiceCost[]; daily: DailyPoint[] };
  pocs: PocReport[];
  alerts: Alert[];
  recommendations: Recommendation[];
  apiCalls: Record<string, number>;
  /** What the run's own AWS calls cost (Cost Explorer per request, GetMetricData per metric). */
  apiCost: Money;
  warnings: SourceWarning[];
}

export const REPORT_SCHEMA_VERSION = 1;
