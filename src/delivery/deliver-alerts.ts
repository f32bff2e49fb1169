import { createHash } from 'node:crypto';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { AwsCallError } from '../aws/aws-errors.js';
import { errorMessage } from '../core/error-message.js';
import type { Recommendation, Report } from '../core/report.js';
import type { DeliveryStateStore } from '../state/state-store.js';
import {
  type AlertMessage,
  type ApprovalLinks,
  alertMessage,
  publishInput,
  recommendationMessage,
} from './alert-message.js';
import { alertDeliveryKey, DeliveryLedger, recommendationDeliveryKey } from './delivery-ledger.js';

/** Anything that publishes an SNS message and returns its id: SnsPublisher, or a test double. */
export interface AlertPublisher {
  publish(input: PublishCommandInput): Promise<string>;
}

export interface DeliverAlertsInput {
  report: Report;
  publisher: AlertPublisher;
  topicArn: string;
  state: DeliveryStateStore;
  /** This run's id; claims are held under it. */
  runId: string;
  /** When delivery starts. */
  now: Date;
  /** How long a claim holds if this run dies before completing it (default 30 minutes). */
  leaseMs?: number;
  /** Attempts per message when the publish fails transiently (default 3), on top of the SDK's own retries. */
  maxAttempts?: number;
  /** Waits between those attempts (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  /** Approval links for a recommendation's message, once approval exists. */
  approvalLinks?: (recommendation: Recommendation) => ApprovalLinks | undefined;
}

export interface DeliveryResult {
  /** Keys sent by this run: alert ids, and `recommendation:<id>`. */
  sent: string[];
  /** Keys left unsent, with why; the next run retries them. The run should end non-zero. */
  failed: Array<{ id: string; error: string }>;
  /** New keys this run did not send because another run delivered or is delivering them. */
  skipped: string[];
}

export const DELIVERY_CHANNEL_SNS = 'sns';
const DEFAULT_ATTEMPTS = 3;
const BACKOFF_MS = 1000;

/**
 * Sends each new alert of the report, then each recommendation not yet delivered, to the SNS topic,
 * exactly once across runs: claim, publish (transient failures retried), complete. A publish that
 * still fails releases the claim, so the item stays unsent for the next run, and is returned in
 * `failed`. Running again the same day, or a Lambda retry after a timeout, sends nothing twice.
 * A state store that cannot be read or written rejects the whole call rather than send unrecorded.
 */
export async function deliverAlerts(input: DeliverAlertsInput): Promise<DeliveryResult> {
  const { report } = input;
  const ledger = new DeliveryLedger(input.state, {
    runId: input.runId,
    channel: DELIVERY_CHANNEL_SNS,
    now: input.now,
    ...(input.leaseMs !== undefined ? { leaseMs: input.leaseMs } : {}),
  });
  const items: Array<{ key: string; message: () => AlertMessage }> = [
    ...report.alerts
      .filter((alert) => alert.new)
      .map((alert) => ({ key: alertDeliveryKey(alert), message: () => alertMessage(alert, report) })),
    ...report.recommendations.map((recommendation) => ({
      key: recommendationDeliveryKey(recommendation),
      message: () => {
        const approvalLinks = input.approvalLinks?.(recommendation);
        return recommendationMessage(recommendation, report, approvalLinks ? { approvalLinks } : {});
      },
    })),
  ];
  // Recommendations carry no `new` flag: one read tells which were sent before, without a claim each.
  const recommendationKeys = new Set(
    report.recommendations.map((recommendation) => recommendationDeliveryKey(recommendation)),
  );
  const pending = new Set([
    ...items.filter((item) => !recommendationKeys.has(item.key)).map((item) => item.key),
    ...(await ledger.undelivered([...recommendationKeys])),
  ]);

  const result: DeliveryResult = { sent: [], failed: [], skipped: [] };
  const seen = new Set<string>();
  for (const item of items) {
    if (!pending.has(item.key) || seen.has(item.key)) continue;
    seen.add(item.key);
    if (!(await ledger.claim(item.key))) {
      result.skipped.push(item.key);
      continue;
    }
    let messageId: string;
    try {
      const request = publishInput(item.message(), input.topicArn, { deduplicationId: digest(item.key) });
      messageId = await withRetries(() => input.publisher.publish(request), input);
    } catch (error) {
      let text = errorMessage(error);
      try {
        await ledger.release(item.key);
      } catch (releaseError) {
        text += `; its claim could not be released (${errorMessage(releaseError)}), so it is retried once the claim expires`;
      }
      result.failed.push({ id: item.key, error: text });
      continue;
    }
    try {
      await ledger.complete(item.key, messageId);
      result.sent.push(item.key);
    } catch (error) {
      // Sent, but not recorded: the claim stays, so nothing re-sends it before the lease runs out.
      result.failed.push({
        id: item.key,
        error: `published (MessageId ${messageId}) but the delivery could not be recorded: ${errorMessage(error)}; it may be sent again once its claim expires (${ledger.leaseMs / 60_000} minutes)`,
      });
    }
  }
  return result;
}

async function withRetries<T>(
  attempt: () => Promise<T>,
  options: Pick<DeliverAlertsInput, 'maxAttempts' | 'sleep'>,
): Promise<T> {
  const attempts = Math.max(1, options.maxAttempts ?? DEFAULT_ATTEMPTS);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= attempts || !isTransientError(error)) throw error;
      await sleep(BACKOFF_MS * 2 ** (tried - 1));
    }
  }
}

const TRANSIENT_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KMSThrottlingException',
  'InternalError',
  'InternalErrorException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Whether trying again may succeed: throttling, server errors, timeouts and network failures, as an
 * SDK error, an AwsCallError wrapping one, or any error that says `retryable: true`. A missing topic,
 * a permission or a validation error is not.
 */
export function isTransientError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return false;
    const record = current as Record<string, unknown>;
    if (record.retryable === true || record.$retryable) return true;
    if (record.$fault === 'server') return true;
    const status = (record.$metadata as { httpStatusCode?: unknown } | undefined)?.httpStatusCode;
    if (typeof status === 'number' && (status === 429 || status >= 500)) return true;
    const code = current instanceof AwsCallError ? current.code : (record.code ?? record.name);
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    current = record.cause;
  }
  return false;
}

/** A FIFO deduplication id for a ledger key: short, ASCII, and the same in every run. */
function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
