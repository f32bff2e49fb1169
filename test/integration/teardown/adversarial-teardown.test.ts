/**
 * The executor against adversarial inventories, over the wire: the real SDK and the real deleters
 * talk to a stateful fake EC2 and CloudWatch. Whatever changed since the approval (a tag, a protect
 * tag, a resource gone, traffic back) must stop the deletion of that resource, and only that one.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runTeardown, TeardownError } from '../../../src/app/teardown-run.js';
import { type RecommendationRecord, transition } from '../../../src/approval/lifecycle.js';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { awsClientConfig } from '../../../src/aws/aws-clients.js';
import { parseMoney } from '../../../src/core/money.js';
import type { Recommendation, RecommendedResource } from '../../../src/core/report.js';
import { CloudWatchActivityReader } from '../../../src/inventory/cloudwatch-activity.js';
import { loadPolicies } from '../../../src/policy/load-policies.js';
import type { PolicySet } from '../../../src/policy/model.js';
import { LocalStateStore } from '../../../src/state/local-state-store.js';
import { AwsClientPool } from '../../../src/teardown/aws-client-pool.js';
import { dailyMetrics, taggedResources } from '../../support/fake-account.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';
import { FakeEc2 } from '../../support/fake-ec2.js';

const ACCOUNT = '111122223333';
const POC = 'chatbot-poc';
const OLD = '2026-01-01T00:00:00.000Z';
const ec2Arn = (resource: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:${resource}`;
const tags = (extra: Record<string, string> = {}) => ({ poc: POC, ...extra });

let server: FakeAwsServer;
let ec2: FakeEc2;
let restoreEnv: () => void;
/** Daily bytes out per NAT gateway id; unlisted ones carried nothing. */
let traffic: Record<string, number>;

beforeAll(async () => {
  server = new FakeAwsServer().on(
    'GetMetricData',
    dailyMetrics((dimensions) => traffic[dimensions.find((d) => d.Name === 'NatGatewayId')?.Value ?? '']),
  );
  const endpoint = await server.start();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: endpoint, POCKETWATCH_AWS_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});

let meter: ApiMeter;
let clients: AwsClientPool;
let activity: CloudWatchActivityReader;
beforeEach(() => {
  server.requests.length = 0;
  ec2 = new FakeEc2(server);
  traffic = {};
  meter = new ApiMeter();
  clients = new AwsClientPool(meter);
  activity = new CloudWatchActivityReader({ ...awsClientConfig(), meter });
});
afterEach(() => {
  clients.destroy();
  activity.destroy();
});

function resource(arn: string, type: string, holdsData = false): RecommendedResource {
  return {
    arn,
    type,
    region: 'us-east-1',
    account: ACCOUNT,
    window: { start: '2026-11-10', end: '2026-11-24', days: 14 },
    evidence: '0 B out in 14 days',
    monthlyCost: parseMoney('32.85'),
    costSource: 'price-table',
    holdsData,
  };
}

function recommendation(reason: 'idle' | 'expired', resources: RecommendedResource[]): Recommendation {
  return {
    id: `rec-${reason}-${resources.length}`,
    poc: POC,
    reason,
    resources,
    estimatedMonthlySavings: parseMoney('100'),
  };
}

async function setup(
  rec: Recommendation,
  options: { policy?: string; settings?: string; approve?: boolean } = {},
): Promise<{ store: LocalStateStore; policySet: PolicySet }> {
  const dir = await mkdtemp(join(tmpdir(), 'pocketwatch-teardown-'));
  await writeFile(
    join(dir, 'settings.yaml'),
    options.settings ?? `tagKey: poc\nteardownAccounts: ["${ACCOUNT}"]\n`,
  );
  await writeFile(join(dir, `${POC}.yaml`), options.policy ?? `poc: ${POC}\nowners: [dana@example.com]\n`);
  const loaded = await loadPolicies(dir);
  if (!loaded.policySet) throw new Error(JSON.stringify(loaded.errors));
  const store = new LocalStateStore(join(dir, 'state.json'));
  await store.recordProposals([rec], new Date());
  if (options.approve !== false) {
    const record = (await store.getRecommendation(rec.id)) as RecommendationRecord;
    const approved = transition(record, { kind: 'approve' }, { actor: 'alice', at: new Date(), from: 'cli' });
    if (!approved.ok) throw new Error(approved.reason);
    await store.updateRecommendation(rec.id, record.version, approved.record);
  }
  return { store, policySet: loaded.policySet };
}

function teardown(
  id: string,
  store: LocalStateStore,
  policySet: PolicySet,
  mode: 'dry-run' | 'execute' = 'execute',
  extra: Partial<Parameters<typeof runTeardown>[0]> = {},
) {
  return runTeardown({
    id,
    mode,
    store,
    policySet,
    aws: { clients, activity, account: ACCOUNT },
    actor: 'test',
    from: 'executor',
    owner: 'run-1',
    pollMs: 1,
    sleep: async () => {},
    ...extra,
  });
}

describe('an idle recommendation whose resources changed since it was approved', () => {
  const arns = {
    idle: ec2Arn('natgateway/nat-idle'),
    retagged: ec2Arn('natgateway/nat-retagged'),
    untagged: ec2Arn('natgateway/nat-untagged'),
    protected: ec2Arn('natgateway/nat-protected'),
    ghost: ec2Arn('natgateway/nat-ghost'),
    busy: ec2Arn('natgateway/nat-busy'),
  };
  const rec = recommendation(
    'idle',
    Object.values(arns).map((arn) => resource(arn, 'ec2:natgateway')),
  );

  beforeEach(() => {
    ec2
      .natGateway({ id: 'nat-idle', state: 'available', tags: tags(), createTime: OLD, deletingPolls: 1 })
      .natGateway({
        id: 'nat-retagged',
        state: 'available',
        tags: { poc: 'search-relevance' },
        createTime: OLD,
      })
      .natGateway({ id: 'nat-untagged', state: 'available', tags: { team: 'x' }, createTime: OLD })
      .natGateway({
        id: 'nat-protected',
        state: 'available',
        tags: tags({ 'pocketwatch:protect': 'true' }),
        createTime: OLD,
      })
      .natGateway({ id: 'nat-busy', state: 'available', tags: tags(), createTime: OLD });
    // nat-ghost: the Tagging API listed it, describe does not know it.
    traffic = { 'nat-busy': 5_000_000 };
  });

  it('deletes only the one that is still idle, owned and unprotected, and records why for the rest', async () => {
    const { store, policySet } = await setup(rec);
    const result = await teardown(rec.id, store, policySet);

    expect(ec2.mutations).toEqual(['DeleteNatGateway nat-idle']);
    const byArn = new Map(result.outcomes.map((outcome) => [outcome.arn, outcome]));
    expect(byArn.get(arns.idle)).toMatchObject({ outcome: 'deleted' });
    expect(byArn.get(arns.retagged)).toMatchObject({
      outcome: 'skipped',
      detail: 'its poc tag is now "search-relevance", not "chatbot-poc"',
    });
    expect(byArn.get(arns.untagged)).toMatchObject({
      outcome: 'skipped',
      detail: 'it no longer carries the poc tag',
    });
    expect(byArn.get(arns.protected)).toMatchObject({
      outcome: 'skipped',
      detail: 'it is tagged pocketwatch:protect=true',
    });
    expect(byArn.get(arns.ghost)).toMatchObject({ outcome: 'already-gone' });
    expect(byArn.get(arns.busy)?.outcome).toBe('skipped');
    expect(byArn.get(arns.busy)?.detail).toMatch(/^it is no longer idle: /);

    const stored = await store.getRecommendation(rec.id);
    expect(stored?.state).toBe('partially-done');
    expect(stored?.outcomes).toHaveLength(6);
    const [start, finish] = stored?.audit.slice(-2) ?? [];
    expect(start).toMatchObject({
      event: 'start',
      fromState: 'approved',
      toState: 'executing',
      from: 'executor',
    });
    expect(start?.plan?.find((step) => step.arn === arns.idle)?.action).toBe('delete');
    expect(start?.plan?.filter((step) => step.action === 'skip')).toHaveLength(4);
    expect(finish).toMatchObject({ event: 'finish', toState: 'partially-done' });
    // Every describe was a describe call, never the Tagging API; every call was metered.
    expect(server.calls('GetResources')).toHaveLength(0);
    expect(meter.counts()['ec2:DescribeNatGateways']).toBeGreaterThanOrEqual(6);
    expect(meter.counts()['ec2:DeleteNatGateway']).toBe(1);
  });

  it('a dry run prints the same plan and changes nothing', async () => {
    const { store, policySet } = await setup(rec);
    const before = await store.getRecommendation(rec.id);
    const result = await teardown(rec.id, store, policySet, 'dry-run');
    expect(ec2.mutations).toEqual([]);
    expect(await store.getRecommendation(rec.id)).toEqual(before);
    expect(result.plan.steps.map((step) => step.target.arn)).toEqual([arns.idle]);
    expect(result.plan.settled.map((outcome) => outcome.outcome).sort()).toEqual([
      'already-gone',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
  });

  it('a protect tag added between the plan and the delete call still protects', async () => {
    const { store, policySet } = await setup(rec);
    // The re-check describes each gateway once; the executor describes again right before deleting.
    ec2.beforeDescribe = (id, describedBefore) => {
      const gateway = ec2.natGateways.get(id);
      if (id === 'nat-idle' && describedBefore === 1 && gateway) gateway.tags['pocketwatch:protect'] = 'true';
    };
    const result = await teardown(rec.id, store, policySet);
    expect(ec2.mutations).toEqual([]);
    expect(result.outcomes.find((outcome) => outcome.arn === arns.idle)).toMatchObject({
      outcome: 'skipped',
      detail: 'it is tagged pocketwatch:protect=true (checked right before deleting)',
    });
  });
});

describe('execution rules', () => {
  const arn = ec2Arn('natgateway/nat-idle');
  const rec = recommendation('idle', [resource(arn, 'ec2:natgateway')]);
  beforeEach(() => {
    ec2.natGateway({ id: 'nat-idle', state: 'available', tags: tags(), createTime: OLD });
  });

  it('refuses a recommendation that is not approved', async () => {
    const { store, policySet } = await setup(rec, { approve: false });
    await expect(teardown(rec.id, store, policySet)).rejects.toThrow(
      new TeardownError(
        `recommendation ${rec.id} is proposed, not approved; approve it first (pocketwatch approve ${rec.id})`,
      ),
    );
    expect(ec2.mutations).toEqual([]);
  });

  it('refuses to act without the account on the allow-list, but still plans', async () => {
    const { store, policySet } = await setup(rec, { settings: 'tagKey: poc\n' });
    await expect(teardown(rec.id, store, policySet)).rejects.toThrow(
      /no account is on the teardown allow-list/,
    );
    const plan = await teardown(rec.id, store, policySet, 'dry-run');
    expect(plan.plan.steps).toEqual([]);
    expect(plan.plan.settled[0]?.detail).toMatch(/teardown allow-list/);
    const other = await setup(rec, { settings: 'tagKey: poc\nteardownAccounts: ["999988887777"]\n' });
    await expect(teardown(rec.id, other.store, other.policySet)).rejects.toThrow(
      `account ${ACCOUNT} is not on the teardown allow-list (teardownAccounts: 999988887777)`,
    );
    expect(ec2.mutations).toEqual([]);
  });

  it('a second executor cannot run while the first holds the lease, and a finished one is final', async () => {
    const { store, policySet } = await setup(rec);
    ec2.natGateways.set('nat-idle', {
      id: 'nat-idle',
      state: 'available',
      tags: tags(),
      createTime: OLD,
      deletingPolls: 50,
    });
    const first = await teardown(rec.id, store, policySet, 'execute', {
      deadline: Date.now() + 50,
      pollMs: 20,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    expect(first.finished).toBe(false);
    expect(first.pending).toEqual([arn]);
    await expect(teardown(rec.id, store, policySet, 'execute', { owner: 'run-2' })).rejects.toThrow(
      /is being executed by run-1/,
    );
    // The lease holder resumes and finishes: the gateway it asked to delete is gone by now.
    const gateway = ec2.natGateways.get('nat-idle');
    if (gateway) gateway.deletingPolls = 0;
    const resumed = await teardown(rec.id, store, policySet);
    expect(resumed.finished).toBe(true);
    expect(resumed.record.state).toBe('done');
    expect(ec2.mutations).toEqual(['DeleteNatGateway nat-idle']);
    await expect(teardown(rec.id, store, policySet)).rejects.toThrow(/is done, not approved/);
  });
});

describe('an expired PoC', () => {
  const nat = ec2Arn('natgateway/nat-1');
  const eip = ec2Arn('elastic-ip/eipalloc-1');
  const volume = ec2Arn('volume/vol-1');
  const rec = recommendation('expired', [
    resource(nat, 'ec2:natgateway'),
    resource(eip, 'ec2:elastic-ip'),
    resource(volume, 'ec2:volume', true),
  ]);
  const expiredPolicy = `poc: ${POC}\nowners: [dana@example.com]\nexpires: 2026-01-31\n`;

  beforeEach(() => {
    ec2
      .natGateway({ id: 'nat-1', state: 'available', tags: tags(), createTime: OLD, deletingPolls: 2 })
      .address({ allocationId: 'eipalloc-1', tags: tags(), heldBy: 'nat-1' })
      .volume({ id: 'vol-1', state: 'available', tags: tags(), createTime: OLD });
  });

  it('goes whole in dependency order: the address after its NAT gateway, the volume after its snapshot', async () => {
    const { store, policySet } = await setup(rec, { policy: expiredPolicy });
    const result = await teardown(rec.id, store, policySet);
    expect(result.outcomes.filter((o) => o.outcome !== 'deleted')).toEqual([]);
    expect(result.record.state).toBe('done');
    expect(ec2.mutations).toEqual([
      'DeleteNatGateway nat-1',
      'CreateSnapshot vol-1',
      'DeleteVolume vol-1',
      'ReleaseAddress eipalloc-1',
    ]);
    // The snapshot completed before the volume went, and it carries pocketwatch's tags.
    const [snapshot] = ec2.snapshots;
    expect(snapshot?.state).toBe('completed');
    expect(snapshot?.tags['pocketwatch:final-copy']).toMatch(/^pocketwatch-final-recexpired3-[0-9a-f]{8}$/);
    expect(result.outcomes.find((outcome) => outcome.arn === volume)).toMatchObject({
      outcome: 'deleted',
      kept: 'snap-1',
    });
  });

  it('with teardown.data: delete, no snapshot is taken', async () => {
    const { store, policySet } = await setup(rec, { policy: `${expiredPolicy}teardown: { data: delete }\n` });
    await teardown(rec.id, store, policySet);
    expect(ec2.mutations).not.toContain('CreateSnapshot vol-1');
    expect(ec2.mutations).toContain('DeleteVolume vol-1');
  });

  it('is not torn down once its expiry was extended', async () => {
    const { store, policySet } = await setup(rec, {
      policy: `poc: ${POC}\nowners: [dana@example.com]\nexpires: 2099-12-31\n`,
    });
    const result = await teardown(rec.id, store, policySet);
    expect(ec2.mutations).toEqual([]);
    expect(result.record.state).toBe('failed');
    expect(result.outcomes.every((outcome) => outcome.outcome === 'skipped')).toBe(true);
    expect(result.outcomes[0]?.detail).toBe(
      `${POC} is no longer expired (its policy now expires 2099-12-31)`,
    );
  });

  it('a resource with traffic again is spared', async () => {
    traffic = { 'nat-1': 1_000 };
    const { store, policySet } = await setup(rec, { policy: expiredPolicy });
    const result = await teardown(rec.id, store, policySet);
    expect(ec2.mutations).not.toContain('DeleteNatGateway nat-1');
    expect(result.outcomes.find((outcome) => outcome.arn === nat)?.detail).toMatch(/^it is in use again: /);
    // Its address stays held by it: stuck, reported as failed, never forced.
    expect(result.outcomes.find((outcome) => outcome.arn === eip)).toMatchObject({
      outcome: 'failed',
      detail: expect.stringMatching(/^stuck: .*InvalidIPAddress\.InUse/),
    });
  });
});

describe('an expired PoC deployed as a CloudFormation stack', () => {
  const stackArn = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/chatbot/e722ae60-fe62-11e8-9a0e-0ae8cc519968`;
  const nat = ec2Arn('natgateway/nat-s1');
  const stackTag = { 'aws:cloudformation:stack-id': stackArn };
  const rec = recommendation('expired', [
    resource(stackArn, 'cloudformation:stack'),
    resource(nat, 'ec2:natgateway'),
  ]);
  const expiredPolicy = `poc: ${POC}\nowners: [dana@example.com]\nexpires: 2026-01-31\n`;
  const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
  /** What the Tagging API lists as the stack's members (the NAT gateway and anything else). */
  let members: Array<{ arn: string; tags: Record<string, string> }>;

  beforeEach(() => {
    ec2.natGateway({ id: 'nat-s1', state: 'available', tags: tags(stackTag), createTime: OLD });
    members = [{ arn: nat, tags: tags(stackTag) }];
    server
      .on('DescribeStacks', () => ({
        body: `<DescribeStacksResponse xmlns="${NS}"><DescribeStacksResult><Stacks><member>
          <StackName>chatbot</StackName><StackId>${stackArn}</StackId>
          <CreationTime>2026-01-10T09:00:00.000Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>
          <Tags><member><Key>poc</Key><Value>${POC}</Value></member></Tags>
        </member></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
      }))
      .on('GetResources', (request) => {
        const filters = (request.body as { TagFilters: Array<{ Key: string; Values: string[] }> }).TagFilters;
        expect(filters).toEqual([{ Key: 'aws:cloudformation:stack-id', Values: [stackArn] }]);
        return taggedResources(() => members)(request, 0);
      })
      .on('DeleteStack', () => ({ body: `<DeleteStackResponse xmlns="${NS}"></DeleteStackResponse>` }));
  });

  const planned = async (policy = expiredPolicy) => {
    const { store, policySet } = await setup(rec, { policy });
    return (await teardown(rec.id, store, policySet, 'dry-run')).plan;
  };

  it('plans the stack with its members when everything its deletion removes may go', async () => {
    const plan = await planned();
    expect(plan.steps.map((step) => [step.target.arn, step.action])).toEqual([
      [stackArn, 'delete-stack'],
      [nat, 'with-stack'],
    ]);
    expect(server.calls('GetResources')).toHaveLength(1);
  });

  it('keeps the stack when a member nobody proposed is protected, and deletes nothing', async () => {
    const volume = ec2Arn('volume/vol-kept');
    members.push({ arn: volume, tags: tags({ ...stackTag, 'pocketwatch:protect': 'true' }) });
    const { store, policySet } = await setup(rec, { policy: expiredPolicy });
    const result = await teardown(rec.id, store, policySet);
    expect(server.calls('DeleteStack')).toEqual([]);
    expect(ec2.mutations).toEqual([]);
    expect(result.outcomes).toEqual([
      {
        arn: stackArn,
        outcome: 'skipped',
        detail: `deleting it would also delete ${volume}, which is tagged pocketwatch:protect=true`,
      },
      {
        arn: nat,
        outcome: 'skipped',
        detail: 'it belongs to CloudFormation stack chatbot, which is not being deleted',
      },
    ]);
  });

  it('keeps the stack when one of its approved members is skipped', async () => {
    ec2.natGateway({
      id: 'nat-s1',
      state: 'available',
      tags: { poc: 'search-relevance', ...stackTag },
      createTime: OLD,
    });
    const plan = await planned();
    expect(plan.steps).toEqual([]);
    expect(plan.settled.find((outcome) => outcome.arn === stackArn)?.detail).toBe(
      `deleting it would also delete ${nat}, which is skipped: its poc tag is now "search-relevance", not "${POC}"`,
    );
  });

  it('keeps the stack when its deletion would lose data the policy keeps, unless the policy deletes data', async () => {
    const stream = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/clicks`;
    members.push({ arn: stream, tags: tags(stackTag) });
    const kept = await planned();
    expect(kept.settled.find((outcome) => outcome.arn === stackArn)?.detail).toBe(
      `deleting it would also delete ${stream}, a Kinesis data stream whose data the policy keeps (teardown.data: keep)`,
    );
    const deleting = await planned(`${expiredPolicy}teardown: { data: delete }\n`);
    expect(deleting.steps.map((step) => step.action)).toEqual(['delete-stack', 'with-stack']);
  });
});
