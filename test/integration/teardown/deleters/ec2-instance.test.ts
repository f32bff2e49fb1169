import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ec2InstanceDeleter as deleter } from '../../../../src/teardown/deleters/ec2-instance.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { ec2Error, FakeAwsServer } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, expectCode, FINAL_COPY, KEEP, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_EC2: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const ID = 'i-0598c7d356eba48d7';
const ARN = `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${ID}`;

function instances(state: string) {
  return `<DescribeInstancesResponse xmlns="${NS}">
  <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
  <reservationSet><item>
    <reservationId>r-1234567890abcdef0</reservationId>
    <ownerId>${ACCOUNT}</ownerId>
    <instancesSet><item>
      <instanceId>${ID}</instanceId>
      <imageId>ami-0abcdef1234567890</imageId>
      <instanceState><code>16</code><name>${state}</name></instanceState>
      <instanceType>t3.large</instanceType>
      <launchTime>2025-01-10T09:00:00.000Z</launchTime>
      <blockDeviceMapping>
        <item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-049df61146c4d7901</volumeId><status>attached</status><deleteOnTermination>true</deleteOnTermination></ebs></item>
        <item><deviceName>/dev/sdf</deviceName><ebs><volumeId>vol-0b1c2d3e4f5a6b7c8</volumeId><status>attached</status><deleteOnTermination>false</deleteOnTermination></ebs></item>
      </blockDeviceMapping>
      <tagSet>
        <item><key>poc</key><value>checkout</value></item>
        <item><key>Name</key><value>orders-worker</value></item>
      </tagSet>
    </item></instancesSet>
  </item></reservationSet>
</DescribeInstancesResponse>`;
}

function terminationProtection(on: boolean) {
  return `<DescribeInstanceAttributeResponse xmlns="${NS}">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <instanceId>${ID}</instanceId>
  <disableApiTermination><value>${on}</value></disableApiTermination>
</DescribeInstanceAttributeResponse>`;
}

const SNAPSHOTS = [
  { id: 'snap-0a1b2c3d4e5f60001', volume: 'vol-049df61146c4d7901' },
  { id: 'snap-0a1b2c3d4e5f60002', volume: 'vol-0b1c2d3e4f5a6b7c8' },
];

/** The final snapshots DescribeSnapshots finds, in these states; none before CreateSnapshots. */
function describeSnapshots(states: readonly string[] | undefined) {
  const items = (states ? SNAPSHOTS : [])
    .map(
      (snapshot, i) => `<item>
      <snapshotId>${snapshot.id}</snapshotId>
      <volumeId>${snapshot.volume}</volumeId>
      <status>${states?.[i]}</status>
      <startTime>2026-11-20T10:00:00.000Z</startTime>
      <progress>${states?.[i] === 'completed' ? '100%' : '42%'}</progress>
      <ownerId>${ACCOUNT}</ownerId>
      <volumeSize>8</volumeSize>
      <tagSet><item><key>pocketwatch:final-copy</key><value>${FINAL_COPY}</value></item></tagSet>
    </item>`,
    )
    .join('');
  return `<DescribeSnapshotsResponse xmlns="${NS}"><requestId>r-1</requestId><snapshotSet>${items}</snapshotSet></DescribeSnapshotsResponse>`;
}

const created = `<CreateSnapshotsResponse xmlns="${NS}">
  <requestId>6a4bf6a3-5a8d-4e3e-8d6f-example</requestId>
  <snapshotSet>${SNAPSHOTS.map(
    (snapshot) => `<item>
      <snapshotId>${snapshot.id}</snapshotId>
      <volumeId>${snapshot.volume}</volumeId>
      <state>pending</state>
      <progress></progress>
      <startTime>2026-11-20T10:00:00.000Z</startTime>
      <ownerId>${ACCOUNT}</ownerId>
      <volumeSize>8</volumeSize>
    </item>`,
  ).join('')}</snapshotSet>
</CreateSnapshotsResponse>`;

const terminated = `<TerminateInstancesResponse xmlns="${NS}">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <instancesSet><item>
    <instanceId>${ID}</instanceId>
    <currentState><code>32</code><name>shutting-down</name></currentState>
    <previousState><code>16</code><name>running</name></previousState>
  </item></instancesSet>
</TerminateInstancesResponse>`;

describe('EC2 instance deleter', () => {
  it('describes an instance with its tags, termination protection, type and launch time', async () => {
    server
      .on('DescribeInstances', () => ({ body: instances('running') }))
      .on('DescribeInstanceAttribute', () => ({ body: terminationProtection(true) }));
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', Name: 'orders-worker' },
      protection: 'termination protection is on',
      state: { createdAt: '2025-01-10T09:00:00.000Z', instanceType: 't3.large' },
    });
    expect(server.calls('DescribeInstances')[0]?.body).toEqual({
      Action: 'DescribeInstances',
      Version: '2016-11-15',
      'InstanceId.1': ID,
    });
    expect(server.calls('DescribeInstanceAttribute')[0]?.body).toEqual({
      Action: 'DescribeInstanceAttribute',
      Version: '2016-11-15',
      InstanceId: ID,
      Attribute: 'disableApiTermination',
    });
    clients.destroy();
  });

  it('reports shutting-down as deleting; terminated and unknown instances as gone', async () => {
    server
      .on('DescribeInstances', (_request, index) =>
        index === 0
          ? { body: instances('shutting-down') }
          : index === 1
            ? { body: instances('terminated') }
            : ec2Error(400, 'InvalidInstanceID.NotFound', `The instance ID '${ID}' does not exist`),
      )
      .on('DescribeInstanceAttribute', () => ({ body: terminationProtection(false) }));
    const clients = clientPool();
    const shuttingDown = await deleter.describe(clients, target(ARN));
    expect(shuttingDown.status).toBe('deleting');
    expect(shuttingDown.protection).toBeUndefined();
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('snapshots every volume once, tagged, waits for all to complete, then terminates', async () => {
    let states: string[] | undefined;
    server
      .on('DescribeSnapshots', () => ({ body: describeSnapshots(states) }))
      .on('CreateSnapshots', () => {
        states = ['pending', 'pending'];
        return { body: created };
      })
      .on('TerminateInstances', () => ({ body: terminated }));
    const clients = clientPool();
    const kept = 'snap-0a1b2c3d4e5f60001, snap-0a1b2c3d4e5f60002';

    const first = await deleter.delete(clients, target(ARN), KEEP);
    expect(first).toEqual({
      kept,
      waitingFor: 'snapshot snap-0a1b2c3d4e5f60001 (0%), snapshot snap-0a1b2c3d4e5f60002 (0%)',
    });
    expect(server.calls('DescribeSnapshots')[0]?.body).toEqual({
      Action: 'DescribeSnapshots',
      Version: '2016-11-15',
      'Owner.1': 'self',
      'Filter.1.Name': 'tag:pocketwatch:final-copy',
      'Filter.1.Value.1': FINAL_COPY,
    });
    expect(server.calls('CreateSnapshots')[0]?.body).toEqual({
      Action: 'CreateSnapshots',
      Version: '2016-11-15',
      'InstanceSpecification.InstanceId': ID,
      'InstanceSpecification.ExcludeBootVolume': 'false',
      Description: `pocketwatch final snapshot of ${ID} before teardown`,
      'TagSpecification.1.ResourceType': 'snapshot',
      'TagSpecification.1.Tag.1.Key': 'pocketwatch:final-copy',
      'TagSpecification.1.Tag.1.Value': FINAL_COPY,
      'TagSpecification.1.Tag.2.Key': 'pocketwatch:source',
      'TagSpecification.1.Tag.2.Value': ARN,
    });

    // One of two done: still waiting, and no second snapshot set.
    states = ['completed', 'pending'];
    expect(await deleter.delete(clients, target(ARN), KEEP)).toEqual({
      kept,
      waitingFor: 'snapshot snap-0a1b2c3d4e5f60002 (42%)',
    });
    states = ['completed', 'completed'];
    expect(await deleter.delete(clients, target(ARN), KEEP)).toEqual({ kept });
    expect(server.calls('CreateSnapshots')).toHaveLength(1);
    expect(server.calls('TerminateInstances').map((call) => call.body)).toEqual([
      { Action: 'TerminateInstances', Version: '2016-11-15', 'InstanceId.1': ID },
    ]);
    clients.destroy();
  });

  it('fails rather than terminating when a final snapshot failed', async () => {
    server.on('DescribeSnapshots', () => ({ body: describeSnapshots(['completed', 'error']) }));
    const clients = clientPool();
    await expect(deleter.delete(clients, target(ARN), KEEP)).rejects.toThrow(
      /snap-0a1b2c3d4e5f60002 .* failed/,
    );
    expect(server.calls('TerminateInstances')).toHaveLength(0);
    clients.destroy();
  });

  it('terminates without snapshots when data is not kept', async () => {
    server.on('TerminateInstances', (_request, index) =>
      index === 0 ? { body: terminated } : ec2Error(400, 'InvalidInstanceID.NotFound', 'does not exist'),
    );
    const clients = clientPool();
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(server.requests.map((request) => request.operation)).toEqual(['TerminateInstances']);
    await expectCode(deleter, 'notFound', deleter.delete(clients, target(ARN), DISCARD));
    clients.destroy();
  });
});
