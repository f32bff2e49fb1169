/**
 * The scheduled governance function when AWS fails under it: a denied describe call makes the run
 * partial but still delivers the budget alert; Cost Explorer denied fails the function and raises
 * one operational alert a day, however often the schedule or Lambda's retries run it. STS, Cost
 * Explorer, the Tagging API, CloudWatch and EC2 on a FakeAwsServer, the state table on dynalite, the
 * topics on fauxqs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachDay } from '../../../src/core/calendar.js';
import type { ScheduledRunSummary } from '../../../src/lambda/scheduled-run.js';
import { deployPolicies } from '../../support/deployed-policies.js';
import { createStateTable, type LocalDynamoDb, startDynalite } from '../../support/dynalite.js';
import { callerIdentity, dailyMetrics, ec2State, taggedResources } from '../../support/fake-account.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';
import { topicWithInbox } from '../../support/topic-inbox.js';

const ACCOUNT = '111122223333';

let aws: FakeAwsServer;
let dynamo: LocalDynamoDb;
let fauxqs: FauxqsServer;
let restoreEnv: () => void;
let dir: string;
let sqs: SQSClient;
let alertsInbox = '';
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
      Estimated: false,
      Groups: [
        { Keys: ['poc$alpha', 'AWS Lambda'], Metrics: { UnblendedCost: { Amount: '9', Unit: 'USD' } } },
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

async function receivedAlerts(): Promise<Array<{ Subject?: string; Message: string; kind?: string }>> {
  const all = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: alertsInbox, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    if (Messages.length === 0) return all;
    for (const message of Messages) {
      const body = JSON.parse(message.Body ?? '{}');
      all.push({ Subject: body.Subject, Message: body.Message, kind: body.MessageAttributes?.kind?.Value });
    }
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
      ]),
    )
    .on(
      'GetMetricData',
      dailyMetrics(() => 500),
    );
  ec2State(aws);
  const awsEndpoint = await aws.start();
  dynamo = await startDynalite();
  fauxqs = await startFauxqs({ port: 0, logger: false });
  const fauxqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-lambda-degraded-'));
  await writeFile(join(dir, 'settings.yaml'), 'tagKey: poc\n');
  await writeFile(join(dir, 'alpha.yaml'), 'poc: alpha\nowners: [a@example.com]\nbudget: { monthly: 100 }\n');
  restoreEnv = useFakeAwsEnv({
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SNS: fauxqsEndpoint,
    AWS_ENDPOINT_URL_SQS: fauxqsEndpoint,
    POCKETWATCH_AWS_MAX_ATTEMPTS: '1',
    POCKETWATCH_TABLE_NAME: 'pocketwatch-state',
    POCKETWATCH_POLICY_SET: await deployPolicies(dir),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  await createStateTable('pocketwatch-state');
  const sns = new SNSClient({});
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const alerts = await topicWithInbox({ sns, sqs }, { topic: 'alerts', queue: 'alerts-inbox' });
  const digest = await topicWithInbox({ sns, sqs }, { topic: 'digest', queue: 'digest-inbox' });
  sns.destroy();
  alertsInbox = alerts.queueUrl;
  process.env.POCKETWATCH_ALERT_TOPIC_ARN = alerts.topicArn;
  process.env.POCKETWATCH_DIGEST_TOPIC_ARN = digest.topicArn;
  ({ handler } = await import('../../../functions/governance-run.js'));
}, 60_000);

afterAll(async () => {
  sqs?.destroy();
  restoreEnv?.();
  delete process.env.POCKETWATCH_ALERT_TOPIC_ARN;
  delete process.env.POCKETWATCH_DIGEST_TOPIC_ARN;
  await aws?.stop();
  await dynamo?.stop();
  await fauxqs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the governance function on a failing account', () => {
  it('delivers the budget alert of a partial daily run when a describe call is denied', async () => {
    aws.fault('DescribeAddresses', 'deny');
    try {
      // 9 a day: the 2026-11-12 run is at 99 of 100, past the 80 % threshold.
      const summary = await handler({ mode: 'daily', asOf: '2026-11-12' }, context('partial-1'));
      expect(summary).toMatchObject({ partial: true, failed: [] });
      expect(summary.warnings).toBe(1);
      const alerts = await receivedAlerts();
      expect(alerts.map((alert) => alert.kind)).toContain('threshold');
    } finally {
      aws.clearFaults();
    }
  });

  it('fails without costs, and sends one operational alert a day across retries', async () => {
    aws.fault('GetCostAndUsage', 'deny');
    try {
      // Another month: nothing cached, so Cost Explorer is asked.
      for (const requestId of ['blind-1', 'blind-2']) {
        await expect(
          handler({ mode: 'budget-check', asOf: '2026-10-20' }, context(requestId)),
        ).rejects.toThrow('missing IAM permission ce:GetCostAndUsage');
      }
      const alerts = await receivedAlerts();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.kind).toBe('operational');
      expect(alerts[0]?.Message).toContain('could not check any budget');
    } finally {
      aws.clearFaults();
    }
  });
});
