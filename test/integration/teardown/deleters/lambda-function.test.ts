import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../../src/aws/api-meter.js';
import { lambdaFunctionDeleter as deleter } from '../../../../src/teardown/deleters/lambda-function.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { FakeAwsServer, restJsonError } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, expectCode, target } from './harness.js';

// Lambda speaks REST-JSON: GET/DELETE /2015-03-31/functions/{name}, no request body.
let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_LAMBDA: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-handler`;
const PATH = '/2015-03-31/functions/orders-handler';

function getFunction(state: string) {
  return {
    body: {
      Configuration: {
        FunctionName: 'orders-handler',
        FunctionArn: ARN,
        Runtime: 'nodejs20.x',
        State: state,
        LastModified: '2025-01-10T09:00:00.000+0000',
      },
      Code: { RepositoryType: 'S3', Location: 'https://example.com/code.zip' },
      Tags: { poc: 'checkout', owner: 'dana@example.com' },
    },
  };
}

describe('Lambda function deleter', () => {
  it('describes a function with its tags, and one being deleted', async () => {
    server.on(`GET ${PATH}`, (_request, index) => getFunction(index === 0 ? 'Active' : 'Deleting'));
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
    });
    expect((await deleter.describe(clients, target(ARN))).status).toBe('deleting');
    clients.destroy();
  });

  it('reports a function Lambda does not know as gone', async () => {
    server.on(`GET ${PATH}`, () =>
      restJsonError(404, 'ResourceNotFoundException', `Function not found: ${ARN}`),
    );
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('deletes the function by name, and its errors carry the codes the executor matches', async () => {
    server.on(`DELETE ${PATH}`, (_request, index) =>
      index === 0
        ? { status: 204 }
        : index === 1
          ? restJsonError(409, 'ResourceConflictException', 'An update is in progress for resource')
          : restJsonError(404, 'ResourceNotFoundException', `Function not found: ${ARN}`),
    );
    const meter = new ApiMeter();
    const clients = clientPool(meter);
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(server.calls(`DELETE ${PATH}`)).toHaveLength(1);
    expect(server.calls(`DELETE ${PATH}`)[0]?.text).toBe('');
    await expectCode(deleter, 'dependency', deleter.delete(clients, target(ARN), DISCARD));
    await expectCode(deleter, 'notFound', deleter.delete(clients, target(ARN), DISCARD));
    expect(meter.counts()).toEqual({ 'lambda:DeleteFunction': 3 });
    clients.destroy();
  });
});
