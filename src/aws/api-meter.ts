import type { Money } from '../core/money.js';
import { parseMoney, scaleMoney, ZERO } from '../core/money.js';
import type { CircuitBreaker } from './circuit-breaker.js';

/**
 * What AWS charges for the API calls pocketwatch makes (us-east-1 list prices). Calls not listed
 * here (Tagging API, describe calls, STS, SQS and SNS within their free tiers) are free.
 */
export const API_PRICES: Record<string, { price: Money; per: number; unit: 'request' | 'metric' }> = {
  'ce:GetCostAndUsage': { price: parseMoney('0.01'), per: 1, unit: 'request' },
  'ce:GetCostAndUsageWithResources': { price: parseMoney('0.01'), per: 1, unit: 'request' },
  'ce:GetCostForecast': { price: parseMoney('0.01'), per: 1, unit: 'request' },
  'ce:GetDimensionValues': { price: parseMoney('0.01'), per: 1, unit: 'request' },
  'ce:GetTags': { price: parseMoney('0.01'), per: 1, unit: 'request' },
  'cloudwatch:GetMetricData': { price: parseMoney('0.01'), per: 1000, unit: 'metric' },
  'secretsmanager:GetSecretValue': { price: parseMoney('0.05'), per: 10_000, unit: 'request' },
};

export interface ApiMeterOptions {
  /** Stops calling an operation that keeps failing; every client metered here shares it. */
  breaker?: CircuitBreaker;
}

/**
 * Counts every AWS call a run makes, by `service:Operation`, and what they cost. Attached to each SDK
 * client as middleware, so no call can go uncounted; retries are counted too, and priced, since AWS
 * bills them, except throttled attempts, which AWS does not bill.
 */
export class ApiMeter {
  private readonly calls = new Map<string, number>();
  private readonly units = new Map<string, number>();
  private readonly throttledCalls = new Map<string, number>();
  readonly breaker: CircuitBreaker | undefined;

  constructor(options: ApiMeterOptions = {}) {
    this.breaker = options.breaker;
  }

  /** Records one billed attempt; `units` is what it is billed by (metrics requested for GetMetricData). */
  record(operation: string, units = 1): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    this.units.set(operation, (this.units.get(operation) ?? 0) + units);
  }

  /** Records one throttled attempt: it counts as a call, but costs nothing. */
  recordThrottled(operation: string): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    this.throttledCalls.set(operation, (this.throttledCalls.get(operation) ?? 0) + 1);
  }

  /** Every attempt per operation, throttled ones included. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.calls].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Throttled attempts per operation (part of `counts()`, not of `cost()`). */
  throttled(): Record<string, number> {
    return Object.fromEntries([...this.throttledCalls].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Billable units per operation (requests, or metrics for GetMetricData). */
  billedUnits(): Record<string, number> {
    return Object.fromEntries([...this.units].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The run's API charges. */
  cost(): Money {
    let total = ZERO;
    for (const [operation, units] of this.units) total += apiCharge(operation, units);
    return total;
  }
}

export function apiCharge(operation: string, units: number): Money {
  const price = API_PRICES[operation];
  if (!price) return ZERO;
  return scaleMoney(price.price, BigInt(units), BigInt(price.per));
}
