import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import {
  AwsConfigError,
  awsClientConfig,
  costExplorerEndpoint,
  createCostExplorerClient,
  DEFAULT_MAX_ATTEMPTS,
  endpointOverride,
  resolveMaxAttempts,
} from '../../../src/aws/aws-clients.js';

const ENV_KEYS = [
  'POCKETWATCH_AWS_MAX_ATTEMPTS',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_COST_EXPLORER',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_REGION',
];
let saved: Record<string, string | undefined> = {};

beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  for (const key of ENV_KEYS) delete process.env[key];
});

afterEach(() => {
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe('awsClientConfig', () => {
  it('uses standard retries with 5 attempts and leaves region and credentials to the SDK', () => {
    expect(awsClientConfig()).toEqual({ maxAttempts: DEFAULT_MAX_ATTEMPTS, retryMode: 'standard' });
    expect(DEFAULT_MAX_ATTEMPTS).toBe(5);
    expect(awsClientConfig({ region: 'eu-west-1', maxAttempts: 2 })).toEqual({
      region: 'eu-west-1',
      maxAttempts: 2,
      retryMode: 'standard',
    });
  });

  it('reads POCKETWATCH_AWS_MAX_ATTEMPTS and rejects nonsense', () => {
    expect(resolveMaxAttempts({ POCKETWATCH_AWS_MAX_ATTEMPTS: '3' })).toBe(3);
    expect(resolveMaxAttempts({ POCKETWATCH_AWS_MAX_ATTEMPTS: ' ' })).toBe(5);
    for (const bad of ['0', '-1', '2.5', 'many', '99']) {
      expect(() => resolveMaxAttempts({ POCKETWATCH_AWS_MAX_ATTEMPTS: bad })).toThrow(AwsConfigError);
    }
    process.env.POCKETWATCH_AWS_MAX_ATTEMPTS = '2';
    expect(awsClientConfig().maxAttempts).toBe(2);
  });

  it('builds a replacement retry strategy from the resolved attempt budget', () => {
    const budgets: number[] = [];
    const config = awsClientConfig({
      maxAttempts: 4,
      retryStrategy: (maxAttempts) => {
        budgets.push(maxAttempts);
        return {
          acquireInitialRetryToken: async () => ({ getRetryCount: () => 0, getRetryDelay: () => 0 }),
          refreshRetryTokenForRetry: async () => {
            throw new Error('no retry');
          },
          recordSuccess: () => undefined,
        };
      },
    });
    expect(budgets).toEqual([4]);
    expect(config.retryStrategy).toBeDefined();
  });
});

describe('endpoints', () => {
  it('mirrors the SDK naming of endpoint overrides', () => {
    expect(endpointOverride('Cost Explorer', {})).toBeUndefined();
    expect(endpointOverride('Cost Explorer', { AWS_ENDPOINT_URL: 'http://all' })).toBe('http://all');
    expect(
      endpointOverride('Cost Explorer', {
        AWS_ENDPOINT_URL: 'http://all',
        AWS_ENDPOINT_URL_COST_EXPLORER: 'http://ce',
      }),
    ).toBe('http://ce');
    expect(
      endpointOverride('Resource Groups Tagging API', {
        AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: 'http://tag',
      }),
    ).toBe('http://tag');
    expect(
      endpointOverride('Cost Explorer', {
        AWS_ENDPOINT_URL: 'http://all',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }),
    ).toBeUndefined();
    expect(costExplorerEndpoint(undefined, {})).toBe('https://ce.us-east-1.amazonaws.com');
    expect(costExplorerEndpoint('cn-north-1', {})).toBe('https://ce.cn-northwest-1.amazonaws.com.cn');
    expect(costExplorerEndpoint(undefined, { AWS_ENDPOINT_URL_COST_EXPLORER: 'http://ce' })).toBe(
      'http://ce',
    );
  });

  it('creates the Cost Explorer client in us-east-1 whatever region the user works in', async () => {
    process.env.AWS_REGION = 'eu-central-1';
    const client = createCostExplorerClient(new ApiMeter(), { region: 'eu-central-1' });
    expect(await client.config.region()).toBe('us-east-1');
    expect(await client.config.maxAttempts()).toBe(5);
    expect(((await client.config.retryStrategy()) as { mode?: string }).mode).toBe('standard');
    expect(client.middlewareStack.identify().some((entry) => entry.startsWith('pocketwatchApiMeter'))).toBe(
      true,
    );
    client.destroy();
  });

  it('keeps the user region when the endpoint is overridden (LocalStack, test servers)', async () => {
    process.env.AWS_REGION = 'eu-central-1';
    process.env.AWS_ENDPOINT_URL_COST_EXPLORER = 'http://127.0.0.1:1';
    const client = createCostExplorerClient(new ApiMeter());
    expect(await client.config.region()).toBe('eu-central-1');
    client.destroy();
  });
});
