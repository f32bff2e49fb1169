import { type IsoDate, isIsoDate, todayIso } from '../core/calendar.js';
import type { Recommendation } from '../core/report.js';
import { recommendationResourceSetHash } from './resource-set-hash.js';

/**
 * The recommendation lifecycle (pure: no I/O, no clock):
 *
 *   proposed ─┬─ approve ─▶ approved ── start ─▶ executing ── finish ─▶ done | partially-done | failed
 *             ├─ reject ──▶ rejected                        └─ fail ───▶ failed
 *             └─ snooze ──▶ snoozed(until) ── approve | reject | snooze (again) ─▶ …
 *
 * Rejected and done are final for that id. An execution holds a lease: `start` again from
 * `executing` is allowed only once the lease has run out (the executor crashed), and from
 * `partially-done` or `failed` it retries what is left of the approved set (the teardown is idempotent:
 * what is already gone is reported as such). The id is a hash of the PoC and the exact resource set, so
 * a set that changes is a new recommendation with its own lifecycle.
 */
export type RecommendationState =
  | 'proposed'
  | 'approved'
  | 'rejected'
  | 'snoozed'
  | 'executing'
  | 'done'
  | 'partially-done'
  | 'failed';

export const RECOMMENDATION_STATES: readonly RecommendationState[] = [
  'proposed',
  'approved',
  'rejected',
  'snoozed',
  'executing',
  'done',
  'partially-done',
  'failed',
];

/**
 * What was done to one resource during execution: deleted; already gone before this execution
 * touched it; kept on purpose (a data store the policy keeps); skipped by a safety check (never
 * deleted); or failed (an error, or stuck behind a dependency).
 */
export type OutcomeKind = 'deleted' | 'already-gone' | 'kept' | 'skipped' | 'failed';

export interface ResourceOutcome {
  arn: string;
  outcome: OutcomeKind;
  detail?: string;
  /** What was kept of its data: a final snapshot or backup id. */
  kept?: string;
}

/** One step of the dry-run plan an execution starts from, as recorded in the audit trail. */
export interface PlannedStep {
  arn: string;
  /**
   * delete; delete-stack (a stack with its resources); with-stack (goes with its stack); keep (data
   * kept, not deleted); skip (a check failed: the reason is in detail); already-gone.
   */
  action: 'delete' | 'delete-stack' | 'with-stack' | 'keep' | 'skip' | 'already-gone';
  detail?: string;
}

/** The running execution: who runs it and until when its lease holds. */
export interface Execution {
  owner: string;
  /** ISO 8601. Another executor may take over after this instant. */
  leaseUntil: string;
  /**
   * Deletions this execution has asked for, recorded when an invocation stops before they finish, so
   * the one that resumes reports them as deleted rather than "already gone".
   */
  deletionsStarted?: StartedDeletion[];
}

/** A deletion the teardown asked for, and the final copy it kept first, if any. */
export interface StartedDeletion {
  arn: string;
  kept?: string;
}

export type LifecycleEvent =
  | { kind: 'approve' }
  | { kind: 'reject'; reason: string }
  | { kind: 'snooze'; until: IsoDate }
  | { kind: 'start'; owner: string; leaseMs: number; plan: PlannedStep[] }
  | { kind: 'checkpoint'; owner: string; deletionsStarted: StartedDeletion[] }
  | { kind: 'finish'; owner: string; outcomes: ResourceOutcome[] }
  | { kind: 'fail'; owner: string; error: string };

export type LifecycleEventKind = LifecycleEvent['kind'];

/** Where an action came from. */
export type ActionOrigin = 'cli' | 'link' | 'run' | 'executor';

export interface ActionContext {
  /** Who acted: a person's name, or "pocketwatch" for the job itself. */
  actor: string;
  at: Date;
  from: ActionOrigin;
  /** Where the request came from, for links: the client's address and browser. */
  address?: string;
}

/** One line of the audit trail. It names exactly what was acted on: the resource set hash and ARNs. */
export interface AuditEntry {
  event: LifecycleEventKind | 'propose';
  actor: string;
  /** ISO 8601. */
  at: string;
  from: ActionOrigin;
  /** The client's address and browser, for actions taken through a link. */
  address?: string;
  /** State before the event (absent for the proposal). */
  fromState?: RecommendationState;
  toState: RecommendationState;
  resourceSetHash: string;
  arns: string[];
  reason?: string;
  until?: IsoDate;
  outcomes?: ResourceOutcome[];
  /** The dry-run plan an execution started from. */
  plan?: PlannedStep[];
  /** At a checkpoint: the deletions asked for so far. */
  deletionsStarted?: StartedDeletion[];
}

export interface RecommendationRecord {
  id: string;
  state: RecommendationState;
  /** Optimistic-concurrency version: 1 when proposed, +1 on each stored update. */
  version: number;
  /** The recommendation as first proposed: what a person sees and approves. */
  recommendation: Recommendation;
  resourceSetHash: string;
  /** ISO 8601. */
  proposedAt: string;
  /** While snoozed: proposed again from this day (UTC) on. */
  snoozedUntil?: IsoDate;
  /** Why it was rejected. */
  rejectedReason?: string;
  /** What was done to each resource, once execution finished. */
  outcomes?: ResourceOutcome[];
  /** While executing: the executor's lease. */
  execution?: Execution;
  audit: AuditEntry[];
}

/**
 * The allowed transitions: state → event → the states it may lead to. `finish` picks done,
 * partially-done or failed from the outcomes; every other event has exactly one target.
 */
export const TRANSITIONS: Readonly<
  Record<RecommendationState, Readonly<Partial<Record<LifecycleEventKind, readonly RecommendationState[]>>>>
> = {
  proposed: { approve: ['approved'], reject: ['rejected'], snooze: ['snoozed'] },
  snoozed: { approve: ['approved'], reject: ['rejected'], snooze: ['snoozed'] },
  approved: { start: ['executing'] },
  executing: {
    start: ['executing'],
    checkpoint: ['executing'],
    finish: ['done', 'partially-done', 'failed'],
    fail: ['failed'],
  },
  rejected: {},
  done: {},
  'partially-done': { start: ['executing'] },
  failed: { start: ['executing'] },
};

export type TransitionResult = { ok: true; record: RecommendationRecord } | { ok: false; reason: string };

/** Whether `event` is allowed from `state` at all (arguments aside). */
export function canTransition(state: RecommendationState, event: LifecycleEventKind): boolean {
  return TRANSITIONS[state][event] !== undefined;
}

/** A new `proposed` record for a recommendation, with the proposal as the first audit entry. */
export function proposedRecord(recommendation: Recommendation, context: ActionContext): RecommendationRecord {
  const hash = recommendationResourceSetHash(recommendation);
  return {
    id: recommendation.id,
    state: 'proposed',
    version: 1,
    recommendation,
    resourceSetHash: hash,
    proposedAt: context.at.toISOString(),
    audit: [
      {
        event: 'propose',
        actor: context.actor,
        at: context.at.toISOString(),
        from: context.from,
        toState: 'proposed',
        resourceSetHash: hash,
        arns: recommendation.resources.map((resource) => resource.arn),
      },
    ],
  };
}

/**
 * Applies an event. Returns the next record (state changed, audit entry appended; the version is left
 * for the store to bump) or the reason it is refused. Never mutates `record`.
 */
export function transition(
  record: RecommendationRecord,
  event: LifecycleEvent,
  context: ActionContext,
): TransitionResult {
  const targets = TRANSITIONS[record.state][event.kind];
  if (targets === undefined) {
    const allowed = Object.keys(TRANSITIONS[record.state]);
    return {
      ok: false,
      reason: `cannot ${event.kind} recommendation ${record.id}: it is ${describeState(record)}${
        allowed.length > 0 ? ` (allowed now: ${allowed.join(', ')})` : ' (no further action is possible)'
      }`,
    };
  }
  if (typeof context.actor !== 'string' || context.actor.trim() === '') {
    return { ok: false, reason: 'an action needs an actor (who is acting)' };
  }
  if (!Number.isFinite(context.at.getTime())) return { ok: false, reason: 'an action needs a valid time' };

  const next: RecommendationRecord = structuredClone(record);
  const entry: AuditEntry = {
    event: event.kind,
    actor: context.actor,
    at: context.at.toISOString(),
    from: context.from,
    ...(context.address ? { address: context.address } : {}),
    fromState: record.state,
    toState: record.state,
    resourceSetHash: record.resourceSetHash,
    arns: record.recommendation.resources.map((resource) => resource.arn),
  };
  delete next.snoozedUntil;

  switch (event.kind) {
    case 'approve':
      next.state = 'approved';
      break;
    case 'reject': {
      const reason = typeof event.reason === 'string' ? event.reason.trim() : '';
      if (reason === '') return { ok: false, reason: 'a rejection needs a reason' };
      next.state = 'rejected';
      next.rejectedReason = reason;
      entry.reason = reason;
      break;
    }
    case 'snooze': {
      if (typeof event.until !== 'string' || !isIsoDate(event.until)) {
        return { ok: false, reason: `snooze date "${String(event.until)}" is not a date (YYYY-MM-DD)` };
      }
      const today = todayIso(context.at);
      if (event.until <= today) {
        return {
          ok: false,
          reason: `snooze date ${event.until} is not in the future (today is ${today} UTC)`,
        };
      }
      next.state = 'snoozed';
      next.snoozedUntil = event.until;
      entry.until = event.until;
      break;
    }
    case 'start': {
      if (typeof event.owner !== 'string' || event.owner === '') {
        return { ok: false, reason: 'an execution needs an owner' };
      }
      if (!Number.isSafeInteger(event.leaseMs) || event.leaseMs <= 0) {
        return { ok: false, reason: 'an execution needs a positive lease' };
      }
      // The lease holder itself may resume (a worker that ran out of time and queued itself again).
      const held = record.state === 'executing' ? record.execution : undefined;
      if (held && leaseHeldByOther(record, event.owner, context.at)) {
        return {
          ok: false,
          reason: `recommendation ${record.id} is being executed by ${held.owner} (lease until ${held.leaseUntil})`,
        };
      }
      const arns = new Set(entry.arns);
      const stray = event.plan.find((step) => !arns.has(step.arn));
      if (stray) return { ok: false, reason: `plan step for ${stray.arn}, which is not in the approved set` };
      next.state = 'executing';
      next.execution = {
        owner: event.owner,
        leaseUntil: new Date(context.at.getTime() + event.leaseMs).toISOString(),
        // Resuming or taking over: what the execution already asked to delete stays known.
        ...(held?.deletionsStarted ? { deletionsStarted: structuredClone(held.deletionsStarted) } : {}),
      };
      entry.plan = structuredClone(event.plan);
      break;
    }
    case 'checkpoint': {
      const owned = ownsExecution(record, event.owner);
      if (owned !== undefined) return { ok: false, reason: owned };
      const arns = new Set(entry.arns);
      const stray = event.deletionsStarted.find((started) => !arns.has(started.arn));
      if (stray) return { ok: false, reason: `deletion of ${stray.arn}, which is not in the approved set` };
      if (next.execution) next.execution.deletionsStarted = structuredClone(event.deletionsStarted);
      entry.deletionsStarted = structuredClone(event.deletionsStarted);
      break;
    }
    case 'finish': {
      const owned = ownsExecution(record, event.owner);
      if (owned !== undefined) return { ok: false, reason: owned };
      const outcomes = event.outcomes;
      const arns = new Set(entry.arns);
      const reported = new Set(outcomes.map((outcome) => outcome.arn));
      const stray = outcomes.find((outcome) => !arns.has(outcome.arn));
      if (stray) return { ok: false, reason: `outcome for ${stray.arn}, which is not in the approved set` };
      const missing = entry.arns.find((arn) => !reported.has(arn));
      if (missing) return { ok: false, reason: `no outcome for ${missing}` };
      next.state = finishedState(outcomes);
      next.outcomes = structuredClone(outcomes);
      entry.outcomes = structuredClone(outcomes);
      delete next.execution;
      break;
    }
    case 'fail': {
      const owned = ownsExecution(record, event.owner);
      if (owned !== undefined) return { ok: false, reason: owned };
      next.state = 'failed';
      entry.reason = event.error;
      delete next.execution;
      break;
    }
  }
  entry.toState = next.state;
  next.audit = [...next.audit, entry];
  return { ok: true, record: next };
}

/**
 * done: everything in the set is gone (deleted, already gone) or kept on purpose; failed: nothing was
 * removed and something failed or was skipped; partially-done: the rest.
 */
export function finishedState(outcomes: readonly ResourceOutcome[]): RecommendationState {
  const settled = outcomes.filter(
    (o) => o.outcome === 'deleted' || o.outcome === 'already-gone' || o.outcome === 'kept',
  );
  if (settled.length === outcomes.length) return 'done';
  return settled.length > 0 ? 'partially-done' : 'failed';
}

/** Why `owner` may not finish the execution, or undefined when it holds it. */
function ownsExecution(record: RecommendationRecord, owner: string): string | undefined {
  if (record.execution && record.execution.owner !== owner) {
    return `recommendation ${record.id} is being executed by ${record.execution.owner}, not ${owner}`;
  }
  return undefined;
}

/** Whether another executor than `owner` holds a live lease on this record's execution at `now`. */
export function leaseHeldByOther(record: RecommendationRecord, owner: string, now: Date): boolean {
  const held = record.state === 'executing' ? record.execution : undefined;
  return held !== undefined && held.owner !== owner && Date.parse(held.leaseUntil) > now.getTime();
}

/** "snoozed until 2026-12-01", "rejected", … */
export function describeState(record: RecommendationRecord): string {
  if (record.state === 'snoozed' && record.snoozedUntil) return `snoozed until ${record.snoozedUntil}`;
  return record.state;
}

/**
 * Whether a run should leave this recommendation out: it was rejected, or snoozed until a day after
 * `now` (UTC). Same id means same resource set, so a changed set is never suppressed by this.
 */
export function isSuppressed(record: RecommendationRecord | undefined, now: Date): boolean {
  if (record === undefined) return false;
  if (record.state === 'rejected') return true;
  if (record.state === 'snoozed')
    return record.snoozedUntil !== undefined && record.snoozedUntil > todayIso(now);
  return false;
}

/**
 * Of a run's proposals, the ones to keep: drops those whose stored record is rejected or still
 * snoozed at `now`. `records` is the store's state, by id.
 */
export function suppressed(
  recommendations: readonly Recommendation[],
  records: ReadonlyMap<string, RecommendationRecord>,
  now: Date,
): Recommendation[] {
  return recommendations.filter((recommendation) => !isSuppressed(records.get(recommendation.id), now));
}
