import type { ResourceOutcome, StartedDeletion } from '../approval/lifecycle.js';
import { errorMessage } from '../core/error-message.js';
import type { AwsClientPool } from './aws-client-pool.js';
import type { LiveResource } from './deleter.js';
import { awsErrorCode } from './deleters/aws-error.js';
import { describeLive } from './describe-live.js';
import { stackName } from './recheck.js';
import { type OwnershipExpectations, safetyProblem } from './safety-check.js';
import type { PlanStep, TeardownPlan } from './teardown-plan.js';

export interface ExecuteOptions {
  clients: AwsClientPool;
  /** What every resource must still be right before its delete call. */
  expectations: OwnershipExpectations;
  /** Epoch ms: stop waiting for deletions then and report the rest as unfinished. */
  deadline?: number;
  /** The longest wait between passes while deletions finish (default 15 s); waits start at 1 s and double. */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Each outcome as it is decided, for progress output. */
  onOutcome?: (outcome: ResourceOutcome) => void;
  /**
   * Deletions an earlier invocation of this execution asked for: gone now means deleted by this
   * teardown, not "already gone".
   */
  deletionsStarted?: readonly StartedDeletion[];
}

export interface ExecutionResult {
  /** One per plan step whose fate is known, plus the plan's settled outcomes. */
  outcomes: ResourceOutcome[];
  /** False when the deadline came first; `pending` are still on their way out. */
  finished: boolean;
  pending: string[];
  /** Every deletion asked for, by this invocation or an earlier one: what a resume must know. */
  deletionsStarted: StartedDeletion[];
}

type Phase = 'todo' | 'copying' | 'deleting' | 'done';

interface StepState {
  step: PlanStep;
  phase: Phase;
  /** This execution asked for the deletion (so "gone" afterwards means deleted, not already gone). */
  started: boolean;
  kept?: string;
  /** The last "not yet" error: what a stuck step reports. */
  blockedBy?: string;
  /** Describe failures in a row. */
  errors: number;
  /** Deletions the service reported as failed (a stack in DELETE_FAILED): retried once. */
  failures: number;
}

/** Passes without progress (and nothing in flight) before the remaining steps count as stuck. */
const STUCK_AFTER_PASSES = 2;
/** The first wait between passes: quick deletions (an address, a function) are confirmed fast. */
const FIRST_WAIT_MS = 1000;
/** Describe failures in a row before a step fails. */
const MAX_DESCRIBE_ERRORS = 3;

/**
 * Runs a plan: repeated passes in plan order until every step is settled or stuck, as aws-nuke
 * does, but bounded. Each pass re-describes a resource right before deleting it and re-applies the
 * ownership and protection checks then, deletes it (after its final copy, when data is kept), and
 * treats "not found" as already gone and "in use" as "try again next pass". Deletions that finish
 * later (NAT gateways, stacks, databases) are polled until the service says they are gone. Running
 * it again after a crash finishes the job: what is gone is reported as such, final copies already
 * started are reused.
 */
export async function executePlan(plan: TeardownPlan, options: ExecuteOptions): Promise<ExecutionResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = options.pollMs ?? 15_000;
  const earlier = new Map((options.deletionsStarted ?? []).map((started) => [started.arn, started]));
  const states: StepState[] = plan.steps.map((step) => {
    const before = earlier.get(step.target.arn);
    return {
      step,
      phase: 'todo',
      started: before !== undefined,
      ...(before?.kept ? { kept: before.kept } : {}),
      errors: 0,
      failures: 0,
    };
  });
  const deletionsStarted = (): StartedDeletion[] => {
    const asked = new Map(earlier);
    for (const state of states) {
      if (state.started) {
        asked.set(state.step.target.arn, {
          arn: state.step.target.arn,
          ...(state.kept ? { kept: state.kept } : {}),
        });
      }
    }
    return [...asked.values()];
  };
  const outcomes = new Map<string, ResourceOutcome>();
  const settle = (state: StepState, outcome: Omit<ResourceOutcome, 'arn'>) => {
    state.phase = 'done';
    const full: ResourceOutcome = {
      arn: state.step.target.arn,
      ...outcome,
      ...(state.kept && !outcome.kept ? { kept: state.kept } : {}),
    };
    outcomes.set(full.arn, full);
    options.onOutcome?.(full);
  };

  let idlePasses = 0;
  let wait = Math.min(FIRST_WAIT_MS, pollMs);
  for (;;) {
    let progressed = false;
    for (const state of states) {
      if (state.phase === 'done') continue;
      const before = `${state.phase}:${state.kept ?? ''}`;
      if (state.step.action === 'with-stack') await advanceWithStack(state, outcomes, options, settle);
      else if (state.phase === 'deleting') await awaitGone(state, options, settle);
      else await attemptDelete(state, options, settle);
      if (`${state.phase}:${state.kept ?? ''}` !== before) progressed = true;
    }
    const open = states.filter((state) => state.phase !== 'done');
    if (open.length === 0) break;
    const inFlight = open.some(
      (state) =>
        state.phase === 'copying' || state.phase === 'deleting' || state.step.action === 'with-stack',
    );
    idlePasses = progressed || inFlight ? 0 : idlePasses + 1;
    if (idlePasses >= STUCK_AFTER_PASSES) {
      for (const state of open) {
        settle(state, {
          outcome: 'failed',
          detail: `stuck: ${state.blockedBy ?? 'it could not be deleted'}; nothing else in the set was holding it`,
        });
      }
      break;
    }
    if (options.deadline !== undefined && now() + wait >= options.deadline) {
      return {
        outcomes: [...plan.settled, ...outcomes.values()],
        finished: false,
        pending: open.map((state) => state.step.target.arn),
        deletionsStarted: deletionsStarted(),
      };
    }
    await sleep(wait);
    wait = Math.min(wait * 2, pollMs);
  }
  return {
    outcomes: [...plan.settled, ...plan.steps.map((step) => outcomes.get(step.target.arn)).filter(isOutcome)],
    finished: true,
    pending: [],
    deletionsStarted: deletionsStarted(),
  };
}

type Settle = (state: StepState, outcome: Omit<ResourceOutcome, 'arn'>) => void;

/** todo or copying: describe, check, delete (or take the final copy first). */
async function attemptDelete(state: StepState, options: ExecuteOptions, settle: Settle): Promise<void> {
  const { step } = state;
  const live = await describe(state, options, settle);
  if (!live) return;
  if (live.status === 'gone') {
    settle(
      state,
      state.started
        ? deletedOutcome(state)
        : { outcome: 'already-gone', detail: 'gone before this teardown reached it' },
    );
    return;
  }
  if (live.status === 'deleting') {
    state.phase = 'deleting';
    return;
  }
  const problem = safetyProblem(live, options.expectations);
  if (problem) {
    settle(state, { outcome: 'skipped', detail: `${problem} (checked right before deleting)` });
    return;
  }
  try {
    const result = await step.deleter.delete(options.clients, step.target, {
      keepData: step.keepData,
      finalCopyName: step.finalCopyName ?? '',
    });
    if (result.kept) state.kept = result.kept;
    if (result.waitingFor) {
      state.phase = 'copying';
      state.blockedBy = `waiting for ${result.waitingFor}`;
      return;
    }
    state.started = true;
    state.phase = 'deleting';
  } catch (error) {
    const code = awsErrorCode(error) ?? '';
    if (step.deleter.notFound.includes(code)) {
      settle(
        state,
        state.started
          ? deletedOutcome(state)
          : { outcome: 'already-gone', detail: 'gone before this teardown reached it' },
      );
    } else if (step.deleter.dependency.includes(code)) {
      state.blockedBy = errorMessage(error);
    } else {
      settle(state, { outcome: 'failed', detail: errorMessage(error) });
    }
  }
}

/** deleting: poll until the service says it is gone, or that the deletion failed. */
async function awaitGone(state: StepState, options: ExecuteOptions, settle: Settle): Promise<void> {
  const live = await describe(state, options, settle);
  if (!live) return;
  if (live.status === 'gone') {
    const after = await state.step.deleter
      .afterGone?.(options.clients, state.step.target)
      .catch((error: unknown) => `could not list what it retained: ${errorMessage(error)}`);
    settle(
      state,
      state.started
        ? deletedOutcome(state, after)
        : { outcome: 'already-gone', detail: 'it was already being deleted when this teardown reached it' },
    );
    return;
  }
  if (live.failure) {
    // Once more: a deleter may know a way through (a stack retaining the buckets that hold data).
    if (state.failures === 0) {
      state.failures = 1;
      state.phase = 'todo';
      state.blockedBy = `its deletion failed: ${live.failure}`;
      return;
    }
    settle(state, { outcome: 'failed', detail: `its deletion failed: ${live.failure}` });
    return;
  }
  if (live.status === 'present' && !state.started) state.phase = 'todo';
}

/** with-stack: waits for its stack; then it is gone with it, or the stack kept it. */
async function advanceWithStack(
  state: StepState,
  outcomes: ReadonlyMap<string, ResourceOutcome>,
  options: ExecuteOptions,
  settle: Settle,
): Promise<void> {
  const stack = state.step.stack ?? '';
  const stackOutcome = outcomes.get(stack);
  if (!stackOutcome) return;
  const name = stackName(stack);
  if (stackOutcome.outcome !== 'deleted' && stackOutcome.outcome !== 'already-gone') {
    settle(state, {
      outcome: stackOutcome.outcome === 'skipped' ? 'skipped' : 'failed',
      detail: `its stack ${name} was not deleted`,
    });
    return;
  }
  const live = await describe(state, options, settle);
  if (!live) return;
  if (live.status === 'gone') {
    settle(state, { outcome: 'deleted', detail: `deleted with stack ${name}` });
  } else if (live.status === 'present') {
    settle(state, {
      outcome: 'kept',
      detail: `stack ${name} retained it (DeletionPolicy: Retain): it still costs money; delete it by hand if it is not needed`,
    });
  }
}

async function describe(
  state: StepState,
  options: ExecuteOptions,
  settle: Settle,
): Promise<LiveResource | undefined> {
  try {
    const live = await describeLive(state.step.deleter, options.clients, state.step.target);
    state.errors = 0;
    return live;
  } catch (error) {
    state.errors += 1;
    state.blockedBy = `could not describe it: ${errorMessage(error)}`;
    if (state.errors >= MAX_DESCRIBE_ERRORS) settle(state, { outcome: 'failed', detail: state.blockedBy });
    return undefined;
  }
}

function deletedOutcome(state: StepState, after?: string): Omit<ResourceOutcome, 'arn'> {
  const parts = [state.step.action === 'delete-stack' ? 'stack deleted' : 'deleted'];
  if (state.kept) parts.push(`final copy kept: ${state.kept}`);
  if (after) parts.push(after);
  return { outcome: 'deleted', detail: parts.join('; '), ...(state.kept ? { kept: state.kept } : {}) };
}

function isOutcome(outcome: ResourceOutcome | undefined): outcome is ResourceOutcome {
  return outcome !== undefined;
}
