import { describe, expect, it } from 'vitest';
import {
  proposedRecord,
  RECOMMENDATION_STATES,
  type RecommendationRecord,
  type RecommendationState,
} from '../../../src/approval/lifecycle.js';
import { awaitingTeardown, queuedTeardownDecision } from '../../../src/approval/queued-teardown.js';
import type { Recommendation } from '../../../src/core/report.js';

const NOW = new Date('2026-11-25T12:00:00Z');

function record(state: RecommendationState, id = 'rec-1', leaseUntil?: string): RecommendationRecord {
  const recommendation: Recommendation = {
    id,
    poc: 'chatbot-poc',
    reason: 'idle',
    resources: [],
    estimatedMonthlySavings: 0n,
  };
  return {
    ...proposedRecord(recommendation, { actor: 'pocketwatch', at: NOW, from: 'run' }),
    state,
    ...(leaseUntil ? { execution: { owner: 'worker-a', leaseUntil } } : {}),
  };
}

describe('queuedTeardownDecision', () => {
  it('runs an approved teardown', () => {
    expect(queuedTeardownDecision(record('approved'), 'worker-b', NOW)).toEqual({ run: true });
  });

  it('lets the lease holder resume, and anyone take over an expired lease', () => {
    const live = record('executing', 'rec-1', '2026-11-25T12:05:00.000Z');
    expect(queuedTeardownDecision(live, 'worker-a', NOW)).toEqual({ run: true });
    const expired = record('executing', 'rec-1', '2026-11-25T11:59:59.000Z');
    expect(queuedTeardownDecision(expired, 'worker-b', NOW)).toEqual({ run: true });
  });

  it('leaves a teardown another worker holds', () => {
    const live = record('executing', 'rec-1', '2026-11-25T12:05:00.000Z');
    expect(queuedTeardownDecision(live, 'worker-b', NOW)).toEqual({
      run: false,
      reason: 'being executed by worker-a (lease until 2026-11-25T12:05:00.000Z)',
    });
  });

  it('leaves every other state: a duplicate message never retries or revives a teardown', () => {
    const others = RECOMMENDATION_STATES.filter((state) => state !== 'approved' && state !== 'executing');
    expect(others).toHaveLength(6);
    for (const state of others) {
      const decision = queuedTeardownDecision(record(state), 'worker-b', NOW);
      expect(decision.run, state).toBe(false);
      expect(decision).toMatchObject({ reason: expect.stringContaining(state) });
    }
  });

  it('leaves a message for a recommendation the table does not have', () => {
    expect(queuedTeardownDecision(undefined, 'worker-b', NOW)).toEqual({
      run: false,
      reason: 'no such recommendation in the state table',
    });
  });
});

describe('awaitingTeardown', () => {
  it('picks the approved recommendations only', () => {
    const records = RECOMMENDATION_STATES.map((state) => record(state, `rec-${state}`));
    expect(awaitingTeardown(records).map((candidate) => candidate.id)).toEqual(['rec-approved']);
  });
});
