import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { RetryStrategyV2 } from '@smithy/types';
import type { ApiMeter } from './api-meter.js';
import { meterClient } from './metered-client.js';

/** Attempts per call (first try included) when POCKETWATCH_AWS_MAX_ATTEMPTS is not set. */
export const DEFAULT_MAX_ATTEMPTS = 5;
export const MAX_ATTEMPTS_ENV = 'POCKETWATCH_AWS_MAX_ATTEMPTS';
const MAX_ATTEMPTS_LIMIT = 20;

/** Cost Explorer has one endpoint per partition; this is the one for the commercial partition. */
export const COST_EXPLORER_REGION = 'us-east-1';
const COST_EXPLORER_CHINA_REGION = 'cn-northwest-1';
const COST_EXPLORER_SERVICE_ID = 'Cost Explorer';

export class AwsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsConfigError';
  }
}

export interface AwsClientOptions {
  /** A region to use; otherwise the SDK resolves it (AWS_REGION, the profile's `region`). */
  region?: string;
  /** Attempts per call; otherwise POCKETWATCH_AWS_MAX_ATTEMPTS, else 5. */
  maxAttempts?: number;
  /**
   * Replaces the SDK's standard retry strategy, built from the resolved attempt budget. Meant for
   * tests, which need the standard retry decisions without its seconds-long throttling backoff.
   */
  retryStrategy?: (maxAttempts: number) => RetryStrategyV2;
}

/** The part of an SDK v3 client configuration pocketwatch sets; everything else is the SDK's default. */
export interface AwsClientConfig {
  region?: string;
  maxAttempts: number;
  retryMode: 'standard';
  retryStrategy?: RetryStrategyV2;
}

/**
 * Standard SDK settings shared by every adapter: the default credential chain (nothing is passed, so
 * the SDK resolves env, SSO, profiles, IMDS), the SDK's own region and endpoint resolution, and the
 * standard retry mode, whose throttling classification already includes Cost Explorer's
 * LimitExceededException and backs off exponentially with jitter.
 */
export function awsClientConfig(options: AwsClientOptions = {}): AwsClientConfig {
  const maxAttempts = options.maxAttempts ?? resolveMaxAttempts();
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
    throw new AwsConfigError(`maxAttempts must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  const config: AwsClientConfig = { maxAttempts, retryMode: 'standard' };
  if (options.region) config.region = options.region;
  if (options.retryStrategy) config.retryStrategy = options.retryStrategy(maxAttempts);
  return config;
}

/** POCKETWATCH_AWS_MAX_ATTEMPTS, else 5. A value that is not a whole number 1–20 is an error. */
export function resolveMaxAttempts(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[MAX_ATTEMPTS_ENV]?.trim();
  if (!text) return DEFAULT_MAX_ATTEMPTS;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_ATTEMPTS_LIMIT) {
    throw new AwsConfigError(
      `${MAX_ATTEMPTS_ENV}=${JSON.stringify(text)}: expected a whole number of attempts from 1 to ${MAX_ATTEMPTS_LIMIT}`,
    );
  }
  return value;
}

/**
 * The endpoint override the SDK itself will use from the environment, mirroring its naming:
 * AWS_ENDPOINT_URL_<SERVICE ID IN UPPER SNAKE CASE>, then AWS_ENDPOINT_URL, both ignored when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true. Read only to describe the endpoint and pick the region;
 * the SDK applies the override on its own. (`endpoint_url` in a profile is applied by the SDK too,
 * but not seen here.)
 */
export function endpointOverride(
  serviceId: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  const suffix = serviceId
    .split(' ')
    .map((word) => word.toUpperCase())
    .join('_');
  return env[`AWS_ENDPOINT_URL_${suffix}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** Where Cost Explorer calls go, for messages: the override, else the partition's public endpoint. */
export function costExplorerEndpoint(region?: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = endpointOverride(COST_EXPLORER_SERVICE_ID, env);
  if (override) return override;
  return costExplorerRegion(region) === COST_EXPLORER_CHINA_REGION
    ? 'https://ce.cn-northwest-1.amazonaws.com.cn'
    : 'https://ce.us-east-1.amazonaws.com';
}

/** A metered Cost Explorer client. Every call it makes is counted in `meter` as `ce:Operation`. */
export function createCostExplorerClient(
  meter: ApiMeter,
  options: AwsClientOptions = {},
): CostExplorerClient {
  const config = awsClientConfig(options);
  const override = endpointOverride(COST_EXPLORER_SERVICE_ID);
  // Cost Explorer is served from one region per partition whatever region the user works in; with
  // an endpoint override (LocalStack, a test server) the user's region is kept for signing.
  if (!override) config.region = costExplorerRegion(options.region);
  return meterClient(new CostExplorerClient(config), 'ce', meter);
}

function costExplorerRegion(region: string | undefined): string {
  return region?.startsWith('cn-') ? COST_EXPLORER_CHINA_REGION : COST_EXPLORER_REGION;
}
