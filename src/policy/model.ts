import type { IsoDate } from '../core/calendar.js';
import type { Money } from '../core/money.js';

/** Where a value came from, for messages that point at the file. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface Budget {
  monthly: Money;
  /** Alert when a single day costs more. */
  dailyCap?: Money;
  /** Lifetime budget since the policy's `start`. */
  total?: Money;
  /** Percentages of the monthly budget that raise an alert, ascending. */
  thresholds: number[];
}

export interface PolicyLink {
  title: string;
  url: string;
}

export interface AnomalySettings {
  /** Days before the checked day that form its baseline. */
  baselineDays: number;
  /** Baseline days with data needed before a day can be judged. */
  minBaselineDays: number;
  /** A day spikes when it costs more than `factor` × the baseline median ... */
  factor: number;
  /** ... and at least this much more than the median, so cents never page anyone. */
  minIncrease: Money;
}

export interface Policy {
  poc: string;
  owners: string[];
  description?: string;
  budget?: Budget;
  start?: IsoDate;
  expires?: IsoDate;
  links: PolicyLink[];
  notes?: string;
  anomaly: AnomalySettings;
  expiryWarningDays: number;
  location: SourceLocation;
}

/** Cost Explorer's metric names; a FOCUS export maps them to BilledCost or EffectiveCost. */
export type CostMetric = 'UnblendedCost' | 'AmortizedCost' | 'NetUnblendedCost' | 'NetAmortizedCost';

export interface Settings {
  tagKey: string;
  currency: string;
  /** IANA zone for schedules and for what "today" means to the team; billing days stay UTC. */
  timeZone: string;
  costMetric: CostMetric;
  defaults: {
    thresholds: number[];
    expiryWarningDays: number;
    anomaly: AnomalySettings;
    /** Trailing days whose average daily cost drives the month-end forecast. */
    forecastTrailingDays: number;
  };
  location?: SourceLocation;
}

export interface PolicySet {
  settings: Settings;
  policies: Policy[];
  /** Files read, for reports. */
  files: string[];
}
