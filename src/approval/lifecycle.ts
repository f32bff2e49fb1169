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
 * Rejected, done, partially-done and failed are final for that id. The id is a hash of the PoC and the
 * exact resource set, so a set that changes is a new recommendation with its own lifecycle.
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

/** What was done to one resource during execution. */
export interface ResourceOutcome {
  arn: string;
  outcome: 'deleted' | 'stopped' | 'snapshotted' | 'skipped' | 'failed';
  detail?: string;
}

export type LifecycleEvent =
  | { kind: 'approve' }
  | { kind: 'reject'; reason: string }
  | { kind: 'snooze'; until: IsoDate }
  | { kind: 'start' }
  | { kind: 'finish'; outcomes: ResourceOutcome[] }
  | { kind: 'fail'; error: string };

export type LifecycleEventKind = LifecycleEvent['kind'];

/** Where an action came from. */
export type ActionOrigin = 'cli' | 'link' | 'run' | 'executor';

export interface ActionContext {
  /** Who acted: a person's name, or "pocketwatch" for the job itself. */
  actor: string;
  at: Date;
  from: ActionOrigin;
}

/** One line of the audit trail. It names exactly what was acted on: the resource set hash and ARNs. */
export interface AuditEntry {
  event: LifecycleEventKind | 'propose';
  actor: string;
  /** ISO 8601. */
  at: string;
  from: ActionOrigin;
  /** State before the event (absent for the proposal). */
  fromState?: RecommendationState;
  toState: RecommendationState;
  resourceSetHash: string;
  arns: string[];
  reason?: string;
  until?: IsoDate;
  outcomes?: ResourceOutcome[];
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
  executing: { finish: ['done', 'partially-done', 'failed'], fail: ['failed'] },
  rejected: {},
  done: {},
  'partially-done': {},
  failed: {},
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
    case 'start':
      next.state = 'executing';
      break;
    case 'finish': {
      const outcomes = event.outcomes;
      const arns = new Set(entry.arns);
      const reported = new Set(outcomes.map((outcome) => outcome.arn));
      const stray = outcomes.find((outcome) => !arns.has(outcome.arn));
      if (stray) return { ok: false, reason: `outcome for ${stray.arn}, which is not in the approved set` };
      const missing = entry.arns.find((arn) => !reported.has(arn));
      if (missing) return { ok: false, reason: `no outcome for ${missing}` };
      const failed = outcomes.filter((outcome) => outcome.outcome === 'failed').length;
      next.state = failed === 0 ? 'done' : failed === outcomes.length ? 'failed' : 'partially-done';
      next.outcomes = structuredClone(outcomes);
      entry.outcomes = structuredClone(outcomes);
      break;
    }
    case 'fail': {
      next.state = 'failed';
      entry.reason = event.error;
      break;
    }
  }
  entry.toState = next.state;
  next.audit = [...next.audit, entry];
  return { ok: true, record: next };
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
