import { createHash } from 'node:crypto';
import type { PlannedStep, ResourceOutcome, StartedDeletion } from '../approval/lifecycle.js';
import type { TeardownData } from '../policy/model.js';
import type { Deleter, LiveResource } from './deleter.js';
import { type ResourceCheck, stackName } from './recheck.js';
import { FINAL_COPY_PREFIX } from './teardown-policy.js';
import type { TeardownTarget } from './teardown-target.js';

/** One resource the executor acts on. */
export interface PlanStep {
  target: TeardownTarget;
  deleter: Deleter;
  live: LiveResource;
  /** delete: this resource; delete-stack: a stack with its resources; with-stack: goes with its stack. */
  action: 'delete' | 'delete-stack' | 'with-stack';
  /** Take a final snapshot or backup first. */
  keepData: boolean;
  /** The final copy's name, when one is taken. */
  finalCopyName?: string;
  /** For with-stack: the stack's ARN. */
  stack?: string;
  /** The step in words, for the printed plan. */
  detail: string;
}

/** The dry-run plan: what will be deleted in which order, and what will not be and why. */
export interface TeardownPlan {
  recommendationId: string;
  poc: string;
  data: TeardownData;
  /** In execution order. */
  steps: PlanStep[];
  /** Settled without any call: skipped by a check, already gone, or kept because data is kept. */
  settled: ResourceOutcome[];
}

/**
 * Turns re-checks into the plan (pure). Order: stacks first, then by each deleter's `order` (what
 * uses others before what it uses), then by ARN for a stable plan. With data kept (the default),
 * data-bearing resources get a final copy, and buckets and streams are kept rather than deleted.
 */
export function planTeardown(
  recommendationId: string,
  poc: string,
  checks: readonly ResourceCheck[],
  data: TeardownData,
): TeardownPlan {
  const keepData = data === 'keep';
  const settled: ResourceOutcome[] = [];
  const steps: PlanStep[] = [];
  const stacksProceeding = new Set(
    checks
      .filter((check) => check.verdict === 'proceed' && check.deleter.type === 'cloudformation:stack')
      .map((check) => check.target.arn),
  );

  for (const check of checks) {
    const { target } = check;
    if (check.verdict === 'skip') {
      settled.push({ arn: target.arn, outcome: 'skipped', detail: check.reason });
      continue;
    }
    if (check.verdict === 'already-gone') {
      settled.push({ arn: target.arn, outcome: 'already-gone', detail: check.reason });
      continue;
    }
    const { deleter, live, stack } = check;
    if (stack !== undefined) {
      if (!stacksProceeding.has(stack)) {
        settled.push({
          arn: target.arn,
          outcome: 'skipped',
          detail: `it belongs to CloudFormation stack ${stackName(stack)}, which is not being deleted`,
        });
        continue;
      }
      steps.push({
        target,
        deleter,
        live,
        action: 'with-stack',
        keepData,
        stack,
        detail: `deleted with CloudFormation stack ${stackName(stack)}`,
      });
      continue;
    }
    if (keepData && deleter.data.kind === 'not-deleted') {
      settled.push({ arn: target.arn, outcome: 'kept', detail: `${deleter.data.why} (teardown.data: keep)` });
      continue;
    }
    const finalCopy = keepData && deleter.data.kind === 'final-copy' ? deleter.data.copy : undefined;
    const isStack = deleter.type === 'cloudformation:stack';
    const finalCopyName = keepData ? finalCopyNameFor(recommendationId, target.arn) : undefined;
    steps.push({
      target,
      deleter,
      live,
      action: isStack ? 'delete-stack' : 'delete',
      keepData,
      ...(finalCopyName && (finalCopy || isStack) ? { finalCopyName } : {}),
      detail: [
        live.status === 'deleting' ? 'already being deleted: wait for it' : `delete ${deleter.label}`,
        finalCopy ? `keeping a final ${finalCopy} (${finalCopyName})` : '',
        isStack && keepData ? 'with on-demand backups of its DynamoDB tables first' : '',
      ]
        .filter(Boolean)
        .join(' '),
    });
  }

  steps.sort(
    (a, b) =>
      rank(a) - rank(b) || a.deleter.order - b.deleter.order || (a.target.arn < b.target.arn ? -1 : 1),
  );
  return { recommendationId, poc, data, steps, settled };
}

/** Stacks first; resources going with a stack need no step of their own until it is gone. */
function rank(step: PlanStep): number {
  return step.action === 'delete-stack' ? 0 : step.action === 'with-stack' ? 2 : 1;
}

/**
 * "pocketwatch-final-<recommendation>-<8 hex of the ARN>": letters, digits and hyphens, starting
 * with a letter, so it is a valid RDS snapshot identifier, DynamoDB backup name and tag value; the
 * same for every run of one teardown, so a resumed teardown finds the copy it started.
 */
export function finalCopyNameFor(recommendationId: string, arn: string): string {
  const id = recommendationId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32);
  const suffix = createHash('sha256').update(arn).digest('hex').slice(0, 8);
  return `${FINAL_COPY_PREFIX}${id}-${suffix}`;
}

/**
 * Credits an earlier invocation of the same teardown: a resource it asked to delete that is gone now
 * was deleted by this teardown, and is reported so, not as "already gone".
 */
export function creditEarlierDeletions(
  plan: TeardownPlan,
  earlier: readonly StartedDeletion[],
): TeardownPlan {
  if (earlier.length === 0) return plan;
  const asked = new Map(earlier.map((started) => [started.arn, started]));
  return {
    ...plan,
    settled: plan.settled.map((outcome) => {
      const started = asked.get(outcome.arn);
      if (outcome.outcome !== 'already-gone' || !started) return outcome;
      return {
        arn: outcome.arn,
        outcome: 'deleted',
        detail: `deleted by an earlier run of this teardown${started.kept ? `; final copy kept: ${started.kept}` : ''}`,
        ...(started.kept ? { kept: started.kept } : {}),
      };
    }),
  };
}

/** The plan as the audit trail records it. */
export function plannedSteps(plan: TeardownPlan): PlannedStep[] {
  return [
    ...plan.steps.map((step) => ({ arn: step.target.arn, action: step.action, detail: step.detail })),
    ...plan.settled.map(
      (outcome): PlannedStep => ({
        arn: outcome.arn,
        action:
          outcome.outcome === 'kept'
            ? 'keep'
            : outcome.outcome === 'already-gone' || outcome.outcome === 'deleted'
              ? 'already-gone'
              : 'skip',
        ...(outcome.detail ? { detail: outcome.detail } : {}),
      }),
    ),
  ];
}
