/** A record that an alert reached a channel. The first delivery of an alert id is the one kept. */
export interface Delivery {
  alertId: string;
  channel: string;
  deliveredAt: string;
}

/**
 * What pocketwatch remembers between runs. Offline it is a local file; in AWS it is a DynamoDB table.
 * Both give the same guarantee: a delivery is recorded once, and a run that delivers nothing changes
 * nothing.
 */
export interface StateStore {
  /** Where the state lives, for messages. */
  readonly location: string;
  /** Of `alertIds`, the ones already delivered. */
  deliveredAlertIds(alertIds: readonly string[]): Promise<Set<string>>;
  /** Records deliveries; returns the alert ids that were newly recorded (not already present). */
  recordDeliveries(deliveries: readonly Delivery[]): Promise<string[]>;
}

/**
 * A state store that can also deliver exactly once: a run claims a key before sending, completes it
 * once sent, or releases it when the send failed. Claims are leases, so a run that crashes between
 * claim and completion holds the key only until its lease runs out. (A separate interface rather
 * than new required members of StateStore, so that in-memory StateStores that never deliver, such as
 * the preview script's, stay valid.)
 */
export interface DeliveryStateStore extends StateStore {
  /**
   * Claims `key` (an alert id, or `recommendation:<id>`) for delivery by `owner`, the run: a
   * conditional write that succeeds only when the key is neither delivered nor claimed under a
   * lease that is still live at `now`, whoever holds it (a Lambda retry that reuses its request id as
   * the run id must not send twice either). A claim whose lease has run out (its run crashed) can be
   * taken over. In DynamoDB this is one conditional write:
   * `attribute_not_exists(deliveredAt) AND (attribute_not_exists(claimOwner) OR claimExpiresAt < :now)`.
   */
  claimDelivery(key: string, claim: DeliveryClaim): Promise<boolean>;
  /**
   * Marks `key` delivered and drops its claim. The first completed delivery is the one kept; returns
   * whether this call recorded it. A completed key counts for `deliveredAlertIds` like a recorded one.
   */
  completeDelivery(key: string, record: CompletedDelivery): Promise<boolean>;
  /** Gives up `owner`'s claim on `key` (a failed send), so the next run tries again. */
  releaseClaim(key: string, owner: string): Promise<void>;
}

/** Who claims a delivery, and for how long the claim holds if the run never completes it. */
export interface DeliveryClaim {
  /** The run's id. */
  owner: string;
  /** How long the claim holds, from `now`: longer than a send with its retries can take. */
  leaseMs: number;
  now: Date;
}

/** What is kept of a completed delivery. */
export interface CompletedDelivery {
  /** The run that sent it. */
  owner: string;
  channel: string;
  /** ISO 8601. */
  deliveredAt: string;
  /** The channel's id for the message (SNS MessageId), when it gives one. */
  messageId?: string;
}

export class StateStoreError extends Error {
  constructor(
    message: string,
    readonly location: string,
  ) {
    super(`${location}: ${message}`);
    this.name = 'StateStoreError';
  }
}
