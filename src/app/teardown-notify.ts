import type { RecommendationRecord } from '../approval/lifecycle.js';
import { publishInput, teardownMessage } from '../delivery/alert-message.js';
import type { AlertPublisher } from '../delivery/deliver-alerts.js';
import { DeliveryLedger } from '../delivery/delivery-ledger.js';
import type { DeliveryStateStore } from '../state/state-store.js';

export interface TeardownNotice {
  record: RecommendationRecord;
  owners: readonly string[];
  currency: string;
  topicArn: string;
  publisher: AlertPublisher;
  state: DeliveryStateStore;
  runId: string;
  now: Date;
  /** The command that retries what is left, named in the message. */
  retryCommand: string;
}

/**
 * Publishes a finished teardown's outcomes to the alerts topic, exactly once per finished execution
 * (the ledger key names the record's version): a retry of the same run sends nothing twice, a later
 * retry of what was left reports again.
 */
export async function publishTeardownOutcome(notice: TeardownNotice): Promise<'sent' | 'already sent'> {
  const key = `teardown:${notice.record.id}:${notice.record.version}`;
  const ledger = new DeliveryLedger(notice.state, { runId: notice.runId, channel: 'sns', now: notice.now });
  // The claim refuses a key already delivered, or held by another live run.
  if (!(await ledger.claim(key))) return 'already sent';
  let messageId: string;
  try {
    const message = teardownMessage({
      record: notice.record,
      owners: notice.owners,
      currency: notice.currency,
      retryCommand: notice.retryCommand,
    });
    messageId = await notice.publisher.publish(
      publishInput(message, notice.topicArn, { deduplicationId: key }),
    );
  } catch (error) {
    await ledger.release(key);
    throw error;
  }
  // Sent: if recording it fails, the claim stays, so no retry sends it again before the lease ends.
  await ledger.complete(key, messageId);
  return 'sent';
}
