import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { publishTeardownOutcome } from '../../../src/app/teardown-notify.js';
import { proposedRecord, type RecommendationRecord } from '../../../src/approval/lifecycle.js';
import { parseMoney } from '../../../src/core/money.js';
import type { Recommendation } from '../../../src/core/report.js';
import { teardownMessage } from '../../../src/delivery/alert-message.js';
import { LocalStateStore } from '../../../src/state/local-state-store.js';

const NAT = 'arn:aws:ec2:us-east-1:111122223333:natgateway/nat-1';
const VOL = 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1';
const LAMBDA = 'arn:aws:lambda:us-east-1:111122223333:function:ask';

function finished(): RecommendationRecord {
  const resource = (arn: string, type: string, cost: string) => ({
    arn,
    type,
    region: 'us-east-1',
    account: '111122223333',
    window: { start: '2026-11-10', end: '2026-11-24', days: 14 },
    evidence: 'idle',
    monthlyCost: parseMoney(cost),
    costSource: 'price-table' as const,
    holdsData: false,
  });
  const recommendation: Recommendation = {
    id: 'rec-1',
    poc: 'chatbot-poc',
    reason: 'expired',
    resources: [
      resource(NAT, 'ec2:natgateway', '32.85'),
      resource(VOL, 'ec2:volume', '8'),
      resource(LAMBDA, 'lambda:function', '0'),
    ],
    estimatedMonthlySavings: parseMoney('40.85'),
  };
  const record = proposedRecord(recommendation, {
    actor: 'pocketwatch',
    at: new Date('2026-11-20T00:00:00Z'),
    from: 'run',
  });
  return {
    ...record,
    state: 'partially-done',
    version: 4,
    outcomes: [
      { arn: NAT, outcome: 'deleted', detail: 'deleted' },
      { arn: VOL, outcome: 'deleted', detail: 'deleted; final copy kept: snap-1', kept: 'snap-1' },
      { arn: LAMBDA, outcome: 'skipped', detail: 'its poc tag is now "other", not "chatbot-poc"' },
    ],
    audit: [
      ...record.audit,
      {
        event: 'approve',
        actor: 'alice',
        at: '2026-11-21T09:00:00.000Z',
        from: 'link',
        fromState: 'proposed',
        toState: 'approved',
        resourceSetHash: record.resourceSetHash,
        arns: [],
      },
    ],
  };
}

describe('teardownMessage', () => {
  it('says what happened to each resource, what it saves, and what to do next', () => {
    const message = teardownMessage({
      record: finished(),
      owners: ['dana@example.com'],
      currency: 'USD',
      retryCommand: 'pocketwatch teardown rec-1 --execute',
    });
    expect(message.subject).toBe('[pocketwatch] chatbot-poc teardown partially-done: 2 deleted, 1 skipped');
    expect(message.body).toContain(
      'The approved teardown of chatbot-poc finished partially-done: 2 deleted, 1 skipped. It saves about $40.85 a month.',
    );
    expect(message.body).toContain('Approved: by alice via link on 2026-11-21');
    expect(message.body).toContain('- deleted: EBS volume vol-1 (deleted; final copy kept: snap-1)');
    expect(message.body).toContain(
      '- skipped: Lambda function ask (its poc tag is now "other", not "chatbot-poc")',
    );
    expect(message.body).toContain('Final snapshots and backups are kept');
    expect(message.attributes.kind?.StringValue).toBe('teardown');
    expect(message.attributes.severity?.StringValue).toBe('warning');
    expect(message.attributes.owner?.StringValue).toBe('dana@example.com');
  });
});

/** A fresh state file and a notice for the finished teardown, published by `publish`. */
async function noticeWith(publish: (input: PublishCommandInput) => Promise<string>) {
  const state = new LocalStateStore(join(await mkdtemp(join(tmpdir(), 'pocketwatch-notice-')), 'state.json'));
  return {
    state,
    notice: {
      record: finished(),
      owners: ['dana@example.com'],
      currency: 'USD',
      topicArn: 'arn:aws:sns:us-east-1:111122223333:alerts',
      publisher: { publish },
      state,
      runId: 'run-1',
      now: new Date(),
      retryCommand: 'pocketwatch teardown rec-1 --execute',
    },
  };
}

describe('publishTeardownOutcome', () => {
  it('publishes each finished execution once, even when called again', async () => {
    const sent: PublishCommandInput[] = [];
    const { notice } = await noticeWith(async (input) => {
      sent.push(input);
      return `m-${sent.length}`;
    });
    expect(await publishTeardownOutcome(notice)).toBe('sent');
    expect(await publishTeardownOutcome({ ...notice, runId: 'run-2' })).toBe('already sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.TopicArn).toBe(notice.topicArn);
    // A later retry that finishes the rest is a new execution (a new version), reported again.
    expect(await publishTeardownOutcome({ ...notice, record: { ...finished(), version: 6 } })).toBe('sent');
    expect(sent).toHaveLength(2);
  });

  it('a failed publish stays unsent for the next try', async () => {
    const { notice } = await noticeWith(async () => {
      throw new Error('sns:Publish failed (InternalError)');
    });
    await expect(publishTeardownOutcome(notice)).rejects.toThrow('InternalError');
    const ok = { ...notice, publisher: { publish: async () => 'm-1' } };
    expect(await publishTeardownOutcome(ok)).toBe('sent');
  });

  it('keeps the claim when the message went out but could not be recorded, so a retry sends nothing', async () => {
    const sent: string[] = [];
    const { state, notice: base } = await noticeWith(async () => {
      sent.push('m');
      return `m-${sent.length}`;
    });
    const notice = {
      ...base,
      state: Object.assign(Object.create(state) as LocalStateStore, {
        completeDelivery: () => Promise.reject(new Error('disk full')),
      }),
    };
    await expect(publishTeardownOutcome(notice)).rejects.toThrow('disk full');
    expect(await publishTeardownOutcome({ ...notice, state, runId: 'run-2' })).toBe('already sent');
    expect(sent).toHaveLength(1);
  });
});
