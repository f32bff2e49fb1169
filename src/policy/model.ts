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
  /** A pay-per-use limit: cost per `per` units of use (src/core/idle/per-use.ts). */
  perUse?: PerUseBudget;
}

/** CloudWatch statistics a pay-per-use signal may use. */
export type MetricStatistic = 'Sum' | 'Maximum' | 'Average' | 'Minimum' | 'SampleCount';

/** What a pay-per-use budget counts: a CloudWatch metric, or the activity signal of one resource. */
export type PerUseSignal =
  | {
      kind: 'metric';
      namespace: string;
      metricName: string;
      dimensions: Record<string, string>;
      stat: MetricStatistic;
      /** Where the metric lives; the run's region when absent. */
      region?: string;
    }
  | {
      kind: 'resource';
      /** An ARN, or a resource name (function, table, queue ...) that the inventory resolves. */
      resource: string;
    };

export interface PerUseBudget {
  signal: PerUseSignal;
  /** Units of use the maximum is for, e.g. 1000 requests. */
  per: number;
  /** The most `per` units of use may cost, in the billing currency. */
  max: Money;
  /** Days of cost and use compared (ending with the day before the as-of day). */
  windowDays: number;
}

/** Changes to one idle rule's defaults (src/core/idle/rules); unset keys keep the rule's default. */
export interface IdleOverride {
  threshold?: number;
  windowDays?: number;
  enabled?: boolean;
}

/** Per idle-rule type ("lambda:function", "ec2:natgateway", ...), as src/core/idle/idle-rules.ts names them. */
export type IdleOverrides = Record<string, IdleOverride>;

/** The tag that keeps a resource out of every teardown recommendation. */
export interface ProtectTag {
  key: string;
  value: string;
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

/**
 * keep: data stores keep a final snapshot or backup, and S3 buckets and Kinesis streams are not
 * deleted; delete: everything goes, with no final copies.
 */
export type TeardownData = 'keep' | 'delete';

export interface TeardownSettings {
  data: TeardownData;
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
  /** Idle rule changes for this PoC, over settings.idle. */
  idle?: IdleOverrides;
  /** ARNs or ARN globs (`*` matches anything) never recommended for teardown. */
  exclude?: string[];
  /** Account ids the PoC is scoped to: resources tagged with it elsewhere are not its own. */
  accounts?: string[];
  /** How a teardown treats the PoC's data; absent means keep. */
  teardown?: TeardownSettings;
  location: SourceLocation;
}

/** Cost Explorer's metric names; a FOCUS export maps them to BilledCost or EffectiveCost. */
export type CostMetric = 'UnblendedCost' | 'AmortizedCost' | 'NetUnblendedCost' | 'NetAmortizedCost';

export interface NotificationSettings {
  alertTopicArn?: string;
  digestTopicArn?: string;
  slackWebhookUrl?: string;
  email?: { from: string; to: string[] };
  perOwnerDigests?: boolean;
  reportUrl?: string;
  /** Base URL of the approval endpoint: recommendation messages carry signed links to it. */
  approvalUrl?: string;
}

/** The serverless deployment (infra/, `npx cdk deploy`); the CLI ignores it. Unset keys take DEPLOYMENT_DEFAULTS. */
export interface DeploymentSettings {
  /** Local hour (in Settings.timeZone) of the daily run: costs, idle scan, alerts, digest. */
  digestHour?: number;
  /** More local hours for a cost-only budget check (alerts only). */
  budgetCheckHours?: number[];
  alertEmails?: string[];
  digestEmails?: string[];
  /** Operational alarms: a function failing, a dead-letter queue with messages. */
  alarmEmails?: string[];
  logRetentionDays?: number;
  tracing?: boolean;
  /** A management account's fan-out of the idle scan to member accounts. */
  organization?: OrganizationDeployment;
}

export interface OrganizationDeployment {
  memberAccounts: string[];
  roleName?: string;
  scanConcurrency?: number;
}

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
  /** Regions to scan for resources; when absent the caller uses AWS_REGION. */
  regions?: string[];
  /** Resources carrying this tag are never recommended for teardown. */
  protectTag: ProtectTag;
  /** Idle rule changes for every PoC. */
  idle?: IdleOverrides;
  /** ARNs or ARN globs never recommended for teardown, whatever their PoC. */
  exclude?: string[];
  /** The only accounts a teardown may act in; absent or empty means teardowns only plan. */
  teardownAccounts?: string[];
  /**
   * Price idle resources from Cost Explorer's resource-level data (GetCostAndUsageWithResources, at
   * least $0.01 a run, needs the account's opt-in). Absent means DEFAULT_RESOURCE_COSTS (false).
   */
  resourceCosts?: boolean;
  /**
   * Cost Explorer's second grouping: by service (default) or by linked account, for management
   * accounts whose policies scope PoCs to member accounts.
   */
  costGrouping?: 'service' | 'account';
  /** Where `run --notify` delivers; environment variables override the topic ARNs and the webhook. */
  notifications?: NotificationSettings;
  deployment?: DeploymentSettings;
  location?: SourceLocation;
}

export interface PolicySet {
  settings: Settings;
  policies: Policy[];
  /** Files read, for reports. */
  files: string[];
}
