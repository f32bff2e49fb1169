import { randomUUID } from 'node:crypto';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { APPROVAL_URL_ENV, approvalBaseUrl, signApprovalLinks } from '../approval/approval-links.js';
import type { Keyring } from '../approval/keyring.js';
import { recommendationResourceSetHash } from '../approval/resource-set-hash.js';
import { errorMessage } from '../core/error-message.js';
import type { Report } from '../core/report.js';
import { toAscii } from '../delivery/alert-message.js';
import { renderChatbotDigest } from '../delivery/chatbot-message.js';
import { type AlertPublisher, type DeliveryResult, deliverAlerts } from '../delivery/deliver-alerts.js';
import { DeliveryLedger } from '../delivery/delivery-ledger.js';
import { buildDigest, ownersOf } from '../delivery/digest-model.js';
import { renderEmailHtml } from '../delivery/email-html.js';
import { renderEmailText } from '../delivery/email-text.js';
import type { EmailMessage } from '../delivery/ses-sender.js';
import { renderSlackDigest } from '../delivery/slack-blocks.js';
import { postToSlack } from '../delivery/slack-webhook.js';
import type { NotificationSettings } from '../policy/model.js';
import type { DeliveryStateStore } from '../state/state-store.js';

/** Where to deliver: settings, overridden by the environment (a webhook URL is a secret). */
export interface NotificationTargets {
  alertTopicArn?: string;
  digestTopicArn?: string;
  slackWebhookUrl?: string;
  reportUrl?: string;
  /** Base URL of the approval endpoint: recommendation messages carry signed links to it. */
  approvalUrl?: string;
  /** HTML email through SES: the team digest to `to`, and each owner's own when asked. */
  email?: { from: string; to: string[]; perOwner: boolean };
}

export function notificationTargets(
  settings: NotificationSettings | undefined,
  env: NodeJS.ProcessEnv = process.env,
): NotificationTargets {
  const pick = (name: string, fallback: string | undefined) => env[name] || fallback;
  const targets: NotificationTargets = {};
  const alertTopicArn = pick('POCKETWATCH_ALERT_TOPIC_ARN', settings?.alertTopicArn);
  const digestTopicArn = pick('POCKETWATCH_DIGEST_TOPIC_ARN', settings?.digestTopicArn);
  const slackWebhookUrl = pick('POCKETWATCH_SLACK_WEBHOOK_URL', settings?.slackWebhookUrl);
  if (alertTopicArn) targets.alertTopicArn = alertTopicArn;
  if (digestTopicArn) targets.digestTopicArn = digestTopicArn;
  if (slackWebhookUrl) targets.slackWebhookUrl = slackWebhookUrl;
  if (settings?.reportUrl) targets.reportUrl = settings.reportUrl;
  const approvalUrl = pick(APPROVAL_URL_ENV, settings?.approvalUrl);
  if (approvalUrl) targets.approvalUrl = approvalUrl;
  if (settings?.email) {
    targets.email = {
      from: settings.email.from,
      to: [...settings.email.to],
      perOwner: settings.perOwnerDigests ?? false,
    };
  }
  return targets;
}

export interface NotifyInput {
  report: Report;
  targets: NotificationTargets;
  state: DeliveryStateStore;
  publisher: AlertPublisher;
  /** Sends HTML email (SES); needed when targets.email is set. */
  emailSender?: { send(message: EmailMessage): Promise<string> };
  now: Date;
  runId?: string;
  /** Signs the approval links; without it (or without `targets.approvalUrl`) messages carry none. */
  keyring?: Keyring;
  /** For Slack: tests pass a fast sleep. */
  sleep?: (ms: number) => Promise<void>;
}

export type NotifyResult = DeliveryResult;

const DIGEST_SUBJECT_LIMIT = 99;

/**
 * Delivers a run's news exactly once: each new alert and recommendation to the alerts topic, and one
 * digest a day to the digest topic (email text and AWS Chatbot) and to Slack. Every item is claimed
 * before it is sent and completed after, so a re-run or a Lambda retry sends nothing twice; a failed
 * send stays unsent for the next run and is reported in `failed`.
 */
export async function notify(input: NotifyInput): Promise<NotifyResult> {
  const { report, targets, state, publisher, now } = input;
  const runId = input.runId ?? randomUUID();
  const result: NotifyResult = { sent: [], failed: [], skipped: [] };

  if (targets.alertTopicArn) {
    const { approvalUrl } = targets;
    const { keyring } = input;
    // Checked once up front: a bad URL fails the run before anything is sent, not message by message.
    if (approvalUrl) approvalBaseUrl(approvalUrl);
    const alerts = await deliverAlerts({
      report,
      publisher,
      topicArn: targets.alertTopicArn,
      state,
      runId,
      now,
      ...(approvalUrl && keyring
        ? {
            approvalLinks: (recommendation) =>
              signApprovalLinks(
                { id: recommendation.id, resourceSetHash: recommendationResourceSetHash(recommendation) },
                { baseUrl: approvalUrl, keyring, now },
              ),
          }
        : {}),
    });
    result.sent.push(...alerts.sent);
    result.failed.push(...alerts.failed);
    result.skipped.push(...alerts.skipped);
  }

  const digest = buildDigest(report, targets.reportUrl ? { reportUrl: targets.reportUrl } : {});
  const send = async (channel: string, deliver: () => Promise<string | undefined>) => {
    const key = `digest:${report.asOf}:${channel}`;
    const ledger = new DeliveryLedger(state, { runId, channel, now });
    if ((await ledger.undelivered([key])).length === 0 || !(await ledger.claim(key))) {
      result.skipped.push(key);
      return;
    }
    try {
      const messageId = await deliver();
      await ledger.complete(key, messageId);
      result.sent.push(key);
    } catch (error) {
      await ledger.release(key);
      result.failed.push({ id: key, error: errorMessage(error) });
    }
  };

  const { digestTopicArn, slackWebhookUrl } = targets;
  if (digestTopicArn) {
    await send('sns-digest', () => {
      // Both bodies travel in one message: give each half of SNS's 256 KB.
      const email = renderEmailText(digest, { limitBytes: 120_000 });
      const chatbot = renderChatbotDigest(digest, { limitBytes: 120_000 });
      const message: PublishCommandInput = {
        TopicArn: digestTopicArn,
        Subject: toAscii(email.subject).slice(0, DIGEST_SUBJECT_LIMIT),
        MessageStructure: 'json',
        Message: JSON.stringify({ default: email.body, email: email.body, https: chatbot, sqs: chatbot }),
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'digest' } },
      };
      return publisher.publish(message);
    });
  }
  if (slackWebhookUrl) {
    await send('slack', async () => {
      await postToSlack(slackWebhookUrl, renderSlackDigest(digest), {
        maxAttempts: 4,
        ...(input.sleep ? { sleep: input.sleep } : {}),
      });
      return undefined;
    });
  }
  const { email } = targets;
  if (email && input.emailSender) {
    const sender = input.emailSender;
    const mail = (to: string[], owner?: string) => {
      const scoped = owner
        ? buildDigest(report, { owner, ...(targets.reportUrl ? { reportUrl: targets.reportUrl } : {}) })
        : digest;
      const text = renderEmailText(scoped);
      return sender.send({
        from: email.from,
        to,
        subject: text.subject,
        text: text.body,
        html: renderEmailHtml(scoped),
      });
    };
    await send('email', () => mail(email.to));
    if (email.perOwner) {
      for (const owner of ownersOf(report).filter((name) => EMAIL_ADDRESS.test(name))) {
        await send(`email:${owner}`, () => mail([owner], owner));
      }
    }
  }
  return result;
}

/** Owners may be chat handles too; only addresses get an email of their own. */
const EMAIL_ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
