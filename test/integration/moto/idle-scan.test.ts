/**
 * `pocketwatch run --source aws` against real resources in moto: the Tagging API lists what carries
 * the PoC tag, EC2 describes say what is attached, and CloudWatch answers GetMetricData from the
 * datapoints put into it. Costs come from the fake Cost Explorer (moto does not page or mark days
 * Estimated). The scan must propose the idle resources and none of the busy or protected ones.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';
import { MOTO_ACCOUNT, type MotoServer, motoEndpoints, startMoto } from '../../support/moto.js';
import { emptyCostPages } from './cost-pages.js';
import { MotoAccount } from './moto-account.js';

const POC = 'chatbot-poc';
const tags = { poc: POC };

let moto: MotoServer;
let fakeAws: FakeAwsServer;
let account: MotoAccount;
let restoreEnv: () => void;
let dir: string;
const idle: Record<string, string> = {};
const busy: Record<string, string> = {};

beforeAll(async () => {
  // Resources look 60 days old: older than every idle window, so they are judged.
  moto = await startMoto({ clockBehindDays: 60 });
  fakeAws = new FakeAwsServer().on('GetCostAndUsage', emptyCostPages());
  restoreEnv = useFakeAwsEnv({
    ...motoEndpoints(moto, await fakeAws.start()),
    POCKETWATCH_AWS_MAX_ATTEMPTS: '1',
  });
  account = new MotoAccount(moto.endpoint);

  const natIdle = await account.natGateway(tags);
  const natBusy = await account.natGateway(tags);
  const volumeIdle = await account.volume(tags);
  const volumeAttached = await account.volume(tags);
  const instanceIdle = await account.instance(tags);
  const instanceBusy = await account.instance(tags);
  await account.attach(volumeAttached.id, instanceBusy.id);
  const dbIdle = await account.dbInstance('chatbot-idle-db', tags);
  const dbBusy = await account.dbInstance('chatbot-busy-db', tags);
  const tableIdle = await account.table('chatbot-idle-table', tags);
  const tableBusy = await account.table('chatbot-busy-table', tags);
  const functionIdle = await account.lambdaFunction('chatbot-idle-fn', tags);
  const functionBusy = await account.lambdaFunction('chatbot-busy-fn', tags);
  const functionProtected = await account.lambdaFunction('chatbot-keep-fn', {
    ...tags,
    'pocketwatch:protect': 'true',
  });
  const queueIdle = await account.queue('chatbot-idle-queue', tags);
  const queueBusy = await account.queue('chatbot-busy-queue', tags);
  const topicIdle = await account.topic('chatbot-idle-topic', tags);
  const otherPocFunction = await account.lambdaFunction('search-fn', { poc: 'search-relevance' });

  Object.assign(idle, {
    natIdle: natIdle.arn,
    volumeIdle: volumeIdle.arn,
    instanceIdle: instanceIdle.arn,
    dbIdle: dbIdle.arn,
    tableIdle: tableIdle.arn,
    functionIdle: functionIdle.arn,
    queueIdle: queueIdle.arn,
    topicIdle: topicIdle.arn,
  });
  Object.assign(busy, {
    natBusy: natBusy.arn,
    volumeAttached: volumeAttached.arn,
    instanceBusy: instanceBusy.arn,
    dbBusy: dbBusy.arn,
    tableBusy: tableBusy.arn,
    functionBusy: functionBusy.arn,
    functionProtected: functionProtected.arn,
    queueBusy: queueBusy.arn,
  });

  // What the services would have published. Count metrics of idle resources publish nothing (no
  // datapoints is zero); gauges publish every day, idle or not.
  const every = (value: number) => () => value;
  await account.daily('AWS/NATGateway', 'BytesOutToDestination', { NatGatewayId: natBusy.id }, 14, (day) =>
    day.endsWith('5') ? 250_000 : undefined,
  );
  await account.daily('AWS/EC2', 'CPUUtilization', { InstanceId: instanceIdle.id }, 14, every(1.5));
  await account.daily('AWS/EC2', 'NetworkIn', { InstanceId: instanceIdle.id }, 14, every(20_000));
  await account.daily('AWS/EC2', 'NetworkOut', { InstanceId: instanceIdle.id }, 14, every(20_000));
  await account.daily('AWS/EC2', 'CPUUtilization', { InstanceId: instanceBusy.id }, 14, every(55));
  await account.daily('AWS/EC2', 'NetworkIn', { InstanceId: instanceBusy.id }, 14, every(9_000_000));
  await account.daily('AWS/EC2', 'NetworkOut', { InstanceId: instanceBusy.id }, 14, every(9_000_000));
  await account.daily('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: dbIdle.id }, 14, every(0));
  await account.daily('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: dbBusy.id }, 14, every(3));
  await account.daily('AWS/DynamoDB', 'ConsumedWriteCapacityUnits', { TableName: tableBusy.id }, 30, (day) =>
    day.endsWith('1') ? 12 : undefined,
  );
  await account.daily('AWS/Lambda', 'Invocations', { FunctionName: functionBusy.id }, 30, every(40));
  await account.daily('AWS/Lambda', 'Invocations', { FunctionName: otherPocFunction.id }, 30, every(1));
  await account.daily('AWS/SQS', 'NumberOfMessagesSent', { QueueName: queueBusy.id }, 3, every(2));

  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-moto-scan-'));
  await writeFile(join(dir, 'settings.yaml'), `teardownAccounts: ["${MOTO_ACCOUNT}"]\n`);
  await writeFile(join(dir, `${POC}.yaml`), `poc: ${POC}\nowners: [dana@example.com]\n`);
  await writeFile(join(dir, 'search.yaml'), 'poc: search-relevance\nowners: [sam@example.com]\n');
}, 60_000);

afterAll(async () => {
  account?.destroy();
  restoreEnv?.();
  await fakeAws?.stop();
  await moto?.stop();
});

interface ReportedResource {
  arn: string;
  evidence: string;
}

describe('the idle scan against moto', () => {
  it('proposes the idle resources of the PoC and none of the busy or protected ones', async () => {
    const result = await runCli(
      'run',
      '--source',
      'aws',
      '--policies',
      dir,
      '--format',
      'json',
      '--state',
      join(dir, 'state.json'),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.source).toMatchObject({ kind: 'cost-explorer', partial: false });
    expect(report.recommendations).toHaveLength(1);
    const [recommendation] = report.recommendations;
    expect(recommendation).toMatchObject({ poc: POC, reason: 'idle' });
    const proposed = new Map<string, ReportedResource>(
      recommendation.resources.map((resource: ReportedResource) => [resource.arn, resource]),
    );
    expect([...proposed.keys()].sort()).toEqual(Object.values(idle).sort());
    for (const arn of Object.values(busy)) expect(proposed.has(arn)).toBe(false);

    // The evidence is what moto's metrics and describe calls said.
    expect(proposed.get(idle.instanceIdle as string)?.evidence).toMatch(/daily average CPU at most 1\.5 %/);
    expect(proposed.get(idle.dbIdle as string)?.evidence).toMatch(/at most 0 connections in 14 days/);
    expect(proposed.get(idle.volumeIdle as string)?.evidence).toContain('State=available');
    expect(proposed.get(idle.natIdle as string)?.evidence).toMatch(
      /^0 bytes out and at most 0 active connections/,
    );

    // One listing and one batch of metrics for the whole account.
    expect(report.apiCalls).toMatchObject({
      'tag:GetResources': 1,
      'cloudwatch:GetMetricData': 1,
      'ec2:DescribeVolumes': 1,
      'ec2:DescribeNatGateways': 1,
      'ec2:DescribeAddresses': 1,
      'sts:GetCallerIdentity': 1,
    });
  });
});
