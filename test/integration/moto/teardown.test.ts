/**
 * The whole teardown against real resources in moto: the live scan proposes them, the dry run plans,
 * a person approves, the account changes under the approval (a resource re-tagged to another PoC, one
 * protected, one busy again, one deleted out of band), then `--execute` deletes only what is still
 * idle, owned and unprotected, keeping final copies of the data (the policy keeps data, the default),
 * and a second `--execute` deletes nothing twice. What exists afterwards is read back from moto.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, ListBackupsCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteNatGatewayCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { GetTopicAttributesCommand, TagResourceCommand } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ListQueueTagsCommand, TagQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_COPY_TAG_KEY } from '../../../src/teardown/teardown-policy.js';
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
let state: string;
const r: Record<string, { id: string; arn: string }> = {};

beforeAll(async () => {
  moto = await startMoto({ clockBehindDays: 60 });
  fakeAws = new FakeAwsServer().on('GetCostAndUsage', emptyCostPages());
  restoreEnv = useFakeAwsEnv({
    ...motoEndpoints(moto, await fakeAws.start()),
    POCKETWATCH_AWS_MAX_ATTEMPTS: '1',
  });
  account = new MotoAccount(moto.endpoint);
  r.nat = await account.natGateway(tags);
  r.natGone = await account.natGateway(tags);
  r.volume = await account.volume(tags);
  r.instance = await account.instance(tags);
  r.db = await account.dbInstance('chatbot-db', tags);
  r.table = await account.table('chatbot-table', tags);
  r.fn = await account.lambdaFunction('chatbot-fn', tags);
  r.fnBusy = await account.lambdaFunction('chatbot-fn-busy', tags);
  r.queue = await account.queue('chatbot-queue', tags);
  r.topic = await account.topic('chatbot-topic', tags);
  const quiet = (value: number) => () => value;
  await account.daily('AWS/EC2', 'CPUUtilization', { InstanceId: r.instance.id }, 14, quiet(2));
  await account.daily('AWS/EC2', 'NetworkIn', { InstanceId: r.instance.id }, 14, quiet(1_000));
  await account.daily('AWS/EC2', 'NetworkOut', { InstanceId: r.instance.id }, 14, quiet(1_000));
  await account.daily('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: r.db.id }, 14, quiet(0));

  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-moto-teardown-'));
  state = join(dir, 'state.json');
  await writeFile(join(dir, 'settings.yaml'), `teardownAccounts: ["${MOTO_ACCOUNT}"]\n`);
  await writeFile(join(dir, `${POC}.yaml`), `poc: ${POC}\nowners: [dana@example.com]\n`);
}, 60_000);

afterAll(async () => {
  account?.destroy();
  restoreEnv?.();
  await fakeAws?.stop();
  await moto?.stop();
});

const teardown = (id: string, ...args: string[]) =>
  runCli('teardown', id, '--policies', dir, '--state', state, ...args);

/** Whether `send` fails with one of `codes` (what moto answers for something it does not know). */
async function rejectsWith(send: () => Promise<unknown>, codes: string[]): Promise<string> {
  try {
    await send();
  } catch (error) {
    const code = (error as { Code?: string; name?: string }).Code ?? (error as Error).name;
    if (codes.includes(code)) return code;
    throw error;
  }
  return 'exists';
}

describe('a teardown against moto', () => {
  let id: string;

  it('plans every idle resource the live scan proposed, and changes nothing', async () => {
    const scan = await runCli(
      'run',
      '--source',
      'aws',
      '--policies',
      dir,
      '--format',
      'json',
      '--state',
      state,
    );
    expect(scan.code).toBe(0);
    const [recommendation, ...others] = JSON.parse(scan.stdout).recommendations;
    expect(others).toEqual([]);
    id = recommendation.id;
    expect(recommendation.resources.map((resource: { arn: string }) => resource.arn).sort()).toEqual(
      Object.values(r)
        .map((resource) => resource.arn)
        .sort(),
    );

    const plan = await teardown(id, '--dry-run');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Dry run: nothing is deleted.');
    expect(plan.stdout).toContain('Would delete 10 resources');
    expect(plan.stderr).not.toMatch(/Delete|Terminate|Create/);
  });

  it('after approval and changes in the account, deletes only what is still idle, owned and unprotected', async () => {
    expect((await runCli('approve', id, '--by', 'alice', '--state', state)).code).toBe(0);
    // The account changes under the approval.
    const { QueueUrl } = await account.sqs.send(new GetQueueUrlCommand({ QueueName: r.queue?.id }));
    await account.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { poc: 'search-relevance' } }));
    await account.sns.send(
      new TagResourceCommand({
        ResourceArn: r.topic?.arn,
        Tags: [{ Key: 'pocketwatch:protect', Value: 'true' }],
      }),
    );
    // Yesterday's invocations, published after the scan: the re-check reads up to today, so it sees
    // them whether or not it also reads today's partial day.
    await account.daily('AWS/Lambda', 'Invocations', { FunctionName: r.fnBusy?.id as string }, 1, () => 25);
    await account.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: r.natGone?.id }));

    const executed = await teardown(id, '--execute', '--by', 'bob');
    expect(executed.stdout).toContain('Teardown partially-done.');
    expect(executed.code).toBe(3);
    expect(executed.stdout).toMatch(/gone +NAT gateway \S+: NAT gateway no longer exists/);
    expect(executed.stdout).toMatch(
      /skipped +Lambda function chatbot-fn-busy: it is no longer idle: 25 invocations/,
    );
    expect(executed.stdout).toMatch(/skipped +\S+ chatbot-topic: it is tagged pocketwatch:protect=true/);
    expect(executed.stdout).toMatch(/skipped +\S+ chatbot-queue: its poc tag is now "search-relevance"/);
    expect(executed.stdout).toContain('Deleting 6 resources');

    // What moto holds now: the six are gone, with final copies of what held data.
    const { NatGateways = [] } = await account.ec2.send(
      new DescribeNatGatewaysCommand({ NatGatewayIds: [r.nat?.id as string, r.natGone?.id as string] }),
    );
    expect(NatGateways.map((gateway) => gateway.State)).toEqual(['deleted', 'deleted']);
    const { Reservations = [] } = await account.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [r.instance?.id as string] }),
    );
    expect(Reservations[0]?.Instances?.[0]?.State?.Name).toBe('terminated');
    expect(
      await rejectsWith(
        () => account.ec2.send(new DescribeVolumesCommand({ VolumeIds: [r.volume?.id as string] })),
        ['InvalidVolume.NotFound'],
      ),
    ).toBe('InvalidVolume.NotFound');
    expect(
      await rejectsWith(
        () => account.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: r.db?.id })),
        ['DBInstanceNotFound', 'DBInstanceNotFoundFault'],
      ),
    ).not.toBe('exists');
    expect(
      await rejectsWith(
        () => account.dynamodb.send(new DescribeTableCommand({ TableName: r.table?.id })),
        ['ResourceNotFoundException'],
      ),
    ).toBe('ResourceNotFoundException');
    expect(
      await rejectsWith(
        () => account.lambda.send(new GetFunctionCommand({ FunctionName: r.fn?.id })),
        ['ResourceNotFoundException'],
      ),
    ).toBe('ResourceNotFoundException');
    // What was left stays as it was.
    expect((await account.lambda.send(new GetFunctionCommand({ FunctionName: r.fnBusy?.id }))).Tags).toEqual(
      tags,
    );
    expect((await account.sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({
      poc: 'search-relevance',
    });
    await account.sns.send(new GetTopicAttributesCommand({ TopicArn: r.topic?.arn }));

    const finalCopy = new RegExp(`^pocketwatch-final-${id}-`);
    const { DBSnapshots = [] } = await account.rds.send(
      new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: r.db?.id, SnapshotType: 'manual' }),
    );
    expect(DBSnapshots.map((snapshot) => snapshot.DBSnapshotIdentifier)).toEqual([
      expect.stringMatching(finalCopy),
    ]);
    const { BackupSummaries = [] } = await account.dynamodb.send(
      new ListBackupsCommand({ TableName: r.table?.id, BackupType: 'USER' }),
    );
    expect(BackupSummaries).toEqual([
      expect.objectContaining({ BackupName: expect.stringMatching(finalCopy), BackupStatus: 'AVAILABLE' }),
    ]);
    const { Snapshots = [] } = await account.ec2.send(
      new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag-key', Values: [FINAL_COPY_TAG_KEY] }] }),
    );
    const sources = Snapshots.map(
      (snapshot) => snapshot.Tags?.find((tag) => tag.Key === 'pocketwatch:source')?.Value,
    ).sort();
    // The idle volume's snapshot, and one of the instance's root volume.
    expect(sources).toEqual([r.instance?.arn, r.volume?.arn].sort());
    expect(Snapshots.every((snapshot) => snapshot.State === 'completed')).toBe(true);
  });

  it('a second --execute deletes nothing twice and reports what was done', async () => {
    const again = await teardown(id, '--execute', '--by', 'bob');
    expect(again.code).toBe(3);
    expect(again.stdout).toContain('Deleting 0 resources, saving about $0.00 a month; 6 deleted earlier');
    expect(again.stdout.match(/deleted by an earlier run of this teardown/g)).toHaveLength(6);
    expect(again.stdout).toMatch(/gone +NAT gateway \S+: NAT gateway no longer exists/);
    // Describes and the idle re-check only: no delete, terminate, snapshot or backup call.
    expect(again.stderr).toMatch(/^AWS calls: /m);
    expect(again.stderr).not.toMatch(/Delete|Terminate|Create|Release/);
  });
});
