/**
 * The meter learns each attempt's outcome: a throttled attempt is counted (it reached AWS) but not
 * priced (AWS does not bill it), over the real SDK's retries against the fake endpoint.
 */
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { createCostExplorerClient } from '../../../src/aws/aws-clients.js';
import { CircuitBreaker } from '../../../src/aws/circuit-breaker.js';
import { parseMoney } from '../../../src/core/money.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';

let server: FakeAwsServer;
let restore: () => void;

const QUERY = {
  TimePeriod: { Start: '2026-11-01', End: '2026-11-02' },
  Granularity: 'DAILY' as const,
  Metrics: ['UnblendedCost'],
};

beforeAll(async () => {
  server = new FakeAwsServer();
  restore = useFakeAwsEnv({ AWS_ENDPOINT_URL: await server.start() });
});

beforeEach(() => {
  server.reset();
  server.on('GetCostAndUsage', () => ({ body: { ResultsByTime: [], GroupDefinitions: [] } }));
});

afterAll(async () => {
  restore();
  await server.stop();
});

/** The SDK's standard retry decisions, without the seconds of backoff. */
const fastRetries = (maxAttempts: number) => new ConfiguredRetryStrategy(maxAttempts, () => 1);

describe('the meter and throttling', () => {
  it('counts two throttled attempts and the one that succeeded, and prices only that one', async () => {
    server.fault('GetCostAndUsage', 'throttle', { times: 2 });
    const meter = new ApiMeter();
    const client = createCostExplorerClient(meter, { maxAttempts: 3, retryStrategy: fastRetries });
    await client.send(new GetCostAndUsageCommand(QUERY));
    client.destroy();
    expect(server.calls('GetCostAndUsage')).toHaveLength(3);
    expect(meter.counts()).toEqual({ 'ce:GetCostAndUsage': 3 });
    expect(meter.throttled()).toEqual({ 'ce:GetCostAndUsage': 2 });
    expect(meter.cost()).toBe(parseMoney('0.01'));
  });

  it('prices a server error, which AWS does not classify as throttling', async () => {
    server.fault('GetCostAndUsage', 'server-error', { times: 1 });
    const meter = new ApiMeter();
    const client = createCostExplorerClient(meter, { maxAttempts: 2, retryStrategy: fastRetries });
    await client.send(new GetCostAndUsageCommand(QUERY));
    client.destroy();
    expect(meter.counts()).toEqual({ 'ce:GetCostAndUsage': 2 });
    expect(meter.throttled()).toEqual({});
    expect(meter.cost()).toBe(parseMoney('0.02'));
  });
});

describe('the circuit breaker on a metered client', () => {
  it('stops calling after three final failures, and fails fast with "circuit open"', async () => {
    server.fault('GetCostAndUsage', 'throttle');
    const meter = new ApiMeter({ breaker: new CircuitBreaker(3) });
    const client = createCostExplorerClient(meter, { maxAttempts: 2, retryStrategy: fastRetries });
    const errors: string[] = [];
    for (let call = 0; call < 6; call++) {
      await client
        .send(new GetCostAndUsageCommand(QUERY))
        .catch((error: Error) => errors.push(error.message));
    }
    client.destroy();
    expect(errors).toHaveLength(6);
    // Three calls of two attempts each reach the endpoint; the other three never leave the process.
    expect(server.calls('GetCostAndUsage')).toHaveLength(6);
    expect(meter.counts()).toEqual({ 'ce:GetCostAndUsage': 6 });
    expect(meter.cost()).toBe(0n);
    expect(errors.slice(3)).toEqual(
      Array(3).fill(
        'ce:GetCostAndUsage in us-east-1 not called: circuit open after 3 consecutive failures (last: ThrottlingException)',
      ),
    );
    expect(meter.breaker?.openCircuits()).toEqual(['ce:GetCostAndUsage@us-east-1']);
  });

  it('is not opened by failures a success interrupts', async () => {
    let index = 0;
    server.on('GetCostAndUsage', () => {
      index += 1;
      return index % 3 === 0
        ? { body: { ResultsByTime: [], GroupDefinitions: [] } }
        : { status: 500, body: { __type: 'InternalServiceException', message: 'boom' } };
    });
    const meter = new ApiMeter({ breaker: new CircuitBreaker(3) });
    const client = createCostExplorerClient(meter, { maxAttempts: 1 });
    for (let call = 0; call < 9; call++) await client.send(new GetCostAndUsageCommand(QUERY)).catch(() => {});
    client.destroy();
    expect(server.calls('GetCostAndUsage')).toHaveLength(9);
    expect(meter.breaker?.openCircuits()).toEqual([]);
  });
});
