import { type Money, parseMoney } from '../money.js';

/**
 * Approximate us-east-1 on-demand list prices in USD for resources that cost money by the hour
 * whether used or not. They are the fallback when neither Cost Explorer's resource-level data nor a
 * billing export gives a resource's real cost: good enough to rank savings, never a bill. Other
 * regions differ by up to ~30 %, and prices change; confirm with the AWS Price List API before
 * quoting them. Sources are third-party summaries of the AWS pricing pages, as dated below.
 */

export interface HourlyPrice {
  /** USD per hour (us-east-1 list price, approximate). */
  perHour: Money;
  /** What one hour buys, for messages: "NAT gateway hour". */
  item: string;
}

/** AWS's own "month" in its price examples (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

function price(perHour: string, item: string): HourlyPrice {
  return { perHour: parseMoney(perHour), item };
}

export const HOURLY_PRICES = {
  // $0.045 per NAT gateway-hour (+ $0.045/GB processed, not counted while idle).
  // Source: aws.amazon.com/vpc/pricing via cloudburn.io (2026-02-24) and egresscost.com (2026-03).
  natGateway: price('0.045', 'NAT gateway hour'),
  // $0.0225 per ALB-hour (+ $0.008 per LCU-hour, ~0 while idle). NLB: the same $0.0225 per NLB-hour.
  // Source: aws.amazon.com/elasticloadbalancing/pricing via cloud-horizons.com (2026-05-08).
  loadBalancer: price('0.0225', 'load balancer hour'),
  // $0.005 per public IPv4 address-hour, in use or idle, since 2024-02-01.
  // Source: AWS announcement of 2023-07-28; re:Post "Public IPv4 Addresses Cost Projection" (2024).
  publicIpv4: price('0.005', 'public IPv4 address hour'),
  // $0.015 per provisioned shard-hour (+ PUT payload units, not counted while idle).
  // Source: aws.amazon.com/kinesis/data-streams/pricing, as summarised in docs/aws-facts.md (2026).
  kinesisShard: price('0.015', 'Kinesis shard hour'),
} as const;

/**
 * SageMaker real-time inference instance-hours. Only types with a price we could source; the rest are
 * unknown (billing data knows better). Source: zircon.tech, "The real cost of running AI models on
 * AWS SageMaker" (us-east-1, 2025-10): ml.m5.xlarge $0.269/h, ml.g5.xlarge ~$1.41/h (AWS lists
 * $1.408).
 */
const SAGEMAKER_HOSTING: Readonly<Record<string, string>> = {
  'ml.m5.xlarge': '0.269',
  'ml.g5.xlarge': '1.408',
};

export function sageMakerHostingPrice(instanceType: string | undefined): HourlyPrice | undefined {
  const perHour = instanceType === undefined ? undefined : SAGEMAKER_HOSTING[instanceType];
  return perHour === undefined ? undefined : price(perHour, `${instanceType} endpoint instance hour`);
}

/** A resource made of several billed units (shards, endpoint instances): units × the unit price. */
export function timesUnits(hourly: HourlyPrice, units: number | undefined): HourlyPrice {
  const count = units === undefined || !Number.isInteger(units) || units < 1 ? 1 : units;
  return count === 1
    ? hourly
    : { perHour: hourly.perHour * BigInt(count), item: `${count} × ${hourly.item}` };
}

/** The monthly cost of something billed by the hour around the clock: price × 730 h, exact. */
export function monthlyFromHourly(hourly: HourlyPrice): Money {
  return hourly.perHour * BigInt(HOURS_PER_MONTH);
}
