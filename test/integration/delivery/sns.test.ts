/**
 * Alerts over the wire: the real SNS and SQS SDK clients against fauxqs (an in-process SNS/SQS
 * emulator), a topic with an SQS queue subscribed to it (raw delivery off, so each SQS message is the
 * SNS envelope with Subject and MessageAttributes), and the local state file as the ledger.
 *
 * fauxqs 1.9.2 ignores `MessageStructure: 'json'` and passes the structured Message through as it is;
 * AWS would give the SQS subscriber the "sqs" entry. `sqsBody` does what AWS does, so the assertions
 * hold for both.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import type { Report } from '../../../src/core/report.js';
import { deliverAlerts } from '../../../src/delivery/deliver-alerts.js';
import { SnsPublisher } from '../../../src/delivery/sns-publisher.js';
import { LocalStateStore } from '../../../src/state/local-state-store.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { fixtureReport } from '../../unit/report/fixture-report.js';

let server: FauxqsServer;
let restore: () => void;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
let queueUrl: string;

interface Envelope {
  Type: string;
  TopicArn: string;
  Subject: string | null;
  Message: string;
  MessageAttributes: Record<string, { Type: string; Value: string }>;
}

interface Card {
  id: string;
  content: { title: string; description: string; nextSteps: string[] };
  metadata: { additionalContext: Record<string, string> };
}

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  // The SDK's own endpoint override and fake credentials: every client below, ours included, goes there.
  restore = useFakeAwsEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${server.port}` });
  sns = new SNSClient({});
  // fauxqs's queue URLs name sqs.<region>.localhost, which need not resolve: stay on the endpoint.
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'pocketwatch-alerts' }))).TopicArn as string;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'alerts-inbox' }))).QueueUrl as string;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: attributes.Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'false' },
    }),
  );
});

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  restore?.();
  await server?.stop();
});

/** Everything in the queue now, deleted as it is read. */
async function drain(): Promise<Envelope[]> {
  const envelopes: Envelope[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return envelopes;
    envelopes.push(...Messages.map((message: Message) => JSON.parse(message.Body ?? '') as Envelope));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }
}

/** What an SQS subscriber gets from a MessageStructure json message: its "sqs" entry (see above). */
function sqsBody(envelope: Envelope): string {
  const parsed = JSON.parse(envelope.Message) as Record<string, unknown>;
  return typeof parsed.sqs === 'string' && typeof parsed.default === 'string' ? parsed.sqs : envelope.Message;
}

function card(envelope: Envelope): Card {
  return JSON.parse(sqsBody(envelope)) as Card;
}

async function freshState(): Promise<LocalStateStore> {
  return new LocalStateStore(join(await mkdtemp(join(tmpdir(), 'pocketwatch-sns-')), 'state.json'));
}

function publisher(meter = new ApiMeter()): SnsPublisher {
  return new SnsPublisher({ meter, maxAttempts: 2 });
}

const noSleep = async () => {};

describe('alerts through SNS', () => {
  it('arrive once each, with subject, body and filterable attributes; a second run sends nothing', async () => {
    const report = fixtureReport();
    const state = await freshState();
    const meter = new ApiMeter();
    const sender = publisher(meter);
    const newAlerts = report.alerts.filter((alert) => alert.new);
    const expected = [
      ...newAlerts.map((alert) => alert.id),
      ...report.recommendations.map((r) => `recommendation:${r.id}`),
    ];

    const first = await deliverAlerts({
      report,
      publisher: sender,
      topicArn,
      state,
      runId: 'run-1',
      now: new Date(),
    });
    expect(first.failed).toEqual([]);
    expect(first.sent).toEqual(expected);
    expect(meter.counts()['sns:Publish']).toBe(expected.length);

    const arrived = await drain();
    expect(arrived.map((envelope) => card(envelope).id).sort()).toEqual(expected.sort());

    const overBudget = arrived.find(
      (envelope) => card(envelope).id === 'checkout-redesign:over-budget:2026-11:100',
    );
    if (!overBudget) throw new Error('the over-budget alert did not arrive');
    expect(overBudget.Type).toBe('Notification');
    expect(overBudget.TopicArn).toBe(topicArn);
    expect(overBudget.Subject).toBe('[pocketwatch] checkout-redesign over budget: $152 of $120');
    expect(overBudget.MessageAttributes).toEqual({
      poc: { Type: 'String', Value: 'checkout-redesign' },
      severity: { Type: 'String', Value: 'critical' },
      kind: { Type: 'String', Value: 'over-budget' },
      owner: { Type: 'String', Value: 'dana@example.com' },
    });
    const body = card(overBudget);
    expect(body.content.title).toBe(':rotating_light: checkout-redesign over budget: $152.04 of $120.00');
    expect(body.content.description).toContain('*Month to date:* $152.04 of the $120.00 monthly budget');
    expect(body.content.nextSteps.join('\n')).toContain('`budget.monthly`');
    expect(body.metadata.additionalContext.owners).toBe('dana@example.com');
    // Email and protocols without their own entry get the plain text.
    const structured = JSON.parse(overBudget.Message) as { default?: string; email?: string };
    if (structured.default !== undefined) {
      expect(structured.default).toContain('checkout-redesign is over budget: $152.04 of $120.00');
      expect(structured.email).toBe(structured.default);
    }

    const unbudgeted = arrived.find((envelope) => card(envelope).id === 'données-clients:unbudgeted:2026-11');
    expect(unbudgeted?.Subject).toBe('[pocketwatch] donnees-clients has no budget: $41.76 this month');
    expect(unbudgeted?.MessageAttributes.poc?.Value).toBe('données-clients');
    expect(unbudgeted?.MessageAttributes.owner?.Value).toBe('none');

    // Same day again (the report still marks the alerts new), and a retry of the same run: nothing.
    for (const runId of ['run-2', 'run-1']) {
      const again = await deliverAlerts({
        report,
        publisher: sender,
        topicArn,
        state,
        runId,
        now: new Date(),
      });
      expect(again.sent).toEqual([]);
      expect(again.failed).toEqual([]);
    }
    expect(await drain()).toEqual([]);
    expect(meter.counts()['sns:Publish']).toBe(expected.length);
    sender.destroy();
  });

  it('leave an alert unsent and report it when the publish fails, and send it on the next run', async () => {
    const report: Report = fixtureReport();
    report.alerts = report.alerts.filter((alert) => alert.id === 'checkout-redesign:daily-cap:2026-11-16');
    report.recommendations = [];
    const state = await freshState();
    const sender = publisher();
    const wrongTopic = topicArn.replace(/[^:]+$/, 'no-such-topic');

    const failed = await deliverAlerts({
      report,
      publisher: sender,
      topicArn: wrongTopic,
      state,
      runId: 'run-1',
      now: new Date(),
      sleep: noSleep,
    });
    expect(failed.sent).toEqual([]);
    expect(failed.failed).toHaveLength(1);
    expect(failed.failed[0]?.id).toBe('checkout-redesign:daily-cap:2026-11-16');
    expect(failed.failed[0]?.error).toMatch(/sns:Publish/);
    expect(failed.failed[0]?.error).toMatch(/NotFound|does not exist/);
    expect(await state.deliveredAlertIds(['checkout-redesign:daily-cap:2026-11-16'])).toEqual(new Set());
    expect(await drain()).toEqual([]);

    const next = await deliverAlerts({
      report,
      publisher: sender,
      topicArn,
      state,
      runId: 'run-2',
      now: new Date(),
    });
    expect(next.sent).toEqual(['checkout-redesign:daily-cap:2026-11-16']);
    const arrived = await drain();
    expect(arrived.map((envelope) => envelope.Subject)).toEqual([
      '[pocketwatch] checkout-redesign over daily cap on Nov 16: $16.40 of $15.00',
    ]);
    sender.destroy();
  });

  it('deliver a message at the size limit', async () => {
    const report = fixtureReport();
    const [recommendation] = report.recommendations;
    const [template] = recommendation?.resources ?? [];
    if (!recommendation || !template) throw new Error('fixture changed');
    recommendation.resources = Array.from({ length: 3000 }, (_, i) => ({
      ...template,
      arn: `${template.arn}-${i}`,
      evidence: `${template.evidence} — 🙂 ${'é'.repeat(30)}`,
    }));
    report.alerts = [];
    report.recommendations = [recommendation];
    const sender = publisher();
    const result = await deliverAlerts({
      report,
      publisher: sender,
      topicArn,
      state: await freshState(),
      runId: 'run-1',
      now: new Date(),
    });
    expect(result.failed).toEqual([]);
    const [arrived] = await drain();
    expect(Buffer.byteLength(arrived?.Message ?? '')).toBeGreaterThan(200_000);
    const structured = JSON.parse(arrived?.Message ?? '{}') as { default?: string };
    expect(structured.default ?? '').toMatch(/… \(\d+ more lines in the report\)/);
    sender.destroy();
  });
});
