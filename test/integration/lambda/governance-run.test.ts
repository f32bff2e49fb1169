/**
 * The scheduled governance function end to end, as Lambda runs it: the handler module is imported
 * with the environment the stack sets, then invoked with the schedules' events. AWS is faked over the
 * wire: a FakeAwsServer for STS, Cost Explorer, the Tagging API, CloudWatch, EC2 and Secrets Manager,
 * dynalite for the state table (laid out as the stack creates it) and fauxqs for the two SNS topics,
 * read back through subscribed SQS queues, and the teardown queue.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eachDay } from '../../../src/core/calendar.js';
import type { ScheduledRunSummary } from '../../../src/lambda/scheduled-run.js';
import { runCli } from '../../support/cli.js';
import { deployPolicies } from '../../support/deployed-policies.js';
import { createStateTable, type LocalDynamoDb, startDynalite } from '../../support/dynalite.js';
import { callerIdentity, dailyMetrics, ec2State, taggedResources } from '../../support/fake-account.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';
import { topicWithInbox } from '../../support/topic-inbox.js';

const ACCOUNT = '111122223333';
const AS_OF = '2026-11-19';
const KEYS_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:approval-keys`;
const SLACK_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:slack`;
const APPROVAL_URL = 'https://approve.lambda-url.us-east-1.on.aws/';

let aws: FakeAwsServer;
let dynamo: LocalDynamoDb;
let fauxqs: FauxqsServer;
let restoreEnv: () => void;
let dir: string;
let sqs: SQSClient;
const inbox: Record<'alerts' | 'digest', string> = { alerts: '', digest: '' };
let teardownQueue = '';
let handler: (event: unknown, context: Context) => Promise<ScheduledRunSummary>;

function costPage(days: string[]) {
  return {
    GroupDefinitions: [
      { Type: 'TAG', Key: 'poc' },
      { Type: 'DIMENSION', Key: 'SERVICE' },
    ],
    ResultsByTime: days.map((day) => ({
      TimePeriod: { Start: day, End: eachDay(day, '2027-01-01')[1] },
      Total: {},
      Estimated: true,
      Groups: [
        { Keys: ['poc$alpha', 'AWS Lambda'], Metrics: { UnblendedCost: { Amount: '9', Unit: 'USD' } } },
        { Keys: ['poc$old', 'Amazon VPC'], Metrics: { UnblendedCost: { Amount: '1.08', Unit: 'USD' } } },
      ],
    })),
    DimensionValueAttributes: [],
  };
}

function context(requestId: string): Context {
  return {
    awsRequestId: requestId,
    functionName: 'governance-run',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:governance-run`,
    getRemainingTimeInMillis: () => 600_000,
  } as unknown as Context;
}

async function received(name: 'alerts' | 'digest'): Promise<Array<{ Subject?: string; Message: string }>> {
  const all = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: inbox[name], MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages.map((message) => JSON.parse(message.Body ?? '{}')));
  }
}

beforeAll(async () => {
  aws = new FakeAwsServer()
    .on('GetCallerIdentity', callerIdentity(ACCOUNT))
    .on('GetCostAndUsage', (request) => {
      const { Start, End } = (request.body as { TimePeriod: { Start: string; End: string } }).TimePeriod;
      return { body: costPage(eachDay(Start, End)) };
    })
    .on(
      'GetResources',
      taggedResources(() => [
        { arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:alpha-api`, tags: { poc: 'alpha' } },
        { arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-0123456789abcdef0`, tags: { poc: 'old' } },
      ]),
    )
    .on(
      'GetMetricData',
      dailyMetrics((dimensions) => (dimensions.some((d) => d.Value === 'alpha-api') ? 500 : undefined)),
    )
    .on('GetSecretValue', (request) => {
      const id = (request.body as { SecretId: string }).SecretId;
      const value =
        id === KEYS_SECRET
          ? JSON.stringify({ id: 'initial', secret: 'A'.repeat(32) + 'b'.repeat(32) })
          : 'none';
      return { body: { ARN: id, Name: id, SecretString: value, VersionId: 'v1' } };
    });
  ec2State(
    aws,
    '<item><natGatewayId>nat-0123456789abcdef0</natGatewayId><state>available</state><createTime>2026-08-01T00:00:00.000Z</createTime><vpcId>vpc-1</vpcId><subnetId>subnet-1</subnetId><tagSet><item><key>poc</key><value>old</value></item></tagSet></item>',
  );
  const awsEndpoint = await aws.start();

  dynamo = await startDynalite();
  fauxqs = await startFauxqs({ port: 0, logger: false });
  const fauxqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;

  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-lambda-'));
  await writeFile(join(dir, 'settings.yaml'), 'tagKey: poc\n');
  await writeFile(join(dir, 'alpha.yaml'), 'poc: alpha\nowners: [a@example.com]\nbudget: { monthly: 100 }\n');
  await writeFile(
    join(dir, 'old.yaml'),
    'poc: old\nowners: [o@example.com]\nbudget: { monthly: 50 }\nexpires: 2026-10-31\n',
  );

  restoreEnv = useFakeAwsEnv({
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SNS: fauxqsEndpoint,
    AWS_ENDPOINT_URL_SQS: fauxqsEndpoint,
    POCKETWATCH_AWS_MAX_ATTEMPTS: '1',
    POCKETWATCH_TABLE_NAME: 'pocketwatch-state',
    POCKETWATCH_APPROVAL_KEYS_SECRET_ARN: KEYS_SECRET,
    POCKETWATCH_SLACK_WEBHOOK_SECRET_ARN: SLACK_SECRET,
    POCKETWATCH_APPROVAL_URL: APPROVAL_URL,
    POCKETWATCH_POLICY_SET: await deployPolicies(dir),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });

  await createStateTable('pocketwatch-state');
  const sns = new SNSClient({});
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  for (const name of ['alerts', 'digest'] as const) {
    const { topicArn, queueUrl } = await topicWithInbox(
      { sns, sqs },
      { topic: `pocketwatch-${name}`, queue: `${name}-inbox` },
    );
    process.env[name === 'alerts' ? 'POCKETWATCH_ALERT_TOPIC_ARN' : 'POCKETWATCH_DIGEST_TOPIC_ARN'] =
      topicArn;
    inbox[name] = queueUrl;
  }
  sns.destroy();
  teardownQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'teardown' }))).QueueUrl as string;
  process.env.POCKETWATCH_TEARDOWN_QUEUE_URL = teardownQueue;
  ({ handler } = await import('../../../functions/governance-run.js'));
}, 60_000);

afterAll(async () => {
  sqs?.destroy();
  restoreEnv?.();
  delete process.env.POCKETWATCH_ALERT_TOPIC_ARN;
  delete process.env.POCKETWATCH_DIGEST_TOPIC_ARN;
  delete process.env.POCKETWATCH_TEARDOWN_QUEUE_URL;
  await aws?.stop();
  await dynamo?.stop();
  await fauxqs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the governance function', () => {
  it('runs the daily job, delivers alerts, recommendations with approval links and the digest, and a run summary metric', async () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const summary = await handler({ mode: 'daily', asOf: AS_OF }, context('run-1'));
    const emf = stdout.mock.calls.map(([chunk]) => String(chunk)).find((line) => line.includes('"_aws"'));
    stdout.mockRestore();

    expect(summary).toMatchObject({ mode: 'daily', asOf: AS_OF, pocs: 2, failed: [], partial: false });
    expect(summary.recommendations).toBe(1);
    // Proposed, not approved: nothing for the teardown worker.
    expect(summary.teardownsQueued).toEqual([]);
    expect(summary.sent).toBeGreaterThanOrEqual(3);
    expect(summary.apiCalls).toMatchObject({ 'ce:GetCostAndUsage': 1, 'cloudwatch:GetMetricData': 1 });

    const alerts = await received('alerts');
    expect(alerts.length).toBe(summary.sent - 1);
    const recommendation = alerts.find((message) => message.Message.includes('nat-0123456789abcdef0'));
    expect(recommendation?.Message).toContain(`${APPROVAL_URL}?token=`);
    expect(await received('digest')).toHaveLength(1);

    const record = JSON.parse(emf ?? '{}');
    expect(record._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Pocketwatch',
      Metrics: [{ Name: 'RunApiCost', Unit: 'None' }],
    });
    expect(record).toMatchObject({ service: 'governance-run', mode: 'daily', recommendations: '1' });
  });

  it('sends nothing twice when the run is retried', async () => {
    const summary = await handler({ mode: 'daily', asOf: AS_OF }, context('run-2'));
    expect(summary.sent).toBe(0);
    expect(summary.alreadySent).toBeGreaterThanOrEqual(1);
    expect(await received('alerts')).toEqual([]);
    expect(await received('digest')).toEqual([]);
  });

  it('queues a teardown approved on the command line against the state table at the next daily run', async () => {
    const state = 'dynamodb:pocketwatch-state';
    const listed = await runCli('recommendations', 'list', '--format', 'json', '--state', state);
    expect(listed.code).toBe(0);
    const [record] = JSON.parse(listed.stdout);
    expect(record).toMatchObject({ state: 'proposed', recommendation: { poc: 'old' } });
    const approved = await runCli('approve', record.id, '--by', 'dana', '--state', state);
    expect(approved).toMatchObject({ code: 0, stderr: '' });
    expect(approved.stdout).toContain('proposed → approved');
    expect(approved.stdout).toContain('The deployed teardown worker takes it at the next daily run');

    const summary = await handler({ mode: 'daily', asOf: AS_OF }, context('run-2b'));
    expect(summary).toMatchObject({ failed: [], teardownsQueued: [record.id] });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: teardownQueue, MaxNumberOfMessages: 10 }),
    );
    expect(Messages.map((message) => JSON.parse(message.Body ?? '{}'))).toEqual([
      { recommendationId: record.id },
    ]);
  });

  it('checks budgets between daily runs without scanning or sending a digest', async () => {
    const before = aws.calls('GetResources').length;
    const summary = await handler({ mode: 'budget-check', asOf: '2026-11-20' }, context('run-3'));
    // Still approved, but only daily runs queue teardowns.
    expect(summary).toMatchObject({
      mode: 'budget-check',
      recommendations: 0,
      failed: [],
      teardownsQueued: [],
    });
    expect(aws.calls('GetResources').length).toBe(before);
    expect(await received('digest')).toEqual([]);
  });

  it('refuses an event it does not understand', async () => {
    await expect(handler({ mode: 'weekly' }, context('run-4'))).rejects.toThrow(
      /"mode" must be one of daily, budget-check/,
    );
  });
});
