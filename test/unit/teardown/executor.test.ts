import { describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { AwsClientPool } from '../../../src/teardown/aws-client-pool.js';
import type { DeleteOptions, Deleter, LiveResource } from '../../../src/teardown/deleter.js';
import { executePlan } from '../../../src/teardown/executor.js';
import type { ResourceCheck } from '../../../src/teardown/recheck.js';
import { STACK_ID_TAG } from '../../../src/teardown/safety-check.js';
import {
  creditEarlierDeletions,
  finalCopyNameFor,
  plannedSteps,
  planTeardown,
} from '../../../src/teardown/teardown-plan.js';
import { teardownTarget } from '../../../src/teardown/teardown-target.js';

const TAGS = { poc: 'p' };
const EXPECT = { tagKey: 'poc', poc: 'p', protectTag: { key: 'pocketwatch:protect', value: 'true' } };
/** A test resource's ARN. */
const r = (name: string) => `arn:aws:test:us-east-1:111122223333:thing/${name}`;
const STACK = 'arn:aws:cloudformation:us-east-1:111122223333:stack/p-stack/abc';

/** An in-memory world of resources, and deleters that act on it as a service would. */
class World {
  readonly live = new Map<string, LiveResource & { deletingFor?: number }>();
  readonly calls: string[] = [];
  /** ARN → error code the next delete throws (once). */
  readonly failNext = new Map<string, string>();
  /** ARN → ARN that must be gone before it can be deleted. */
  readonly blockedBy = new Map<string, string>();

  add(arn: string, live: Partial<LiveResource> & { deletingFor?: number } = {}): this {
    this.live.set(arn, { status: 'present', tags: { ...TAGS }, ...live });
    return this;
  }

  deleter(type: string, order: number, data: Deleter['data'] = { kind: 'none' }): Deleter {
    const world = this;
    return {
      type,
      label: type,
      order,
      data,
      iam: { describe: [], delete: [], tagCondition: true },
      notFound: ['NotFound'],
      dependency: ['InUse'],
      async describe(_clients, target) {
        world.calls.push(`describe ${target.arn}`);
        const resource = world.live.get(target.arn);
        if (!resource) {
          throw Object.assign(new Error('not found'), { code: 'NotFound' });
        }
        if (resource.status === 'deleting') {
          if ((resource.deletingFor ?? 0) <= 0) {
            world.live.delete(target.arn);
            throw Object.assign(new Error('not found'), { code: 'NotFound' });
          }
          resource.deletingFor = (resource.deletingFor ?? 0) - 1;
        }
        return { ...resource, tags: { ...resource.tags } };
      },
      async delete(_clients, target, options: DeleteOptions) {
        world.calls.push(`delete ${target.arn}${options.keepData ? ` keep:${options.finalCopyName}` : ''}`);
        const code = world.failNext.get(target.arn);
        if (code) {
          world.failNext.delete(target.arn);
          throw Object.assign(new Error(`${code} on ${target.arn}`), { code });
        }
        const blocker = world.blockedBy.get(target.arn);
        if (blocker && world.live.has(blocker)) {
          throw Object.assign(new Error(`in use by ${blocker}`), { code: 'InUse' });
        }
        const resource = world.live.get(target.arn);
        if (!resource) throw Object.assign(new Error('not found'), { code: 'NotFound' });
        resource.status = 'deleting';
        return {};
      },
    };
  }
}

function proceed(world: World, deleter: Deleter, arn: string, stack?: string): ResourceCheck {
  return {
    verdict: 'proceed',
    target: teardownTarget({ arn, type: deleter.type }),
    deleter,
    // What the re-check saw then: a copy, so later changes to the world are news to the executor.
    live: structuredClone(world.live.get(arn)) as LiveResource,
    ...(stack ? { stack } : {}),
  };
}

const pool = new AwsClientPool(new ApiMeter());
const run = (plan: ReturnType<typeof planTeardown>, extra: Partial<Parameters<typeof executePlan>[1]> = {}) =>
  executePlan(plan, { clients: pool, expectations: EXPECT, pollMs: 1, sleep: async () => {}, ...extra });

describe('planTeardown', () => {
  it('orders stacks first, then by deleter order, and settles skips, gones and kept data without calls', () => {
    const world = new World().add(r('a')).add(r('b')).add(STACK).add(r('s')).add(r('k'));
    const late = world.deleter('late', 50);
    const early = world.deleter('early', 20);
    const stack = world.deleter('cloudformation:stack', 10);
    const bucket = world.deleter('s3', 60, { kind: 'not-deleted', why: 'S3 bucket kept' });
    const plan = planTeardown(
      'rec-1',
      'p',
      [
        proceed(world, late, r('a')),
        proceed(world, early, r('b')),
        proceed(world, early, r('s'), STACK),
        proceed(world, stack, STACK),
        proceed(world, bucket, r('k')),
        { verdict: 'skip', target: teardownTarget({ arn: 'arn:aws:s3:::x' }), reason: 'protected' },
        { verdict: 'already-gone', target: teardownTarget({ arn: 'arn:aws:s3:::y' }), reason: 'gone' },
      ],
      'keep',
    );
    expect(plan.steps.map((step) => [step.target.arn, step.action])).toEqual([
      [STACK, 'delete-stack'],
      [r('b'), 'delete'],
      [r('a'), 'delete'],
      [r('s'), 'with-stack'],
    ]);
    expect(plan.settled).toEqual([
      { arn: r('k'), outcome: 'kept', detail: 'S3 bucket kept (teardown.data: keep)' },
      { arn: 'arn:aws:s3:::x', outcome: 'skipped', detail: 'protected' },
      { arn: 'arn:aws:s3:::y', outcome: 'already-gone', detail: 'gone' },
    ]);
  });

  it('a resource of a stack that is not being deleted is skipped', () => {
    const world = new World().add(r('s'));
    const plan = planTeardown('r', 'p', [proceed(world, world.deleter('x', 1), r('s'), STACK)], 'keep');
    expect(plan.steps).toEqual([]);
    expect(plan.settled[0]?.detail).toBe(
      'it belongs to CloudFormation stack p-stack, which is not being deleted',
    );
  });

  it('final copy names are stable, unique per resource and valid everywhere', () => {
    const a = finalCopyNameFor('3f2a9c0d1e2b4a55', 'arn:aws:rds:us-east-1:1:db:x');
    expect(a).toBe(finalCopyNameFor('3f2a9c0d1e2b4a55', 'arn:aws:rds:us-east-1:1:db:x'));
    expect(a).not.toBe(finalCopyNameFor('3f2a9c0d1e2b4a55', 'arn:aws:rds:us-east-1:1:db:y'));
    expect(a).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
    expect(a).not.toContain('--');
  });
});

describe('executePlan', () => {
  it('retries what another deletion blocks, and finishes once it is gone', async () => {
    const world = new World().add(r('nat')).add(r('eip'));
    world.blockedBy.set(r('eip'), r('nat'));
    const nat = world.deleter('nat', 40);
    const eip = world.deleter('eip', 30); // deliberately ordered first: the retry must carry it
    world.live.get(r('nat'));
    const plan = planTeardown(
      'r',
      'p',
      [proceed(world, nat, r('nat')), proceed(world, eip, r('eip'))],
      'delete',
    );
    const result = await run(plan);
    expect(result.finished).toBe(true);
    expect(result.outcomes.map((o) => [o.arn, o.outcome])).toEqual([
      [r('eip'), 'deleted'],
      [r('nat'), 'deleted'],
    ]);
    expect(world.calls.filter((call) => call.startsWith('delete'))).toEqual([
      `delete ${r('eip')}`,
      `delete ${r('nat')}`,
      // The gateway is still on its way out on the second pass.
      `delete ${r('eip')}`,
      `delete ${r('eip')}`,
    ]);
  });

  it('reports a step that stays blocked by something outside the set as stuck, never forces it', async () => {
    const world = new World().add(r('eip')).add(r('instance-not-in-set'));
    world.blockedBy.set(r('eip'), r('instance-not-in-set'));
    const plan = planTeardown('r', 'p', [proceed(world, world.deleter('eip', 1), r('eip'))], 'delete');
    const result = await run(plan);
    expect(result.outcomes).toEqual([
      {
        arn: r('eip'),
        outcome: 'failed',
        detail: `stuck: in use by ${r('instance-not-in-set')}; nothing else in the set was holding it`,
      },
    ]);
    expect(world.live.has(r('eip'))).toBe(true);
  });

  it('an unexpected error fails that resource only; a not-found on delete is already gone', async () => {
    const world = new World().add(r('a')).add(r('b')).add(r('c'));
    world.failNext.set(r('a'), 'AccessDenied').set(r('b'), 'NotFound');
    const deleter = world.deleter('x', 1);
    const plan = planTeardown(
      'r',
      'p',
      [r('a'), r('b'), r('c')].map((arn) => proceed(world, deleter, arn)),
      'delete',
    );
    const result = await run(plan);
    expect(result.outcomes.map((o) => [o.arn, o.outcome, o.detail])).toEqual([
      [r('a'), 'failed', `AccessDenied on ${r('a')}`],
      [r('b'), 'already-gone', 'gone before this teardown reached it'],
      [r('c'), 'deleted', 'deleted'],
    ]);
  });

  it('re-checks ownership right before deleting', async () => {
    const world = new World().add(r('a'));
    const plan = planTeardown('r', 'p', [proceed(world, world.deleter('x', 1), r('a'))], 'delete');
    (world.live.get(r('a')) as LiveResource).tags.poc = 'someone-else';
    const result = await run(plan);
    expect(result.outcomes[0]).toMatchObject({
      outcome: 'skipped',
      detail: expect.stringMatching(/someone-else.*\(checked right before deleting\)$/),
    });
    expect(world.calls.some((call) => call.startsWith('delete'))).toBe(false);
  });

  it('waits for a final copy, calling delete again until it is taken', async () => {
    const world = new World().add(r('db'));
    let polls = 0;
    const base = world.deleter('db', 1, { kind: 'final-copy', copy: 'snapshot' });
    const db: Deleter = {
      ...base,
      async delete(clients, target, options) {
        polls += 1;
        if (polls < 3) return { kept: 'snap-1', waitingFor: `snapshot snap-1 (${polls * 40}%)` };
        return base.delete(clients, target, options).then(() => ({ kept: 'snap-1' }));
      },
    };
    const plan = planTeardown('r', 'p', [proceed(world, db, r('db'))], 'keep');
    expect(plan.steps[0]?.finalCopyName).toBe(finalCopyNameFor('r', r('db')));
    const result = await run(plan);
    expect(polls).toBe(3);
    expect(result.outcomes).toEqual([
      { arn: r('db'), outcome: 'deleted', detail: 'deleted; final copy kept: snap-1', kept: 'snap-1' },
    ]);
  });

  it('stops waiting at the deadline and reports what is still under way', async () => {
    const world = new World().add(r('slow'), { deletingFor: 0 });
    const deleter = world.deleter('x', 1);
    const plan = planTeardown('r', 'p', [proceed(world, deleter, r('slow'))], 'delete');
    (world.live.get(r('slow')) as { deletingFor?: number }).deletingFor = 1000;
    let clock = 0;
    const result = await run(plan, {
      deadline: 100,
      pollMs: 30,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    expect(result).toEqual({
      outcomes: [],
      finished: false,
      pending: [r('slow')],
      deletionsStarted: [{ arn: r('slow') }],
    });
  });

  it('counts a deletion an earlier invocation asked for as deleted once it is gone', async () => {
    const world = new World().add(r('slow'), { deletingFor: 1 }).add(r('other'));
    const deleter = world.deleter('x', 1);
    const plan = planTeardown(
      'r',
      'p',
      [proceed(world, deleter, r('slow')), proceed(world, deleter, r('other'))],
      'delete',
    );
    // The earlier invocation asked for the deletion; the service is still deleting it.
    (world.live.get(r('slow')) as { status?: string }).status = 'deleting';
    const result = await run(plan, { deletionsStarted: [{ arn: r('slow'), kept: 'snap-1' }] });
    expect(result.finished).toBe(true);
    const byArn = (a: { arn: string }, b: { arn: string }) => a.arn.localeCompare(b.arn);
    expect(result.outcomes.sort(byArn)).toEqual([
      { arn: r('other'), outcome: 'deleted', detail: 'deleted' },
      { arn: r('slow'), outcome: 'deleted', detail: 'deleted; final copy kept: snap-1', kept: 'snap-1' },
    ]);
    expect(result.deletionsStarted.sort(byArn)).toEqual([
      { arn: r('other') },
      { arn: r('slow'), kept: 'snap-1' },
    ]);
  });

  it('resources of a deleted stack are deleted with it, or reported as retained', async () => {
    const world = new World()
      .add(STACK)
      .add(r('table'), { tags: { ...TAGS, [STACK_ID_TAG]: STACK } })
      .add(r('bucket'), { tags: { ...TAGS, [STACK_ID_TAG]: STACK } });
    const stackDeleter = world.deleter('cloudformation:stack', 10);
    const stack: Deleter = {
      ...stackDeleter,
      async delete(clients, target, options) {
        const result = await stackDeleter.delete(clients, target, options);
        world.live.delete(r('table')); // the stack took its table with it, and retained the bucket
        return result;
      },
    };
    const member = world.deleter('member', 40);
    const plan = planTeardown(
      'r',
      'p',
      [
        proceed(world, stack, STACK),
        proceed(world, member, r('table'), STACK),
        proceed(world, member, r('bucket'), STACK),
      ],
      'delete',
    );
    const result = await run(plan);
    expect(result.outcomes.map((o) => [o.arn, o.outcome])).toEqual([
      [STACK, 'deleted'],
      [r('bucket'), 'kept'],
      [r('table'), 'deleted'],
    ]);
    expect(result.outcomes[1]?.detail).toMatch(/retained it \(DeletionPolicy: Retain\)/);
    expect(world.calls.filter((call) => call.startsWith('delete'))).toEqual([`delete ${STACK}`]);
  });

  it('a deletion that fails twice fails its stack and its resources, never forced', async () => {
    const world = new World()
      .add(STACK, { deletingFor: 5 })
      .add(r('table'), { tags: { ...TAGS, [STACK_ID_TAG]: STACK } });
    const base = world.deleter('cloudformation:stack', 10);
    const stack: Deleter = {
      ...base,
      async describe(clients, target) {
        const live = await base.describe(clients, target);
        return live.status === 'deleting'
          ? { ...live, status: 'present', failure: 'DELETE_FAILED: bucket not empty' }
          : live;
      },
    };
    const plan = planTeardown(
      'r',
      'p',
      [proceed(world, stack, STACK), proceed(world, world.deleter('m', 1), r('table'), STACK)],
      'delete',
    );
    const result = await run(plan);
    expect(result.outcomes.map((o) => [o.arn, o.outcome, o.detail])).toEqual([
      [STACK, 'failed', 'its deletion failed: DELETE_FAILED: bucket not empty'],
      [r('table'), 'failed', 'its stack p-stack was not deleted'],
    ]);
    // Retried once (a stack deleter can retain what holds data), then reported.
    expect(world.calls.filter((call) => call.startsWith('delete'))).toEqual([
      `delete ${STACK}`,
      `delete ${STACK}`,
    ]);
  });
});

describe('creditEarlierDeletions', () => {
  it('reports what an earlier run of the teardown asked to delete, and is gone now, as deleted', () => {
    const gone = (name: string): ResourceCheck => ({
      verdict: 'already-gone',
      target: teardownTarget({ arn: r(name), type: 'x' }),
      reason: 'it no longer exists',
    });
    const plan = creditEarlierDeletions(
      planTeardown('r', 'p', [gone('ours'), gone('someone-elses')], 'keep'),
      [{ arn: r('ours'), kept: 'snap-1' }, { arn: r('still-here') }],
    );
    expect(plan.settled).toEqual([
      {
        arn: r('ours'),
        outcome: 'deleted',
        detail: 'deleted by an earlier run of this teardown; final copy kept: snap-1',
        kept: 'snap-1',
      },
      { arn: r('someone-elses'), outcome: 'already-gone', detail: 'it no longer exists' },
    ]);
    // The audit trail's plan: nothing left to do for either.
    expect(plannedSteps(plan).map((step) => step.action)).toEqual(['already-gone', 'already-gone']);
  });
});
