import type { MetricQuery } from '../../inventory/metric-query.js';
import type { TaggedResource } from '../../inventory/resource.js';
import type { IsoDate } from '../calendar.js';
import type { HourlyPrice } from './price-table.js';

/**
 * The shape every idle rule has (one rule per file under rules/, listed in idle-rules.ts), after
 * cdk-nag's one-rule-per-file and Cloud Custodian's declared permissions: a rule says what it reads,
 * what counts as idle, and which IAM actions that takes, so an IAM policy can be derived from code.
 */

export type MetricStat = MetricQuery['stat'];

export interface Dimension {
  name: string;
  value: string;
}

/** One CloudWatch metric a rule reads, one value a day. */
export interface MetricSpec {
  /** Unique within the rule; the query id is `${idPrefix}_${key}`. */
  key: string;
  namespace: string;
  metricName: string;
  stat: MetricStat;
  /**
   * What a day without datapoints means. Counts ('zero'): nothing happened, since services publish
   * Invocations, Count, RequestCount ... only when there is something to count. Gauges ('unknown'):
   * nothing is known (CPUUtilization and DatabaseConnections vanish while a resource is stopped).
   */
  missing: 'zero' | 'unknown';
}

/** One comparison of a rule; a resource is idle when every condition holds. */
export interface IdleCondition {
  /** Metric keys whose daily values are added up (DynamoDB reads + writes). */
  metrics: readonly string[];
  /** total: the window's sum; peak: its highest daily value; daily: every day on its own. */
  measure: 'total' | 'peak' | 'daily';
  /** The rule's threshold (which policies may override), or a fixed limit. */
  limit: 'threshold' | number;
  /** A measured value in words: 0 → "0 invocations". */
  phrase: (value: number) => string;
  /** The limit in words for evidence, when it is not 0 ("5 MB"); plain numbers by default. */
  formatLimit?: (limit: number) => string;
}

/**
 * What describe calls (not CloudWatch) say about a resource. Every field is optional: absent means
 * unknown, never "no".
 */
export interface ResourceState {
  /** Creation time (ISO 8601 or YYYY-MM-DD): a resource younger than the window is not judged. */
  createdAt?: string;
  /** EBS DescribeVolumes State; "available" means attached to nothing. */
  volumeState?: string;
  /** Elastic IP: whether DescribeAddresses shows an AssociationId. */
  associated?: boolean;
  /** Instance type or class, for the price table: "ml.g5.xlarge", "db.t4g.micro". */
  instanceType?: string;
  /** Instances behind the resource (a SageMaker endpoint variant); 1 when unknown. */
  instanceCount?: number;
  /** Kinesis provisioned shards; 1 when unknown. */
  shardCount?: number;
}

/** How a billing export shows that a resource is idle (idle-from-billing.ts). */
export interface BillingSignal {
  /**
   * time-without-usage: billed for time every day but nothing for use (a NAT gateway's hours without
   * NatGateway-Bytes); idle-time: billed for time that AWS itself labels idle (PublicIPv4:IdleAddress).
   */
  kind: 'time-without-usage' | 'idle-time';
  /** Usage-based charges over the window at or below this still count as none (rounding, probes). */
  maxUsageCost: string;
}

interface IdleRuleBase {
  /** The registry key: a Tagging API type, split where one type needs two rules (ALB / NLB). */
  type: string;
  label: string;
  /** The signal in words, for documentation and reports. */
  signal: string;
  /** The default limit of the rule's main condition, in its unit. */
  threshold: number;
  /** Days the signal must stay at or below the threshold; for state rules the minimum age. */
  windowDays: number;
  /** Why these defaults, with the anchors (Trusted Advisor, thrifty, Compute Optimizer). */
  rationale: string;
  /** Deleting the resource loses data unless a snapshot or backup is kept. */
  holdsData: boolean;
  /** IAM actions the signal needs (beyond tag:GetResources for the inventory). */
  iamActions: readonly string[];
  /** List price per hour for resources billed by the hour, when the table knows it. */
  hourlyPrice?: (resource: TaggedResource, state?: ResourceState) => HourlyPrice | undefined;
  /** Offline detection from a billing export, for types whose bill shows idleness. */
  billing?: BillingSignal;
}

export interface MetricIdleRule extends IdleRuleBase {
  kind: 'metric';
  metrics: readonly MetricSpec[];
  /** The first condition is the one `threshold` belongs to. */
  conditions: readonly IdleCondition[];
  /**
   * A metric that is published whenever the resource runs, whatever its traffic. No datapoints for it
   * means the dimensions are wrong (or the resource is stopped), so zero counts prove nothing.
   */
  probe?: string;
  /** The metric dimensions, or why they cannot be derived from what the inventory knows. */
  dimensions: (resource: TaggedResource) => Dimension[] | { problem: string };
  /** The GetMetricData queries, one per metric; none when the dimensions are unknown. */
  queries: (resource: TaggedResource, idPrefix: string) => MetricQuery[];
}

export interface StateIdleRule extends IdleRuleBase {
  kind: 'state';
  /** The verdict from describe data, or undefined when the state it needs is unknown. */
  check: (state: ResourceState) => { idle: boolean; evidence: string } | undefined;
  /** Always empty: kept so every rule can be asked for queries. */
  queries: (resource: TaggedResource, idPrefix: string) => MetricQuery[];
}

export type IdleRule = MetricIdleRule | StateIdleRule;

/** The days a judgement covers: [start, end), `days` long. */
export interface IdleWindow {
  start: IsoDate;
  end: IsoDate;
  days: number;
}

export interface IdleJudgement {
  idle: boolean;
  /** What was measured, in words. */
  evidence: string;
  /** First day of the quiet stretch the evidence covers, when known. */
  idleSince?: IsoDate;
  /** Not judged: partial, missing or too little data (or a resource younger than the window). */
  insufficientData?: boolean;
  /**
   * The last day the metrics prove it busy: no window containing this day can find it idle, so the
   * live scan need not read its metrics again until the window has moved past it.
   */
  lastActive?: IsoDate;
  /** The window the signal was judged over. */
  window: IdleWindow;
}
