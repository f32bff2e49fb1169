import { describe, expect, it } from 'vitest';
import {
  type ActionContext,
  canTransition,
  isSuppressed,
  type LifecycleEvent,
  type LifecycleEventKind,
  type OutcomeKind,
  proposedRecord,
  RECOMMENDATION_STATES,
  type RecommendationRecord,
  type RecommendationState,
  suppressed,
  TRANSITIONS,
  transition,
} from '../../../src/approval/lifecycle.js';
import { resourceSetHash } from '../../../src/approval/resource-set-hash.js';
import type { Recommendation } from '../../../src/core/report.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const CTX: ActionContext = { actor: 'alice', at: NOW, from: 'cli' };
const ARNS = ['arn:aws:ec2:us-east-1:111122223333:natgateway/nat-1', 'arn:aws:s3:::bucket-1'];

function recommendation(id = 'rec-1', arns = ARNS): Recommendation {
  return {
    id,
    poc: 'chatbot-poc',
    reason: 'idle',
    resources: arns.map((arn) => ({
      arn,
      type: 'ec2:natgateway',
      region: 'us-east-1',
      account: '111122223333',
      window: { start: '2026-10-26', end: '2026-11-25', days: 30 },
      evidence: '0 bytes in 30 days',
      monthlyCost: 32_000_000_000_000_000_000n,
      costSource: 'price-table',
      holdsData: false,
    })),
    estimatedMonthlySavings: 64_000_000_000_000_000_000n,
  };
}

function inState(state: RecommendationState, id = 'rec-1'): RecommendationRecord {
  const record = proposedRecord(recommendation(id), { actor: 'pocketwatch', at: NOW, from: 'run' });
  return { ...record, state, ...(state === 'snoozed' ? { snoozedUntil: '2026-12-01' } : {}) };
}

const EVENTS: Record<LifecycleEventKind, LifecycleEvent> = {
  approve: { kind: 'approve' },
  reject: { kind: 'reject', reason: 'still needed' },
  snooze: { kind: 'snooze', until: '2026-12-15' },
  start: {
    kind: 'start',
    owner: 'run-1',
    leaseMs: 60_000,
    plan: ARNS.map((arn) => ({ arn, action: 'delete' })),
  },
  checkpoint: {
    kind: 'checkpoint',
    owner: 'run-1',
    deletionsStarted: [{ arn: ARNS[0] as string, kept: 'snap-1' }],
  },
  finish: {
    kind: 'finish',
    owner: 'run-1',
    outcomes: ARNS.map((arn) => ({ arn, outcome: 'deleted' as const })),
  },
  fail: { kind: 'fail', owner: 'run-1', error: 'AccessDenied' },
};

const ALLOWED: [RecommendationState, LifecycleEventKind, RecommendationState][] = [
  ['proposed', 'approve', 'approved'],
  ['proposed', 'reject', 'rejected'],
  ['proposed', 'snooze', 'snoozed'],
  ['snoozed', 'approve', 'approved'],
  ['snoozed', 'reject', 'rejected'],
  ['snoozed', 'snooze', 'snoozed'],
  ['approved', 'start', 'executing'],
  ['executing', 'start', 'executing'],
  ['executing', 'checkpoint', 'executing'],
  ['executing', 'finish', 'done'],
  ['executing', 'fail', 'failed'],
  ['partially-done', 'start', 'executing'],
  ['failed', 'start', 'executing'],
];

describe('transition table', () => {
  it('covers every state', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...RECOMMENDATION_STATES].sort());
  });

  for (const [from, event, to] of ALLOWED) {
    it(`allows ${from} --${event}--> ${to}, appending an audit entry`, () => {
      const record = inState(from);
      const result = transition(record, EVENTS[event], CTX);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.record.state).toBe(to);
      expect(result.record.audit).toHaveLength(record.audit.length + 1);
      expect(result.record.audit.at(-1)).toMatchObject({
        event,
        actor: 'alice',
        at: NOW.toISOString(),
        from: 'cli',
        fromState: from,
        toState: to,
        resourceSetHash: resourceSetHash(ARNS),
        arns: ARNS,
      });
      // Pure: the input record is untouched.
      expect(record.state).toBe(from);
      expect(record.audit).toHaveLength(1);
    });
  }

  const allowed = new Set(ALLOWED.map(([from, event]) => `${from}:${event}`));
  for (const from of RECOMMENDATION_STATES) {
    for (const event of Object.keys(EVENTS) as LifecycleEventKind[]) {
      if (allowed.has(`${from}:${event}`)) continue;
      it(`refuses ${event} from ${from}`, () => {
        expect(canTransition(from, event)).toBe(false);
        const result = transition(inState(from), EVENTS[event], CTX);
        expect(result).toEqual({ ok: false, reason: expect.stringContaining(`cannot ${event}`) });
      });
    }
  }

  it('explains the refusal: approving a rejected one', () => {
    const result = transition(inState('rejected'), { kind: 'approve' }, CTX);
    expect(result).toEqual({
      ok: false,
      reason: 'cannot approve recommendation rec-1: it is rejected (no further action is possible)',
    });
  });
});

describe('event arguments', () => {
  it('a snooze needs a future date', () => {
    for (const until of ['2026-11-25', '2026-11-01']) {
      const result = transition(inState('proposed'), { kind: 'snooze', until }, CTX);
      expect(result).toEqual({ ok: false, reason: expect.stringContaining('not in the future') });
    }
    expect(transition(inState('proposed'), { kind: 'snooze', until: '2026-13-01' }, CTX)).toEqual({
      ok: false,
      reason: expect.stringContaining('not a date'),
    });
    const ok = transition(inState('proposed'), { kind: 'snooze', until: '2026-11-26' }, CTX);
    expect(ok.ok && ok.record.snoozedUntil).toBe('2026-11-26');
  });

  it('a rejection needs a reason, which is kept', () => {
    expect(transition(inState('proposed'), { kind: 'reject', reason: '  ' }, CTX).ok).toBe(false);
    const result = transition(inState('proposed'), { kind: 'reject', reason: 'demo next week' }, CTX);
    expect(result.ok && result.record.rejectedReason).toBe('demo next week');
    expect(result.ok && result.record.audit.at(-1)?.reason).toBe('demo next week');
  });

  it('an action needs an actor', () => {
    expect(transition(inState('proposed'), { kind: 'approve' }, { ...CTX, actor: '' }).ok).toBe(false);
  });

  it('approving a snoozed one clears the snooze date', () => {
    const result = transition(inState('snoozed'), { kind: 'approve' }, CTX);
    expect(result.ok && result.record.snoozedUntil).toBeUndefined();
  });

  it('finish: done, partially-done or failed from the per-resource outcomes', () => {
    const [a, b] = ARNS as [string, string];
    const cases: [[OutcomeKind, OutcomeKind], RecommendationState][] = [
      [['deleted', 'deleted'], 'done'],
      [['deleted', 'already-gone'], 'done'],
      [['kept', 'deleted'], 'done'],
      [['deleted', 'failed'], 'partially-done'],
      [['deleted', 'skipped'], 'partially-done'],
      [['already-gone', 'skipped'], 'partially-done'],
      [['failed', 'failed'], 'failed'],
      [['skipped', 'failed'], 'failed'],
    ];
    for (const [outcomes, expected] of cases) {
      const result = transition(
        inState('executing'),
        {
          kind: 'finish',
          owner: 'run-1',
          outcomes: [
            { arn: a, outcome: outcomes[0] },
            { arn: b, outcome: outcomes[1] },
          ],
        },
        { ...CTX, from: 'executor' },
      );
      expect(result.ok && result.record.state).toBe(expected);
      expect(result.ok && result.record.audit.at(-1)?.outcomes).toHaveLength(2);
    }
  });

  it('finish must account for exactly the approved resources', () => {
    const [a] = ARNS as [string];
    expect(
      transition(
        inState('executing'),
        { kind: 'finish', owner: 'run-1', outcomes: [{ arn: a, outcome: 'deleted' }] },
        CTX,
      ),
    ).toEqual({ ok: false, reason: expect.stringContaining('no outcome for') });
    expect(
      transition(
        inState('executing'),
        {
          kind: 'finish',
          owner: 'run-1',
          outcomes: [
            ...ARNS.map((arn) => ({ arn, outcome: 'deleted' as const })),
            { arn: 'x', outcome: 'deleted' },
          ],
        },
        CTX,
      ),
    ).toEqual({ ok: false, reason: expect.stringContaining('not in the approved set') });
  });
});

describe('execution lease', () => {
  const start = EVENTS.start as Extract<LifecycleEvent, { kind: 'start' }>;

  it('start records the plan and a lease; another executor cannot start while it holds', () => {
    const started = transition(inState('approved'), start, { ...CTX, from: 'executor' });
    if (!started.ok) throw new Error(started.reason);
    expect(started.record.execution).toEqual({ owner: 'run-1', leaseUntil: '2026-11-25T12:01:00.000Z' });
    expect(started.record.audit.at(-1)?.plan).toHaveLength(2);
    const second = { ...start, owner: 'run-2' };
    const during = transition(started.record, second, { ...CTX, at: new Date('2026-11-25T12:00:59Z') });
    expect(during).toEqual({ ok: false, reason: expect.stringContaining('being executed by run-1') });
    const after = transition(started.record, second, { ...CTX, at: new Date('2026-11-25T12:01:00Z') });
    expect(after.ok && after.record.execution?.owner).toBe('run-2');
    const resumed = transition(started.record, start, { ...CTX, at: new Date('2026-11-25T12:00:30Z') });
    expect(resumed.ok && resumed.record.execution?.leaseUntil).toBe('2026-11-25T12:01:30.000Z');
  });

  it('only the lease holder finishes or fails it, and the lease ends with it', () => {
    const started = transition(inState('approved'), start, CTX);
    if (!started.ok) throw new Error(started.reason);
    const other = { ...EVENTS.finish, owner: 'run-2' } as LifecycleEvent;
    expect(transition(started.record, other, CTX)).toEqual({
      ok: false,
      reason: expect.stringContaining('not run-2'),
    });
    expect(transition(started.record, { kind: 'fail', owner: 'run-2', error: 'x' }, CTX).ok).toBe(false);
    const finished = transition(started.record, EVENTS.finish, CTX);
    expect(finished.ok && finished.record.execution).toBeUndefined();
  });

  it('a checkpoint by the lease holder keeps the deletions asked for across a resume or a takeover', () => {
    const started = transition(inState('approved'), start, CTX);
    if (!started.ok) throw new Error(started.reason);
    const checkpoint = EVENTS.checkpoint as Extract<LifecycleEvent, { kind: 'checkpoint' }>;
    expect(transition(started.record, { ...checkpoint, owner: 'run-2' }, CTX).ok).toBe(false);
    expect(
      transition(started.record, { ...checkpoint, deletionsStarted: [{ arn: 'arn:aws:s3:::other' }] }, CTX),
    ).toEqual({ ok: false, reason: expect.stringContaining('not in the approved set') });
    const saved = transition(started.record, checkpoint, CTX);
    if (!saved.ok) throw new Error(saved.reason);
    expect(saved.record.state).toBe('executing');
    expect(saved.record.audit.at(-1)).toMatchObject({
      event: 'checkpoint',
      deletionsStarted: checkpoint.deletionsStarted,
    });
    const resumed = transition(saved.record, start, { ...CTX, at: new Date('2026-11-25T12:00:30Z') });
    expect(resumed.ok && resumed.record.execution?.deletionsStarted).toEqual(checkpoint.deletionsStarted);
    const takenOver = transition(
      saved.record,
      { ...start, owner: 'run-2' },
      { ...CTX, at: new Date('2026-11-25T12:05:00Z') },
    );
    expect(takenOver.ok && takenOver.record.execution).toEqual({
      owner: 'run-2',
      leaseUntil: '2026-11-25T12:06:00.000Z',
      deletionsStarted: checkpoint.deletionsStarted,
    });
  });

  it('a plan may only name approved resources, and a start needs an owner and a lease', () => {
    const stray = { ...start, plan: [{ arn: 'arn:aws:s3:::other', action: 'delete' as const }] };
    expect(transition(inState('approved'), stray, CTX)).toEqual({
      ok: false,
      reason: expect.stringContaining('not in the approved set'),
    });
    expect(transition(inState('approved'), { ...start, owner: '' }, CTX).ok).toBe(false);
    expect(transition(inState('approved'), { ...start, leaseMs: 0 }, CTX).ok).toBe(false);
  });

  it('records where a link action came from', () => {
    const result = transition(
      inState('proposed'),
      { kind: 'approve' },
      { ...CTX, from: 'link', address: '203.0.113.9' },
    );
    expect(result.ok && result.record.audit.at(-1)?.address).toBe('203.0.113.9');
  });
});

describe('suppression', () => {
  const a = recommendation('a');
  const b = recommendation('b');
  const c = recommendation('c');

  it('drops rejected ids and ids snoozed past today; keeps the rest', () => {
    const records = new Map<string, RecommendationRecord>([
      ['a', inState('rejected', 'a')],
      ['b', { ...inState('snoozed', 'b'), snoozedUntil: '2026-11-26' }],
    ]);
    expect(suppressed([a, b, c], records, NOW).map((r) => r.id)).toEqual(['c']);
  });

  it('a snooze ends on its date', () => {
    const record = { ...inState('snoozed', 'b'), snoozedUntil: '2026-11-25' };
    expect(isSuppressed(record, NOW)).toBe(false);
    expect(isSuppressed(record, new Date('2026-11-24T23:59:59Z'))).toBe(true);
    expect(suppressed([b], new Map([['b', record]]), NOW)).toEqual([b]);
  });

  it('other states and unknown ids are proposed', () => {
    for (const state of ['proposed', 'approved', 'executing', 'done', 'partially-done', 'failed'] as const) {
      expect(isSuppressed(inState(state), NOW)).toBe(false);
    }
    expect(isSuppressed(undefined, NOW)).toBe(false);
  });

  it('a changed resource set has a new id and is proposed again', () => {
    const records = new Map([['a', inState('rejected', 'a')]]);
    const changed = recommendation('a2', [...ARNS, 'arn:aws:s3:::bucket-2']);
    expect(suppressed([changed], records, NOW)).toEqual([changed]);
  });
});
