import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stateMachineDeleter as deleter } from '../../../../src/teardown/deleters/step-functions-state-machine.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { awsJsonError, FakeAwsServer } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, expectCode, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_SFN: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const ARN = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:order-workflow`;

function machine(status: string) {
  return {
    body: {
      stateMachineArn: ARN,
      name: 'order-workflow',
      status,
      definition: '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/order-workflow`,
      type: 'STANDARD',
      creationDate: 1736499600,
    },
  };
}

describe('Step Functions state machine deleter', () => {
  it('describes the machine with its tags and creation date, then as deleting, then gone', async () => {
    server
      .on('DescribeStateMachine', (_request, index) =>
        index === 0
          ? machine('ACTIVE')
          : index === 1
            ? machine('DELETING')
            : awsJsonError(400, 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${ARN}'`),
      )
      .on('ListTagsForResource', () => ({
        body: {
          tags: [
            { key: 'poc', value: 'checkout' },
            { key: 'owner', value: 'dana@example.com' },
          ],
        },
      }));
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
      state: { createdAt: '2025-01-10T09:00:00.000Z' },
    });
    expect((await deleter.describe(clients, target(ARN))).status).toBe('deleting');
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    expect(server.calls('DescribeStateMachine')[0]?.body).toEqual({ stateMachineArn: ARN });
    expect(server.calls('ListTagsForResource')[0]?.body).toEqual({ resourceArn: ARN });
    clients.destroy();
  });

  it('deletes the machine by ARN', async () => {
    server.on('DeleteStateMachine', (_request, index) =>
      index === 0
        ? { body: {} }
        : awsJsonError(400, 'StateMachineDoesNotExist', 'State Machine Does Not Exist'),
    );
    const clients = clientPool();
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(server.calls('DeleteStateMachine')[0]?.body).toEqual({ stateMachineArn: ARN });
    await expectCode(deleter, 'notFound', deleter.delete(clients, target(ARN), DISCARD));
    clients.destroy();
  });
});
