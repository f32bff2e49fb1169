import type { IsoDate } from './calendar.js';
import type { Money } from './money.js';

/**
 * One day's cost for one (PoC, service, account): the unit every cost source delivers, whatever it
 * reads (Cost Explorer groups, a FOCUS export's hourly rows, a CUR file).
 */
export interface DailyCost {
  date: IsoDate;
  /** The cost allocation tag's value, or null for spend that carries no such tag. */
  poc: string | null;
  service: string;
  account: string;
  cost: Money;
  /** True while the provider may still revise the figure (Cost Explorer's `Estimated`). */
  estimated: boolean;
}

export interface SourceWarning {
  code: string;
  /** True when the warning means input was skipped, so the totals may be incomplete. */
  partial?: boolean;
  message: string;
  /** Where the problem was found: "file.csv:123", an API operation, ... */
  where?: string;
  /** The AWS call that failed, "ec2:DescribeAddresses" (as the meter names it). */
  operation?: string;
  /** The region the call went to. */
  region?: string;
  /** The IAM action to allow when the call was denied. */
  iamAction?: string;
  /** What the report lacks because of it, in words: "Elastic IPs in us-east-1 not scanned". */
  effect?: string;
}

export interface CostDataset {
  /** Aggregated daily rows, at most one per (date, poc, service, account). */
  rows: DailyCost[];
  /** Billing currency found in the data, when the data says. */
  currency?: string;
  /** First and last day with any data at all (any tag), when known. */
  coverage?: { first: IsoDate; last: IsoDate };
  warnings: SourceWarning[];
  /** Counts per AWS API operation made to produce this dataset (empty offline). */
  apiCalls: Record<string, number>;
  /** Per-resource charges, when the source was asked to collect them (a billing export can). */
  resources?: ResourceUsage[];
}

/** One resource's charges in a billing export, day by day, split by what drives them. */
export interface ResourceUsage {
  /** The export's ResourceId: an ARN for most AWS resources, a bare id (nat-…, i-…) for some. */
  resourceId: string;
  /** The export's ResourceType, free text ("NAT Gateway"); '' when absent. */
  resourceType: string;
  service: string;
  region: string;
  account: string;
  /** The PoC tag's value on the resource's latest charges, or null. */
  poc: string | null;
  /** Values of the extra tag keys asked for (e.g. the protection tag), from the latest charges. */
  tags: Record<string, string>;
  /** Usage types seen (x_UsageType), sorted: what the evidence names. */
  usageTypes: string[];
  /** Days with charges, ascending. */
  days: ResourceUsageDay[];
}

export interface ResourceUsageDay {
  date: IsoDate;
  /** Charges for time the resource existed: NatGateway-Hours, LoadBalancerUsage, ShardHour. */
  time: Money;
  /** Charges that grow with use: bytes processed, requests, LCUs. */
  usage: Money;
  /** Time that AWS bills as idle: PublicIPv4:IdleAddress. */
  idleTime: Money;
}
