import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sagemakerEndpointDeleter as deleter } from '../../../../src/teardown/deleters/sagemaker-endpoint.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { awsJsonError, FakeAwsServer } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, failure, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_SAGEMAKER: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/fraud-scorer`;
const MISSING = awsJsonError(400, 'ValidationException', `Could not find endpoint "${ARN}".`);

function endpoint(status: string) {
  return {
    body: {
      EndpointName: 'fraud-scorer',
      EndpointArn: ARN,
      EndpointConfigName: 'fraud-scorer-config',
      ProductionVariants: [
        { VariantName: 'AllTraffic', CurrentInstanceCount: 2, DesiredInstanceCount: 2, CurrentWeight: 1 },
        { VariantName: 'Shadow', CurrentInstanceCount: 1, DesiredInstanceCount: 1, CurrentWeight: 0 },
      ],
      EndpointStatus: status,
      CreationTime: 1736499600,
      LastModifiedTime: 1736499700,
    },
  };
}

describe('SageMaker endpoint deleter', () => {
  it('describes the endpoint with all its tags (paginated), instance count and creation date', async () => {
    server
      .on('DescribeEndpoint', () => endpoint('InService'))
      .on('ListTags', (request) =>
        request.body.NextToken === 'next'
          ? { body: { Tags: [{ Key: 'owner', Value: 'dana@example.com' }] } }
          : { body: { Tags: [{ Key: 'poc', Value: 'fraud' }], NextToken: 'next' } },
      );
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({
      status: 'present',
      tags: { poc: 'fraud', owner: 'dana@example.com' },
      state: { createdAt: '2025-01-10T09:00:00.000Z', instanceCount: 3 },
    });
    expect(server.calls('DescribeEndpoint')[0]?.body).toEqual({ EndpointName: 'fraud-scorer' });
    expect(server.calls('ListTags').map((call) => call.body)).toEqual([
      { ResourceArn: ARN },
      { ResourceArn: ARN, NextToken: 'next' },
    ]);
    clients.destroy();
  });

  it('reports a Deleting endpoint as deleting and "Could not find endpoint" as gone', async () => {
    server
      .on('DescribeEndpoint', (_request, index) => (index === 0 ? endpoint('Deleting') : MISSING))
      .on('ListTags', () => ({ body: { Tags: [] } }));
    const clients = clientPool();
    expect((await deleter.describe(clients, target(ARN))).status).toBe('deleting');
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('deletes the endpoint; deleting it again is not an error, other validation errors are', async () => {
    server.on('DeleteEndpoint', (_request, index) =>
      index === 0
        ? { body: {} }
        : index === 1
          ? MISSING
          : awsJsonError(400, 'ValidationException', 'Endpoint name is not valid'),
    );
    const clients = clientPool();
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(server.calls('DeleteEndpoint')[0]?.body).toEqual({ EndpointName: 'fraud-scorer' });
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect((await failure(deleter.delete(clients, target(ARN), DISCARD))).code).toBe('ValidationException');
    clients.destroy();
  });

  it('does not take every ValidationException for gone', async () => {
    server.on('DescribeEndpoint', () =>
      awsJsonError(400, 'ValidationException', 'Endpoint name is not valid'),
    );
    const clients = clientPool();
    expect((await failure(deleter.describe(clients, target(ARN)))).code).toBe('ValidationException');
    clients.destroy();
  });
});
