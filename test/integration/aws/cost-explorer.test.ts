import { createServer } from 'node:net';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { type AwsClientOptions, createCostExplorerClient } from '../../../src/aws/aws-clients.js';
import { AwsCallError } from '../../../src/aws/aws-errors.js';
import { CostExplorerSource } from '../../../src/sources/cost-explorer-source.js';
import { awsJsonError, FakeAwsServer } from '../../support/fake-aws-server.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const QUERY = { tagKey: 'poc', start: '2026-11-01', end: '2026-11-04' };

const ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_COST_EXPLORER',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_PROFILE',
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
  'POCKETWATCH_AWS_MAX_ATTEMPTS',
];

let server: FakeAwsServer;
let saved: Record<string, string | undefined>;

beforeEach(async () => {
  saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  for (const key of ENV_KEYS) delete process.env[key];
  server = new FakeAwsServer();
  process.env.AWS_ENDPOINT_URL_COST_EXPLORER = await server.start();
  process.env.AWS_ACCESS_KEY_ID = 'AKIDFAKEFAKEFAKE';
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
  process.env.AWS_REGION = 'us-east-1';
});

afterEach(async () => {
  await server.stop();
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

/** The SDK's standard strategy without its backoff delays, recording how each error was classified. */
class FastRetryStrategy extends ConfiguredRetryStrategy {
  constructor(
    maxAttempts: number,
    private readonly classified: string[],
  ) {
    super(maxAttempts, () => 1);
  }

  override refreshRetryTokenForRetry(
    token: StandardRetryToken,
    info: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    this.classified.push(info.errorType);
    return super.refreshRetryTokenForRetry(token, info);
  }
}

function fastRetries(classified: string[]): AwsClientOptions['retryStrategy'] {
  return (maxAttempts) => new FastRetryStrategy(maxAttempts, classified);
}

function liveSource(meter: ApiMeter, options: AwsClientOptions = {}) {
  return new CostExplorerSource({
    client: createCostExplorerClient(meter, options),
    meter,
    accountId: '111122223333',
    now: () => NOW,
  });
}

function day(date: string, groups: Array<[string, string, string]>, estimated = false) {
  return {
    TimePeriod: {
      Start: date,
      End: `${date.slice(0, 8)}${String(Number(date.slice(8)) + 1).padStart(2, '0')}`,
    },
    Total: {},
    Groups: groups.map(([tag, service, amount]) => ({
      Keys: [tag, service],
      Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } },
    })),
    Estimated: estimated,
  };
}

const GROUP_DEFINITIONS = [
  { Type: 'TAG', Key: 'poc' },
  { Type: 'DIMENSION', Key: 'SERVICE' },
];

describe('Cost Explorer over HTTP with the real SDK', () => {
  it('follows NextPageToken across 3 pages and sends the grouped daily query', async () => {
    const pages = [
      {
        ResultsByTime: [day('2026-11-01', [['poc$checkout', 'AWS Lambda', '40.3543773134']])],
        NextPageToken: 'token-2',
      },
      {
        ResultsByTime: [
          day('2026-11-01', [['poc$', 'AWS Lambda', '1.5']]),
          day('2026-11-02', [['poc$a$b', 'Amazon DynamoDB', '0.0000023487']]),
        ],
        NextPageToken: 'token-3',
      },
      { ResultsByTime: [day('2026-11-03', [['poc$checkout', 'AWS Lambda', '2']], true)] },
    ];
    server.on('GetCostAndUsage', (_request, index) => ({
      body: { GroupDefinitions: GROUP_DEFINITIONS, DimensionValueAttributes: [], ...pages[index] },
    }));
    const meter = new ApiMeter();
    const dataset = await liveSource(meter).load(QUERY);

    const sent = server.calls('GetCostAndUsage').map((request) => request.body);
    expect(sent).toHaveLength(3);
    for (const body of sent) {
      expect(body).toMatchObject({
        TimePeriod: { Start: '2026-11-01', End: '2026-11-04' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: GROUP_DEFINITIONS,
      });
    }
    expect(sent.map((body) => body.NextPageToken)).toEqual([undefined, 'token-2', 'token-3']);
    expect(server.calls('GetCostAndUsage')[0]?.headers['x-amz-target']).toBe(
      'AWSInsightsIndexService.GetCostAndUsage',
    );

    expect(dataset.rows.map((row) => [row.date, row.poc, row.service, row.account, row.estimated])).toEqual([
      ['2026-11-01', 'checkout', 'AWS Lambda', '111122223333', false],
      ['2026-11-01', null, 'AWS Lambda', '111122223333', false],
      ['2026-11-02', 'a$b', 'Amazon DynamoDB', '111122223333', false],
      ['2026-11-03', 'checkout', 'AWS Lambda', '111122223333', true],
    ]);
    expect(dataset.currency).toBe('USD');
    expect(dataset.apiCalls).toEqual({ 'ce:GetCostAndUsage': 3 });
    expect(meter.counts()).toEqual({ 'ce:GetCostAndUsage': 3 });
  });

  it('retries a LimitExceededException as throttling and counts both attempts', async () => {
    server.on('GetCostAndUsage', (_request, index) =>
      index === 0
        ? awsJsonError(400, 'LimitExceededException', 'Rate exceeded')
        : {
            body: {
              GroupDefinitions: GROUP_DEFINITIONS,
              ResultsByTime: [day('2026-11-01', [['poc$a', 'AWS Lambda', '1']])],
            },
          },
    );
    const classified: string[] = [];
    const meter = new ApiMeter();
    const dataset = await liveSource(meter, { retryStrategy: fastRetries(classified) }).load(QUERY);
    expect(classified).toEqual(['THROTTLING']);
    expect(dataset.rows).toHaveLength(1);
    expect(dataset.apiCalls).toEqual({ 'ce:GetCostAndUsage': 2 });
    expect(server.calls('GetCostAndUsage')).toHaveLength(2);
  });

  it('retries a LimitExceededException with the SDK standard strategy as configured for users', async () => {
    server.on('GetCostAndUsage', (_request, index) =>
      index === 0
        ? awsJsonError(400, 'LimitExceededException', 'Rate exceeded')
        : { body: { GroupDefinitions: GROUP_DEFINITIONS, ResultsByTime: [] } },
    );
    const meter = new ApiMeter();
    // The standard strategy's first throttling backoff is a random delay below one second.
    const dataset = await liveSource(meter).load(QUERY);
    expect(dataset.apiCalls).toEqual({ 'ce:GetCostAndUsage': 2 });
  });

  it('fails with a clear message after POCKETWATCH_AWS_MAX_ATTEMPTS throttled attempts', async () => {
    process.env.POCKETWATCH_AWS_MAX_ATTEMPTS = '3';
    server.on('GetCostAndUsage', () => awsJsonError(400, 'LimitExceededException', 'Rate exceeded'));
    const meter = new ApiMeter();
    const error = await liveSource(meter, { retryStrategy: fastRetries([]) })
      .load(QUERY)
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toBe(
      'Cost Explorer throttled ce:GetCostAndUsage (LimitExceededException) and it still failed after 3 attempts; wait a few minutes and run again, or raise POCKETWATCH_AWS_MAX_ATTEMPTS',
    );
    expect((error as AwsCallError).attempts).toBe(3);
    expect(server.calls('GetCostAndUsage')).toHaveLength(3);
    expect(meter.counts()).toEqual({ 'ce:GetCostAndUsage': 3 });
  });

  it('names the IAM action on AccessDeniedException, without retrying', async () => {
    server.on('GetCostAndUsage', () =>
      awsJsonError(
        400,
        'AccessDeniedException',
        'User: arn:aws:iam::111122223333:user/dev is not authorized to perform: ce:GetCostAndUsage on resource: arn:aws:ce:us-east-1:111122223333:/GetCostAndUsage',
      ),
    );
    const error = await liveSource(new ApiMeter(), { retryStrategy: fastRetries([]) })
      .load(QUERY)
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toMatch(
      /^missing IAM permission ce:GetCostAndUsage \(AccessDeniedException: User: arn:aws:iam::111122223333:user\/dev is not authorized/,
    );
    expect(server.calls('GetCostAndUsage')).toHaveLength(1);
  });

  it('names the endpoint when nothing listens there', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    process.env.AWS_ENDPOINT_URL_COST_EXPLORER = `http://127.0.0.1:${closedPort}`;
    process.env.POCKETWATCH_AWS_MAX_ATTEMPTS = '2';
    const error = await liveSource(new ApiMeter(), { retryStrategy: fastRetries([]) })
      .load(QUERY)
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toMatch(
      new RegExp(
        `^could not reach http://127\\.0\\.0\\.1:${closedPort} for ce:GetCostAndUsage \\(ECONNREFUSED`,
      ),
    );
  });
});
