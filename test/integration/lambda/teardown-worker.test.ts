/**
 * The teardown worker as Lambda runs it, over the wire: an approved recommendation in the state table
 * (dynalite), its NAT gateway in a stateful fake EC2, the teardown queue and the alerts topic on
 * fauxqs. A deletion that outlasts the invocation is queued again with the same owner and finished by
 * the next one, which publishes the outcome once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../../src/approval/lifecycle.js';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { parseMoney } from '../../../src/core/money.js';
import type { Recommendation } from '../../../src/core/report.js';
import { DynamoDbStateStore } from '../../../src/state/dynamodb-state-store.js';
import { deployPolicies } from '../../support/deployed-policies.js';
import { createStateTable, type LocalDynamoDb, startDynalite } from '../../support/dynalite.js';
import { dailyMetrics } from '../../support/fake-account.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';
import { FakeEc2 } from '../../support/fake-ec2.js';
import { topicWithInbox } from '../../support/topic-inbox.js';

const ACCOUNT = '111122223333';
const TABLE = 'pocketwatch-state';
const REC: Recommendation = {
  id: '9c1e2f3a4b5c6d7e',
  poc: 'chatbot-poc',
  reason: 'idle',
  resources: [
    {
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-1`,
      type: 'ec2:natgateway',
      region: 'us-east-1',
      account: ACCOUNT,
      window: { start: '2026-11-10', end: '2026-11-24', days: 14 },
      evidence: '0 B out in 14 days',
      monthlyCost: parseMoney('32.85'),
      costSource: 'price-table',
      holdsData: false,
    },
  ],
  estimatedMonthlySavings: parseMoney('32.85'),
};

let aws: FakeAwsServer;
let ec2: FakeEc2;
let dynamo: LocalDynamoDb;
let fauxqs: FauxqsServer;
let restoreEnv: () => void;
let dir: string;
let sqs: SQSClient;
let store: DynamoDbStateStore;
const queues = { teardown: '', alerts: '' };
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

function sqsEvent(body: unknown, messageId: string): SQSEvent {
  return { Records: [{ messageId, body: JSON.stringify(body) }] } as unknown as SQSEvent;
}

function context(requestId: string, remainingMs: number): Context {
  return {
    awsRequestId: requestId,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:pocketwatch-teardown`,
    getRemainingTimeInMillis: () => remainingMs,
  } as unknown as Context;
}

async function drain(url: string, waitSeconds = 0): Promise<Array<Record<string, unknown>>> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }),
  );
  return Messages.map((message) => JSON.parse(message.Body ?? '{}'));
}

beforeAll(async () => {
  aws = new FakeAwsServer().on(
    'GetMetricData',
    dailyMetrics(() => undefined),
  );
  ec2 = new FakeEc2(aws).natGateway({
    id: 'nat-1',
    state: 'available',
    tags: { poc: 'chatbot-poc' },
    createTime: '2026-01-01T00:00:00.000Z',
    // Deleting for longer than the first invocation may wait.
    deletingPolls: 1000,
  });
  const awsEndpoint = await aws.start();
  dynamo = await startDynalite();
  fauxqs = await startFauxqs({ port: 0, logger: false });

  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-worker-'));
  await writeFile(join(dir, 'settings.yaml'), `teardownAccounts: ["${ACCOUNT}"]\n`);
  await writeFile(join(dir, 'chatbot.yaml'), 'poc: chatbot-poc\nowners: [dana@example.com]\n');

  restoreEnv = useFakeAwsEnv({
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${fauxqs.port}`,
    AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${fauxqs.port}`,
    POCKETWATCH_AWS_MAX_ATTEMPTS: '1',
    POCKETWATCH_TABLE_NAME: TABLE,
    POCKETWATCH_POLICY_SET: await deployPolicies(dir),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  await createStateTable(TABLE);
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  queues.teardown = (await sqs.send(new CreateQueueCommand({ QueueName: 'teardown' }))).QueueUrl as string;
  const sns = new SNSClient({});
  const { topicArn, queueUrl } = await topicWithInbox(
    { sns, sqs },
    { topic: 'alerts', queue: 'alerts-inbox' },
  );
  queues.alerts = queueUrl;
  sns.destroy();
  process.env.POCKETWATCH_TEARDOWN_QUEUE_URL = queues.teardown;
  process.env.POCKETWATCH_ALERT_TOPIC_ARN = topicArn;

  store = new DynamoDbStateStore({ tableName: TABLE, meter: new ApiMeter() });
  await store.recordProposals([REC], new Date());
  const proposed = await store.getRecommendation(REC.id);
  if (!proposed) throw new Error('not recorded');
  const approved = transition(proposed, { kind: 'approve' }, { actor: 'dana', at: new Date(), from: 'link' });
  if (!approved.ok) throw new Error(approved.reason);
  await store.updateRecommendation(REC.id, proposed.version, approved.record);
  ({ handler } = await import('../../../functions/teardown-worker.js'));
}, 60_000);

afterAll(async () => {
  delete process.env.POCKETWATCH_TEARDOWN_QUEUE_URL;
  delete process.env.POCKETWATCH_ALERT_TOPIC_ARN;
  sqs?.destroy();
  restoreEnv?.();
  await aws?.stop();
  await dynamo?.stop();
  await fauxqs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the teardown worker', () => {
  it('starts the deletion, and queues itself again when it outlasts the invocation', async () => {
    // 31 s left: the worker keeps 30 s back, so it waits about a second for the gateway to go.
    const result = await handler(sqsEvent({ recommendationId: REC.id }, 'm-1'), context('worker-1', 31_000));
    expect(result.batchItemFailures).toEqual([]);
    expect(ec2.mutations).toEqual(['DeleteNatGateway nat-1']);
    const executing = await store.getRecommendation(REC.id);
    expect(executing?.state).toBe('executing');
    // The checkpoint: the deletion it asked for, for the invocation that resumes.
    expect(executing?.execution?.deletionsStarted).toEqual([{ arn: REC.resources[0]?.arn }]);
    // Queued again with a delay, as the same owner: not receivable yet.
    expect(await drain(queues.teardown)).toEqual([]);
    const delayed = fauxqs.inspectQueue('teardown')?.messages.delayed ?? [];
    expect(delayed.map((entry) => JSON.parse((entry as { body?: string }).body ?? '{}'))).toEqual([
      { recommendationId: REC.id, owner: 'worker-1', attempt: 1 },
    ]);
  });

  it('lets the same owner resume and finish it, and publishes the outcome once', async () => {
    const gateway = ec2.natGateways.get('nat-1');
    if (gateway) gateway.deletingPolls = 0;
    const result = await handler(
      sqsEvent({ recommendationId: REC.id, owner: 'worker-1', attempt: 1 }, 'm-2'),
      context('worker-2', 300_000),
    );
    expect(result.batchItemFailures).toEqual([]);
    const record = await store.getRecommendation(REC.id);
    expect(record?.state).toBe('done');
    // The resumed run re-checks the set from the live account and finds the gateway gone: deleted by
    // this teardown's first invocation, not "already gone".
    expect(record?.outcomes).toEqual([
      expect.objectContaining({ outcome: 'deleted', detail: 'deleted by an earlier run of this teardown' }),
    ]);
    expect(ec2.mutations).toEqual(['DeleteNatGateway nat-1']);
    const published = await drain(queues.alerts, 1);
    expect(published).toHaveLength(1);
    expect(String(published[0]?.Message)).toContain('nat-1');
  });

  it('acknowledges a duplicate message for the finished teardown without acting or publishing', async () => {
    const before = await store.getRecommendation(REC.id);
    const result = await handler(
      sqsEvent({ recommendationId: REC.id }, 'm-dup'),
      context('worker-4', 300_000),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(ec2.mutations).toEqual(['DeleteNatGateway nat-1']);
    expect(await store.getRecommendation(REC.id)).toEqual(before);
    expect(await drain(queues.alerts, 1)).toEqual([]);
    expect(await drain(queues.teardown)).toEqual([]);
  });

  it('reports a message it cannot read as a failed item, for the dead-letter queue', async () => {
    const result = await handler(sqsEvent('not a teardown', 'm-3'), context('worker-3', 300_000));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-3' }]);
  });
});
