import type { DeploymentSettings, NotificationSettings } from './model.js';
/** A policy as written in YAML, once it has passed policy.schema.json. */
export interface RawPolicy {
  poc: string;
  owners: string[];
  description?: string;
  budget?: {
    monthly: number;
    dailyCap?: number;
    total?: number;
    thresholds?: number[];
    perUse?: RawPerUse;
  };
  start?: string;
  expires?: string;
  links?: { title: string; url: string }[];
  notes?: string;
  anomaly?: RawAnomaly;
  expiryWarningDays?: number;
  idle?: RawIdleOverrides;
  exclude?: string[];
  accounts?: string[];
  teardown?: { data?: 'keep' | 'delete' };
}

export interface RawPerUse {
  signal: {
    resource?: string;
    namespace?: string;
    metricName?: string;
    dimensions?: Record<string, string>;
    stat?: 'Sum' | 'Maximum' | 'Average' | 'Minimum' | 'SampleCount';
    region?: string;
  };
  per: number;
  max: number;
  windowDays?: number;
}

export type RawIdleOverrides = Record<string, { threshold?: number; windowDays?: number; enabled?: boolean }>;

export interface RawAnomaly {
  baselineDays?: number;
  minBaselineDays?: number;
  factor?: number;
  minIncrease?: number;
}

/** settings.yaml as written, once it has passed settings.schema.json. */
export interface RawSettings {
  tagKey?: string;
  currency?: string;
  timeZone?: string;
  costMetric?: 'UnblendedCost' | 'AmortizedCost' | 'NetUnblendedCost' | 'NetAmortizedCost';
  defaults?: {
    thresholds?: number[];
    expiryWarningDays?: number;
    forecastTrailingDays?: number;
    anomaly?: RawAnomaly;
  };
  regions?: string[];
  protectTag?: { key?: string; value?: string };
  idle?: RawIdleOverrides;
  exclude?: string[];
  teardownAccounts?: string[];
  resourceCosts?: boolean;
  costGrouping?: 'service' | 'account';
  notifications?: NotificationSettings;
  deployment?: DeploymentSettings;
}
