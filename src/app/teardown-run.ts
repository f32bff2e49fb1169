import {
  type ActionOrigin,
  canTransition,
  describeState,
  type RecommendationRecord,
  type ResourceOutcome,
  type StartedDeletion,
  transition,
} from '../approval/lifecycle.js';
import type { RecommendationStore } from '../approval/recommendation-store.js';
import { todayIso } from '../core/calendar.js';
import type { ActivityReader } from '../inventory/metric-query.js';
import type { PolicySet } from '../policy/model.js';
import { teardownDataOf } from '../policy/teardown-data.js';
import type { AwsClientPool } from '../teardown/aws-client-pool.js';
import type { Deleter } from '../teardown/deleter.js';
import { executePlan } from '../teardown/executor.js';
import { recheckResources } from '../teardown/recheck.js';
import {
  creditEarlierDeletions,
  plannedSteps,
  planTeardown,
  type TeardownPlan,
} from '../teardown/teardown-plan.js';

/** What a teardown acts through: the live account. */
export interface TeardownAws {
  clients: AwsClientPool;
  /** CloudWatch, for the idle re-check. */
  activity: ActivityReader;
  /** The account the credentials act in. */
  account: string;
}

export interface TeardownRunInput {
  id: string;
  /** dry-run: re-check and plan, change nothing; execute: re-check, plan, record, delete. */
  mode: 'dry-run' | 'execute';
  store: RecommendationStore;
  policySet: PolicySet;
  aws: TeardownAws;
  /** Who runs it, for the audit trail. */
  actor: string;
  from: ActionOrigin;
  /** This execution's id: it holds the lease, and may resume its own unfinished execution. */
  owner: string;
  /** Epoch ms: stop waiting for slow deletions then (a Lambda's remaining time). */
  deadline?: number;
  now?: () => Date;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onOutcome?: (outcome: ResourceOutcome) => void;
  /** Called once with the finished record (the outcome notification). */
  onFinished?: (record: RecommendationRecord) => Promise<void>;
  deleters?: Readonly<Record<string, Deleter>>;
}

export interface TeardownRunResult {
  /** The record after this run (unchanged for a dry run). */
  record: RecommendationRecord;
  plan: TeardownPlan;
  /** Per resource, once executed. */
  outcomes: ResourceOutcome[];
  /** False when deletions were still under way at the deadline: run again to finish. */
  finished: boolean;
  pending: string[];
}

export class TeardownError extends Error {
  override readonly name = 'TeardownError';
}

/** How long an execution's lease outlives its deadline, so a crash frees it soon after. */
const LEASE_MARGIN_MS = 5 * 60 * 1000;
/** Without a deadline (the CLI waits as long as it takes), the lease a run takes. */
const DEFAULT_LEASE_MS = 2 * 60 * 60 * 1000;

/**
 * A teardown, for the CLI and the teardown worker alike. Nothing is deleted without a recorded
 * approval, a fresh re-check of every resource and a dry-run plan: a dry run stops after the plan;
 * an execution records the plan in the audit trail as it starts (taking the lease, so two executors
 * never run one teardown), executes it, and records every resource's outcome.
 */
export async function runTeardown(input: TeardownRunInput): Promise<TeardownRunResult> {
  const now = input.now ?? (() => new Date());
  const record = await input.store.getRecommendation(input.id);
  if (!record) throw new TeardownError(`no recommendation with id "${input.id}"`);
  const { settings } = input.policySet;
  if (input.mode === 'execute') assertExecutable(record, input.aws.account, settings.teardownAccounts);

  const checks = await recheckResources({
    record,
    policySet: input.policySet,
    account: input.aws.account,
    clients: input.aws.clients,
    activity: input.aws.activity,
    asOf: todayIso(now()),
    ...(input.deleters ? { deleters: input.deleters } : {}),
  });
  const policy = input.policySet.policies.find((candidate) => candidate.poc === record.recommendation.poc);
  const earlier = earlierDeletions(record);
  const plan = creditEarlierDeletions(
    planTeardown(record.id, record.recommendation.poc, checks, teardownDataOf(policy)),
    earlier,
  );
  if (input.mode === 'dry-run') return { record, plan, outcomes: [], finished: false, pending: [] };

  const startedAt = now();
  const leaseMs =
    input.deadline !== undefined
      ? Math.max(input.deadline - startedAt.getTime(), 0) + LEASE_MARGIN_MS
      : DEFAULT_LEASE_MS;
  const context = { actor: input.actor, at: startedAt, from: input.from };
  const started = transition(
    record,
    { kind: 'start', owner: input.owner, leaseMs, plan: plannedSteps(plan) },
    context,
  );
  if (!started.ok) throw new TeardownError(started.reason);
  if (!(await input.store.updateRecommendation(record.id, record.version, started.record))) {
    throw new TeardownError(`recommendation ${record.id} changed while the teardown started; run it again`);
  }
  const running = { ...started.record, version: record.version + 1 };

  const execution = await executePlan(plan, {
    clients: input.aws.clients,
    expectations: {
      tagKey: settings.tagKey,
      poc: record.recommendation.poc,
      protectTag: settings.protectTag,
    },
    ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
    ...(input.pollMs !== undefined ? { pollMs: input.pollMs } : {}),
    ...(input.sleep ? { sleep: input.sleep } : {}),
    ...(input.onOutcome ? { onOutcome: input.onOutcome } : {}),
    deletionsStarted: earlier,
    now: () => now().getTime(),
  });
  if (!execution.finished) {
    // The lease still holds: this owner resumes it (the worker queues itself again), or anyone once
    // the lease has run out. What it asked to delete is recorded for the invocation that resumes.
    const checkpoint = transition(
      running,
      { kind: 'checkpoint', owner: input.owner, deletionsStarted: execution.deletionsStarted },
      { ...context, at: now() },
    );
    const saved =
      checkpoint.ok &&
      (await input.store.updateRecommendation(record.id, running.version, checkpoint.record));
    return {
      record: saved && checkpoint.ok ? { ...checkpoint.record, version: running.version + 1 } : running,
      plan,
      outcomes: execution.outcomes,
      finished: false,
      pending: execution.pending,
    };
  }

  const finished = transition(
    running,
    { kind: 'finish', owner: input.owner, outcomes: execution.outcomes },
    { ...context, at: now() },
  );
  if (!finished.ok) throw new TeardownError(finished.reason);
  if (!(await input.store.updateRecommendation(record.id, running.version, finished.record))) {
    throw new TeardownError(
      `recommendation ${record.id} changed during the teardown, so its outcomes were not recorded: ${execution.outcomes
        .map((outcome) => `${outcome.arn} ${outcome.outcome}`)
        .join('; ')}`,
    );
  }
  const done = { ...finished.record, version: running.version + 1 };
  await input.onFinished?.(done);
  return { record: done, plan, outcomes: execution.outcomes, finished: true, pending: [] };
}

/**
 * What earlier invocations of this teardown asked to delete: recorded at the checkpoint of an
 * execution that is resumed or taken over, or the deletions of a partly done one retried.
 */
function earlierDeletions(record: RecommendationRecord): StartedDeletion[] {
  if (record.state === 'executing') return record.execution?.deletionsStarted ?? [];
  if (record.state !== 'partially-done' && record.state !== 'failed') return [];
  return (record.outcomes ?? [])
    .filter((outcome) => outcome.outcome === 'deleted')
    .map((outcome) => ({ arn: outcome.arn, ...(outcome.kept ? { kept: outcome.kept } : {}) }));
}

/** Refuses before anything is read when the record or the account rules out an execution. */
function assertExecutable(
  record: RecommendationRecord,
  account: string,
  allowList: readonly string[] = [],
): void {
  if (!canTransition(record.state, 'start')) {
    const hint =
      record.state === 'proposed' || record.state === 'snoozed'
        ? `; approve it first (pocketwatch approve ${record.id})`
        : '';
    throw new TeardownError(`recommendation ${record.id} is ${describeState(record)}, not approved${hint}`);
  }
  if (allowList.length === 0) {
    throw new TeardownError(
      'no account is on the teardown allow-list: add the account id to teardownAccounts in settings.yaml to let teardowns act in it',
    );
  }
  if (!allowList.includes(account)) {
    throw new TeardownError(
      `account ${account} is not on the teardown allow-list (teardownAccounts: ${allowList.join(', ')})`,
    );
  }
}
