import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiIdOf, httpApiDeleter, restApiDeleter } from '../../../../src/teardown/deleters/api-gateway.js';
import { deleterFor } from '../../../../src/teardown/deleters.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { FakeAwsServer, restJsonError } from '../../../support/fake-aws-server.js';
import { clientPool, DISCARD, expectCode, target } from './harness.js';

// API Gateway v1 and v2 both speak REST-JSON; one fake endpoint serves both services.
let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  const endpoint = await server.start();
  restoreEnv = useFakeAwsEnv({
    AWS_ENDPOINT_URL_API_GATEWAY: endpoint,
    AWS_ENDPOINT_URL_APIGATEWAYV2: endpoint,
  });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const REST_ARN = 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5';
const HTTP_ARN = 'arn:aws:apigateway:eu-west-1::/apis/f6g7h8i9j0';

describe('API Gateway targets', () => {
  it('derive the API id from the ARN path and find their deleter', () => {
    expect(target(REST_ARN).id).toBe('/restapis/a1b2c3d4e5');
    expect(apiIdOf(target(REST_ARN).id)).toBe('a1b2c3d4e5');
    expect(apiIdOf(target(HTTP_ARN).id)).toBe('f6g7h8i9j0');
    expect(() => apiIdOf('/restapis/a1b2c3d4e5/stages/prod')).toThrow(/not an API Gateway API/);
    expect(deleterFor(target(REST_ARN))).toBe(restApiDeleter);
    expect(deleterFor(target(HTTP_ARN))).toBe(httpApiDeleter);
  });
});

describe('REST API deleter', () => {
  it('describes the API with its tags and creation date, and reports an unknown one as gone', async () => {
    server.on('GET /restapis/a1b2c3d4e5', (_request, index) =>
      index === 0
        ? {
            body: {
              id: 'a1b2c3d4e5',
              name: 'orders',
              createdDate: 1736499600,
              endpointConfiguration: { types: ['REGIONAL'] },
              tags: { poc: 'checkout' },
            },
          }
        : restJsonError(404, 'NotFoundException', 'Invalid API identifier specified'),
    );
    const clients = clientPool();
    expect(await restApiDeleter.describe(clients, target(REST_ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout' },
      state: { createdAt: '2025-01-10T09:00:00.000Z' },
    });
    expect(await restApiDeleter.describe(clients, target(REST_ARN))).toEqual({ status: 'gone', tags: {} });
    // Signed for the ARN's region, the client the pool built for it.
    expect(server.calls('GET /restapis/a1b2c3d4e5')[0]?.headers.authorization).toContain(
      '/eu-west-1/apigateway/',
    );
    clients.destroy();
  });

  it('deletes the API, and says "not yet" while API Gateway throttles deletions', async () => {
    server.on('DELETE /restapis/a1b2c3d4e5', (_request, index) =>
      index === 0
        ? { status: 202 }
        : index === 1
          ? restJsonError(429, 'TooManyRequestsException', 'Too Many Requests')
          : restJsonError(404, 'NotFoundException', 'Invalid API identifier specified'),
    );
    const clients = clientPool();
    expect(await restApiDeleter.delete(clients, target(REST_ARN), DISCARD)).toEqual({});
    await expectCode(restApiDeleter, 'dependency', restApiDeleter.delete(clients, target(REST_ARN), DISCARD));
    await expectCode(restApiDeleter, 'notFound', restApiDeleter.delete(clients, target(REST_ARN), DISCARD));
    clients.destroy();
  });
});

describe('HTTP API deleter', () => {
  it('describes the API with its tags and creation date, and reports an unknown one as gone', async () => {
    server.on('GET /v2/apis/f6g7h8i9j0', (_request, index) =>
      index === 0
        ? {
            body: {
              apiId: 'f6g7h8i9j0',
              name: 'orders-http',
              protocolType: 'HTTP',
              createdDate: '2025-02-01T00:00:00Z',
              tags: { poc: 'checkout', team: 'payments' },
            },
          }
        : restJsonError(404, 'NotFoundException', 'Invalid API identifier specified f6g7h8i9j0'),
    );
    const clients = clientPool();
    expect(await httpApiDeleter.describe(clients, target(HTTP_ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', team: 'payments' },
      state: { createdAt: '2025-02-01T00:00:00.000Z' },
    });
    expect(await httpApiDeleter.describe(clients, target(HTTP_ARN))).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('deletes the API by id', async () => {
    server.on('DELETE /v2/apis/f6g7h8i9j0', (_request, index) =>
      index === 0 ? { status: 204 } : restJsonError(404, 'NotFoundException', 'Invalid API identifier'),
    );
    const clients = clientPool();
    expect(await httpApiDeleter.delete(clients, target(HTTP_ARN), DISCARD)).toEqual({});
    expect(server.calls('DELETE /v2/apis/f6g7h8i9j0')).toHaveLength(1);
    await expectCode(httpApiDeleter, 'notFound', httpApiDeleter.delete(clients, target(HTTP_ARN), DISCARD));
    // Counted under the IAM action it needs (there is no apigatewayv2 IAM prefix).
    expect(clients.meter.counts()).toEqual({ 'apigateway:DeleteApi': 2 });
    clients.destroy();
  });
});
