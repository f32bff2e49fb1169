import { describeState, leaseHeldByOther, type RecommendationRecord } from './lifecycle.js';

/**
 * What a worker should do with a queued teardown. The queue delivers at least once, and a
 * recommendation can be queued twice (by its approval link and by the daily sweep), so a message
 * for a teardown that is finished, or held by another worker's live lease, is acknowledged and left:
 * retrying it would only fill the dead-letter queue and page someone for nothing. A retry after a
 * partial or failed teardown is a person's decision (`pocketwatch teardown ID --execute`), never a
 * duplicate message's.
 */
export type QueuedTeardownDecision = { run: true } | { run: false; reason: string };

export function queuedTeardownDecision(
  record: RecommendationRecord | undefined,
  owner: string,
  now: Date,
): QueuedTeardownDecision {
  if (record === undefined) return { run: false, reason: 'no such recommendation in the state table' };
  if (record.state === 'approved') return { run: true };
  if (record.state === 'executing') {
    const held = record.execution;
    if (!held || !leaseHeldByOther(record, owner, now)) return { run: true };
    return { run: false, reason: `being executed by ${held.owner} (lease until ${held.leaseUntil})` };
  }
  return { run: false, reason: `it is ${describeState(record)}, nothing to do` };
}

/** Approved recommendations no worker has started: what the daily run queues again. */
export function awaitingTeardown(records: readonly RecommendationRecord[]): RecommendationRecord[] {
  return records.filter((record) => record.state === 'approved');
}
