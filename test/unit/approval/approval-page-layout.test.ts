import { describe, expect, it } from 'vitest';
import { decidedSentence } from '../../../src/approval/approval-page-layout.js';
import {
  type ActionContext,
  type LifecycleEvent,
  proposedRecord,
  type RecommendationRecord,
  transition,
} from '../../../src/approval/lifecycle.js';
import type { Recommendation } from '../../../src/core/report.js';

const ARN = 'arn:aws:ec2:us-east-1:111122223333:natgateway/nat-1';
const RECOMMENDATION: Recommendation = {
  id: 'rec-1',
  poc: 'chatbot-poc',
  reason: 'idle',
  resources: [
    {
      arn: ARN,
      type: 'ec2:natgateway',
      region: 'us-east-1',
      account: '111122223333',
      window: { start: '2026-11-05', end: '2026-11-19', days: 14 },
      evidence: '0 B out in 14 days',
      monthlyCost: 0n,
      costSource: 'price-table',
      holdsData: false,
    },
  ],
  estimatedMonthlySavings: 0n,
};

function at(iso: string, actor = 'pocketwatch'): ActionContext {
  return { actor, at: new Date(iso), from: 'executor' };
}

function apply(record: RecommendationRecord, event: LifecycleEvent, context: ActionContext) {
  const next = transition(record, event, context);
  if (!next.ok) throw new Error(next.reason);
  return next.record;
}

describe('decidedSentence', () => {
  it('names who approved, and since when a teardown runs through its checkpoints and resumes', () => {
    let record = proposedRecord(RECOMMENDATION, at('2026-11-19T06:00:00Z'));
    record = apply(record, { kind: 'approve' }, at('2026-11-19T06:05:00Z', 'alice'));
    expect(decidedSentence(record)).toBe('approved by alice on 19 Nov 2026, 06:05 UTC');
    const start: LifecycleEvent = { kind: 'start', owner: 'w-1', leaseMs: 600_000, plan: [] };
    record = apply(record, start, at('2026-11-19T07:00:00Z'));
    record = apply(
      record,
      { kind: 'checkpoint', owner: 'w-1', deletionsStarted: [{ arn: ARN }] },
      at('2026-11-19T07:04:00Z'),
    );
    record = apply(record, start, at('2026-11-19T07:06:00Z'));
    expect(record.state).toBe('executing');
    expect(decidedSentence(record)).toBe('being torn down since 19 Nov 2026, 07:00 UTC');
  });
});
