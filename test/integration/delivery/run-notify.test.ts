/**
 * `pocketwatch run --notify` end to end: the bundled sample, alerts and the digest to SNS topics on
 * fauxqs (an in-process SNS/SQS emulator) read back through subscribed SQS queues, and the Slack
 * digest to a local HTTP server standing in for the webhook. A second run sends nothing.
 */

import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleApprovalRequest } from '../../../src/approval/approval-endpoint.js';
import { decodeUnverifiedClaims } from '../../../src/approval/approval-token.js';
import { keyringFromSecret } from '../../../src/approval/keyring.js';
import { LocalStateStore } from '../../../src/state/local-state-store.js';
import { APPROVAL_KEYS_JSON } from '../../support/approval-fixtures.js';
import { getRequest, offeredActions } from '../../support/approval-requests.js';
import { runCli } from '../../support/cli.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { topicWithInbox } from '../../support/topic-inbox.js';

let fauxqs: FauxqsServer;
let slack: Server;
let restore: () => void;
let sns: SNSClient;
let sqs: SQSClient;
const slackPosts: unknown[] = [];
const queues: Record<'alerts' | 'digest', string> = { alerts: '', digest: '' };
let dir: string;

async function topicWithQueue(name: 'alerts' | 'digest'): Promise<string> {
  const { topicArn, queueUrl } = await topicWithInbox(
    { sns, sqs },
    { topic: `pocketwatch-${name}`, queue: `${name}-inbox` },
  );
  queues[name] = queueUrl;
  return topicArn;
}

async function received(
  name: 'alerts' | 'digest',
): Promise<Array<{ Subject: string; MessageAttributes: Record<string, { Value: string }> }>> {
  const all = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues[name],
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 300,
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages.map((message) => JSON.parse(message.Body ?? '{}')));
  }
}

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      slackPosts.push(JSON.parse(body));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  restore = useFakeAwsEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${fauxqs.port}` });
  sns = new SNSClient({});
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  process.env.POCKETWATCH_ALERT_TOPIC_ARN = await topicWithQueue('alerts');
  process.env.POCKETWATCH_DIGEST_TOPIC_ARN = await topicWithQueue('digest');
  process.env.POCKETWATCH_SLACK_WEBHOOK_URL = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0/B0/secret`;
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-notify-'));
});

afterAll(async () => {
  delete process.env.POCKETWATCH_ALERT_TOPIC_ARN;
  delete process.env.POCKETWATCH_DIGEST_TOPIC_ARN;
  delete process.env.POCKETWATCH_SLACK_WEBHOOK_URL;
  sns?.destroy();
  sqs?.destroy();
  restore?.();
  await new Promise((resolve) => slack?.close(resolve));
  await fauxqs?.stop();
});

function run(...extra: string[]) {
  return runCli('run', '--notify', '--format', 'json', '--state', join(dir, 'state.json'), ...extra);
}

describe('pocketwatch run --notify', () => {
  it('sends each new alert and recommendation, one digest to SNS and Slack, and nothing twice', async () => {
    const first = await run();
    expect(first.stderr).toContain('0 failed');
    expect(first.code).toBe(0);

    const alerts = await received('alerts');
    // The sample has 9 alerts and 1 recommendation.
    expect(alerts).toHaveLength(10);
    const overBudget = alerts.find((message) => message.MessageAttributes.kind?.Value === 'over-budget');
    expect(overBudget?.Subject).toMatch(/^\[pocketwatch\] checkout-redesign over budget/);
    expect(overBudget?.MessageAttributes).toMatchObject({
      poc: { Value: 'checkout-redesign' },
      severity: { Value: 'critical' },
      owner: { Value: 'dana@example.com' },
    });
    const digests = await received('digest');
    expect(digests).toHaveLength(1);
    expect(digests[0]?.Subject).toMatch(/^\[pocketwatch\] 2026-11-19/);
    expect(slackPosts).toHaveLength(1);
    expect(JSON.stringify(slackPosts[0])).toContain('checkout-redesign');

    const second = await run();
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('0 sent');
    expect(await received('alerts')).toHaveLength(0);
    expect(await received('digest')).toHaveLength(0);
    expect(slackPosts).toHaveLength(1);
  });

  it('ends non-zero and keeps the digest unsent when Slack refuses it', async () => {
    process.env.POCKETWATCH_SLACK_WEBHOOK_URL = 'http://127.0.0.1:9/services/T0/B0/gone';
    const { code, stderr } = await run('--as-of', '2026-11-18');
    expect(code).toBe(5);
    expect(stderr).toContain('not delivered: digest:2026-11-18:slack');
    expect(stderr).not.toContain('secret');
  });

  it('puts approve, reject and snooze links of one nonce into each recommendation message, and they open', async () => {
    const state = join(dir, 'links.json');
    process.env.POCKETWATCH_APPROVAL_URL = 'https://approve.example.com/';
    process.env.POCKETWATCH_APPROVAL_KEYS = APPROVAL_KEYS_JSON;
    process.env.POCKETWATCH_SLACK_WEBHOOK_URL = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0/B0/secret`;
    try {
      const { code, stderr } = await runCli('run', '--notify', '--format', 'json', '--state', state);
      expect(code, stderr).toBe(0);
    } finally {
      delete process.env.POCKETWATCH_APPROVAL_URL;
      delete process.env.POCKETWATCH_APPROVAL_KEYS;
    }
    const recommendations = (await received('alerts')).filter(
      (message) => message.MessageAttributes.kind?.Value === 'recommendation',
    );
    const withLinks = recommendations.filter((message) =>
      JSON.stringify(message).includes('approve.example.com'),
    );
    expect(withLinks).toHaveLength(1);
    const tokens = [
      ...new Set(
        [
          ...JSON.stringify(withLinks[0]).matchAll(
            /https:\/\/approve\.example\.com\/\?token=([\w-]+\.[\w-]+)/g,
          ),
        ].map((match) => match[1] as string),
      ),
    ];
    const claims = tokens.map((token) => decodeUnverifiedClaims(token));
    expect(claims.map((c) => c?.action).sort()).toEqual(['approve', 'reject', 'snooze']);
    expect(new Set(claims.map((c) => c?.nonce)).size).toBe(1);

    // The run recorded the recommendation, so the link opens its confirmation page.
    const store = new LocalStateStore(state);
    const approveToken = tokens[claims.findIndex((c) => c?.action === 'approve')] ?? '';
    const page = await handleApprovalRequest(getRequest(approveToken), {
      keyring: keyringFromSecret(APPROVAL_KEYS_JSON),
      store,
      usedTokens: store,
      now: () => new Date(),
    });
    expect(page.status).toBe(200);
    expect(offeredActions(page.body).sort()).toEqual(['approve', 'reject', 'snooze']);
  });

  it('warns and sends messages without links when the approval URL has no signing keys', async () => {
    process.env.POCKETWATCH_APPROVAL_URL = 'https://approve.example.com/';
    try {
      const { code, stderr } = await runCli('run', '--notify', '--state', join(dir, 'no-keys.json'));
      expect(code, stderr).toBe(0);
      expect(stderr).toContain('POCKETWATCH_APPROVAL_KEYS is not set, so messages carry no approval links');
    } finally {
      delete process.env.POCKETWATCH_APPROVAL_URL;
    }
    const messages = await received('alerts');
    expect(messages.length).toBeGreaterThan(0);
    expect(JSON.stringify(messages)).not.toContain('token=');
  });
});
