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

export class StateStoreError extends Error {
  constructor(
    message: string,
    readonly location: string,
  ) {
    super(`${location}: ${message}`);
    this.name = 'StateStoreError';
  }
}
