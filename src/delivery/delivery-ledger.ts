import type { Alert, Recommendation } from '../core/report.js';
import type { DeliveryStateStore } from '../state/state-store.js';

/**
 * How long a claim holds when its run never completes it: longer than any send with its retries
 * (and than a Lambda's 15-minute limit), short enough that a crashed run's alerts go out the next
 * day at the latest.
 */
export const DEFAULT_DELIVERY_LEASE_MS = 30 * 60 * 1000;

/** The ledger key of an alert: its id, so `deliveredAlertIds` sees completed deliveries as delivered. */
export function alertDeliveryKey(alert: Pick<Alert, 'id'>): string {
  return alert.id;
}

/** The ledger key of a recommendation. */
export function recommendationDeliveryKey(recommendation: Pick<Recommendation, 'id'>): string {
  return `recommendation:${recommendation.id}`;
}

export interface DeliveryLedgerOptions {
  /** This run's id: the owner of its claims. */
  runId: string;
  /** What delivers, recorded with each delivery ("sns"). */
  channel: string;
  /** When delivery starts: claims run from it and deliveries are stamped with it. */
  now: Date;
  leaseMs?: number;
}

/**
 * Exactly-once bookkeeping for one run on one channel. Before sending, a run claims the key (a
 * conditional write: it fails if the key was delivered or another live run holds it); once sent it
 * completes the key; when the send fails it releases the claim so the next run tries again. A run
 * that dies between claim and completion leaves a claim that expires with its lease.
 *
 * What remains is the window SNS cannot close: a send that succeeded but whose completion was never
 * written (a crash, or a timeout after SNS accepted the message) is sent again once the lease runs
 * out. On a FIFO topic the deduplication id closes that window for five minutes.
 */
export class DeliveryLedger {
  readonly leaseMs: number;

  constructor(
    private readonly state: DeliveryStateStore,
    private readonly options: DeliveryLedgerOptions,
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_DELIVERY_LEASE_MS;
  }

  /** Of `keys`, those not delivered yet (in the given order). */
  async undelivered(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const delivered = await this.state.deliveredAlertIds(keys);
    return keys.filter((key) => !delivered.has(key));
  }

  /** True when this run may send `key` now. */
  claim(key: string): Promise<boolean> {
    return this.state.claimDelivery(key, {
      owner: this.options.runId,
      leaseMs: this.leaseMs,
      now: this.options.now,
    });
  }

  /** Records `key` as delivered (with the channel's message id); false if it already was. */
  complete(key: string, messageId?: string): Promise<boolean> {
    return this.state.completeDelivery(key, {
      owner: this.options.runId,
      channel: this.options.channel,
      deliveredAt: this.options.now.toISOString(),
      ...(messageId ? { messageId } : {}),
    });
  }

  /** Gives the key back after a failed send. */
  release(key: string): Promise<void> {
    return this.state.releaseClaim(key, this.options.runId);
  }
}
