import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/core/money.js';
import type { Recommendation } from '../../../src/core/report.js';
import { LocalStateStore } from '../../../src/state/local-state-store.js';
import { runCli } from '../../support/cli.js';
import { callerIdentity, dailyMetrics } from '../../support/fake-account.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';
import { FakeEc2 } from '../../support/fake-ec2.js';

const ACCOUNT = '111122223333';
const NAT = `arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-1`;
const REC: Recommendation = {
  id: '9c1e2f3a4b5c6d7e',
  poc: 'chatbot-poc',
  reason: 'idle',
  resources: [
    {
      arn: NAT,
      type: 'ec2:natgateway',
      region: 'us-east-1',
      account: ACCOUNT,
      window: { start: '2026-11-10', end: '2026-11-24', days: 14 },
      evidence: '0 B out in 14 days',
      monthlyCost: parseMoney('32.85'),
      costSource: 'price-table',
      holdsData: false,
    },
  ],
  estimatedMonthlySavings: parseMoney('32.85'),
};

let server: FakeAwsServer;
let ec2: FakeEc2;
let restoreEnv: () => void;
beforeAll(async () => {
  server = new FakeAwsServer().on('GetCallerIdentity', callerIdentity(ACCOUNT)).on(
    'GetMetricData',
    dailyMetrics(() => undefined),
  );
  const endpoint = await server.start();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: endpoint, POCKETWATCH_AWS_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});

let dir: string;
let state: string;
beforeEach(async () => {
  ec2 = new FakeEc2(server).natGateway({
    id: 'nat-1',
    state: 'available',
    tags: { poc: 'chatbot-poc' },
    createTime: '2026-01-01T00:00:00.000Z',
  });
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-teardown-cli-'));
  await writeFile(join(dir, 'settings.yaml'), `teardownAccounts: ["${ACCOUNT}"]\n`);
  await writeFile(join(dir, 'chatbot.yaml'), 'poc: chatbot-poc\nowners: [dana@example.com]\n');
  state = join(dir, 'state.json');
  await new LocalStateStore(state).recordProposals([REC], new Date());
});

const teardown = (...args: string[]) =>
  runCli('teardown', REC.id, '--policies', dir, '--state', state, ...args);

describe('pocketwatch teardown', () => {
  it('prints the dry-run plan by default and changes nothing', async () => {
    const result = await teardown();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Teardown plan for ${REC.id}: chatbot-poc (idle), proposed`);
    expect(result.stdout).toContain('Dry run: nothing is deleted.');
    expect(result.stdout).toMatch(/1\. delete\s+NAT gateway nat-1 {2}us-east-1 {2}\$32\.85\/mo/);
    expect(result.stdout).toContain('Would delete 1 resource, saving about $32.85 a month');
    // The idle re-check reads metrics: priced, a fraction of a cent.
    expect(result.stderr).toContain(
      'AWS calls: 1 × cloudwatch:GetMetricData, 1 × ec2:DescribeNatGateways, 1 × sts:GetCallerIdentity; cost <$0.01\n',
    );
    expect(ec2.mutations).toEqual([]);
  });

  it('refuses to execute before approval, then executes once approved', async () => {
    const refused = await teardown('--execute');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `is proposed, not approved; approve it first (pocketwatch approve ${REC.id})`,
    );
    expect(ec2.mutations).toEqual([]);

    expect((await runCli('approve', REC.id, '--by', 'alice', '--state', state)).code).toBe(0);
    const executed = await teardown('--execute', '--by', 'bob');
    expect(executed.stderr).toContain('deleted  NAT gateway nat-1');
    expect(executed.stdout).toContain('Teardown done.');
    expect(executed.code).toBe(0);
    expect(ec2.mutations).toEqual(['DeleteNatGateway nat-1']);

    const shown = await runCli('recommendations', 'show', REC.id, '--state', state);
    expect(shown.stdout).toMatch(/start by bob via cli: approved → executing/);
    expect(shown.stdout).toMatch(/finish by bob via cli: executing → done/);
    expect(shown.stdout).toContain('outcome: deleted');
  });

  it('rejects contradictory flags and unknown ids', async () => {
    expect((await teardown('--dry-run', '--execute')).code).toBe(2);
    const unknown = await runCli('teardown', 'nope', '--policies', dir, '--state', state);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no recommendation with id "nope"');
  });
});
