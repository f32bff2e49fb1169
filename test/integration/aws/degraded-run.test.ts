/**
 * `pocketwatch run --source aws --notify` against an endpoint that fails on purpose: every non-cost
 * call the run makes is denied in turn, the Tagging API answers 500 or a malformed ARN, a region is
 * not enabled, Cost Explorer is denied, SNS is throttled for good. The run loses only what depends on
 * the failed call, says so in located warnings, exits 3, and still delivers the over-budget alert
 * (SNS and SQS on fauxqs). Without costs it exits 1 and raises one operational alert a day.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Ajv } from 'ajv';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eachDay, todayIso } from '../../../src/core/calendar.js';
import { reportJsonSchema } from '../../../src/report/report-schema.js';
import { runCli } from '../../support/cli.js';
import { callerIdentity, dailyMetrics, ec2State, taggedResources } from '../../support/fake-account.js';
import { signedRegion, useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer, type FakeHandler } from '../../support/fake-aws-server.js';
import { topicWithInbox } from '../../support/topic-inbox.js';

const ACCOUNT = '111122223333';
// Today: Cost Explorer keeps resource-level costs for 14 days, and the run asks for them.
const AS_OF = todayIso();
const REGIONS = ['us-east-1', 'eu-west-1'];
const arn = (region: string, resource: string, service = 'lambda') =>
  `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
/** alpha is over budget; each region holds an idle function of beta's. */
const RESOURCES: Record<string, Array<{ arn: string; tags: Record<string, string> }>> = {
  'us-east-1': [{ arn: arn('us-east-1', 'function:beta-east'), tags: { poc: 'beta' } }],
  'eu-west-1': [{ arn: arn('eu-west-1', 'function:beta-west'), tags: { poc: 'beta' } }],
};

/** The report's documented schema, which the new warning fields belong to. */
const validReport = new Ajv({ strict: true, allErrors: true }).compile(reportJsonSchema);

interface Warning {
  code: string;
  message: string;
  partial?: boolean;
  operation?: string;
  region?: string;
  iamAction?: string;
  effect?: string;
}

function costPage(days: string[]) {
  return {
    GroupDefinitions: [
      { Type: 'TAG', Key: 'poc' },
      { Type: 'DIMENSION', Key: 'SERVICE' },
    ],
    ResultsByTime: days.map((day) => ({
      TimePeriod: { Start: day, End: eachDay(day, '2027-01-01')[1] },
      Total: {},
      Estimated: false,
      Groups: [
        // 20 a day: over alpha's 10 a month from the first day of any month.
        { Keys: ['poc$alpha', 'AWS Lambda'], Metrics: { UnblendedCost: { Amount: '20', Unit: 'USD' } } },
        { Keys: ['poc$beta', 'AWS Lambda'], Metrics: { UnblendedCost: { Amount: '0.1', Unit: 'USD' } } },
      ],
    })),
    DimensionValueAttributes: [],
  };
}

/** GetResources answering, for the region the request was signed for, that region's resources. */
const regionalResources: FakeHandler = (request, index) =>
  taggedResources(() => RESOURCES[signedRegion(request.headers.authorization) ?? ''] ?? [])(request, index);

// The servers start at load time: the parameterised test takes its cases from a healthy run.
const server = new FakeAwsServer();
const endpoint = await server.start();
const fauxqs: FauxqsServer = await startFauxqs({ port: 0, logger: false });
const fauxqsUrl = `http://127.0.0.1:${fauxqs.port}`;
const restoreEnv = useFakeAwsEnv({
  AWS_ENDPOINT_URL: endpoint,
  AWS_ENDPOINT_URL_SNS: fauxqsUrl,
  AWS_ENDPOINT_URL_SQS: fauxqsUrl,
  POCKETWATCH_AWS_MAX_ATTEMPTS: '1',
});
const sns = new SNSClient({});
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const alerts = await topicWithInbox(
  { sns, sqs },
  { topic: 'degraded-alerts', queue: 'degraded-alerts-inbox' },
);
const digests = await topicWithInbox(
  { sns, sqs },
  { topic: 'degraded-digest', queue: 'degraded-digest-inbox' },
);
process.env.POCKETWATCH_ALERT_TOPIC_ARN = alerts.topicArn;
process.env.POCKETWATCH_DIGEST_TOPIC_ARN = digests.topicArn;
const dir = await mkdtemp(join(tmpdir(), 'pocketwatch-degraded-'));

/** A policies folder: alpha over budget, beta with idle functions, scanned in `regions`. */
async function policies(name: string, regions: readonly string[]): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'settings.yaml'), `regions: [${regions.join(', ')}]\nresourceCosts: true\n`);
  await writeFile(
    join(folder, 'alpha.yaml'),
    'poc: alpha\nowners: [a@example.com]\nbudget: { monthly: 10 }\n',
  );
  await writeFile(
    join(folder, 'beta.yaml'),
    'poc: beta\nowners: [b@example.com]\nbudget: { monthly: 100 }\n',
  );
  return folder;
}
const twoRegions = await policies('two-regions', REGIONS);

function healthyAccount(): void {
  server.reset();
  server
    .on('GetCallerIdentity', callerIdentity(ACCOUNT))
    .on('GetCostAndUsage', (request) => {
      const { Start, End } = (request.body as { TimePeriod: { Start: string; End: string } }).TimePeriod;
      return { body: costPage(eachDay(Start, End)) };
    })
    .on('GetCostAndUsageWithResources', () => ({
      body: { GroupDefinitions: [], ResultsByTime: [], DimensionValueAttributes: [] },
    }))
    .on('GetResources', regionalResources)
    .on(
      'GetMetricData',
      dailyMetrics(() => undefined),
    );
  ec2State(server);
}

let stateFiles = 0;
/** A run with its own state file (nothing delivered before), unless one is given. */
function liveRun(policiesDir: string, options: { notify?: boolean; state?: string } = {}) {
  const state = options.state ?? join(dir, `state-${++stateFiles}.json`);
  return runCli(
    'run',
    '--source',
    'aws',
    '--policies',
    policiesDir,
    '--as-of',
    AS_OF,
    '--format',
    'json',
    '--state',
    state,
    ...(options.notify ? ['--notify'] : []),
  );
}

/** Every message the queue holds now, removed from it (they stay invisible for the rest of the file). */
async function drain(queueUrl: string): Promise<Array<{ Subject: string; Message: string; kind?: string }>> {
  const all = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 600,
      }),
    );
    if (Messages.length === 0) return all;
    for (const message of Messages) {
      const body = JSON.parse(message.Body ?? '{}');
      all.push({ Subject: body.Subject, Message: body.Message, kind: body.MessageAttributes?.kind?.Value });
    }
  }
}

healthyAccount();
const healthy = await liveRun(twoRegions);
const healthyReport = JSON.parse(healthy.stdout);
/**
 * Every call of a healthy run except the costs (essential, tested apart) and STS's
 * GetCallerIdentity, which IAM cannot deny (it needs no permission).
 */
const NON_COST_OPERATIONS = Object.keys(healthyReport.apiCalls as Record<string, number>).filter(
  (operation) => operation !== 'ce:GetCostAndUsage' && operation !== 'sts:GetCallerIdentity',
);
/** Cost Explorer has one endpoint for the partition: its calls belong to no region. */
const isGlobal = (operation: string) => operation.startsWith('ce:');

afterAll(async () => {
  delete process.env.POCKETWATCH_ALERT_TOPIC_ARN;
  delete process.env.POCKETWATCH_DIGEST_TOPIC_ARN;
  sns.destroy();
  sqs.destroy();
  restoreEnv();
  await server.stop();
  await fauxqs.stop();
});

beforeEach(async () => {
  healthyAccount();
  await drain(alerts.queueUrl);
  await drain(digests.queueUrl);
});

describe('a healthy run', () => {
  it('scans both regions, warns about nothing and recommends both idle functions', () => {
    expect(healthy.code).toBe(0);
    expect(healthyReport.warnings).toEqual([]);
    expect(NON_COST_OPERATIONS).toEqual([
      'ce:GetCostAndUsageWithResources',
      'cloudwatch:GetMetricData',
      'ec2:DescribeAddresses',
      'ec2:DescribeNatGateways',
      'ec2:DescribeVolumes',
      'tag:GetResources',
    ]);
    const arns = healthyReport.recommendations.flatMap((r: { resources: { arn: string }[] }) =>
      r.resources.map((resource) => resource.arn),
    );
    expect(arns.sort()).toEqual([
      arn('eu-west-1', 'function:beta-west'),
      arn('us-east-1', 'function:beta-east'),
    ]);
  });
});

describe.each(NON_COST_OPERATIONS)('%s denied in us-east-1', (operation) => {
  it('exits 3 with a warning naming the call, and still delivers the budget alert and the digest', async () => {
    server.fault(operation.split(':')[1] as string, 'deny', { region: 'us-east-1' });
    const output = await liveRun(twoRegions, { notify: true });
    expect(output.code).toBe(3);
    const report = JSON.parse(output.stdout);
    const located = (report.warnings as Warning[]).filter((warning) => warning.operation === operation);
    expect(located).toHaveLength(1);
    expect(located[0]).toMatchObject({ code: 'stage-failed', partial: true, iamAction: operation });
    expect(located[0]?.region).toBe(isGlobal(operation) ? undefined : 'us-east-1');
    expect(located[0]?.message).toContain(`${operation} denied`);
    expect(validReport(report), JSON.stringify(validReport.errors)).toBe(true);
    expect(report.source.partial).toBe(true);
    // The other region is untouched: its idle function is still proposed.
    const arns = report.recommendations.flatMap((r: { resources: { arn: string }[] }) =>
      r.resources.map((resource) => resource.arn),
    );
    expect(arns).toContain(arn('eu-west-1', 'function:beta-west'));

    const sent = await drain(alerts.queueUrl);
    expect(sent.filter((message) => message.kind === 'over-budget').map((m) => m.Subject)).toEqual([
      expect.stringMatching(/^\[pocketwatch\] alpha over budget/),
    ]);
    const digest = await drain(digests.queueUrl);
    expect(digest).toHaveLength(1);
    expect(JSON.parse(digest[0]?.Message ?? '{}').default).toContain(`Missing: ${located[0]?.message}`);
  });
});

describe('the Tagging API', () => {
  it('answering 500 in one region loses that region only', async () => {
    server.fault('GetResources', 'server-error', { region: 'us-east-1' });
    const output = await liveRun(twoRegions);
    expect(output.code).toBe(3);
    const report = JSON.parse(output.stdout);
    const warning = (report.warnings as Warning[]).find((w) => w.operation === 'tag:GetResources');
    expect(warning).toMatchObject({ region: 'us-east-1', partial: true });
    expect(warning?.message).toMatch(/^tagged resources in us-east-1 not listed .*server error/);
    expect(report.recommendations.map((r: { poc: string }) => r.poc)).toEqual(['beta']);
    expect(report.recommendations[0].resources.map((r: { arn: string }) => r.arn)).toEqual([
      arn('eu-west-1', 'function:beta-west'),
    ]);
  });

  it('sending a malformed ARN skips and counts that item, escaped, and keeps the rest of the page', async () => {
    server.on('GetResources', (request, index) => {
      const region = signedRegion(request.headers.authorization) ?? '';
      const hostile = [
        { arn: 'not-an-arn\u001b[31m', tags: { poc: 'beta' } },
        { arn: 'arn:aws:short', tags: { poc: 'beta' } },
      ];
      return taggedResources(() => [
        ...(region === 'us-east-1' ? hostile : []),
        ...(RESOURCES[region] ?? []),
      ])(request, index);
    });
    const output = await liveRun(twoRegions);
    expect(output.code).toBe(3);
    const report = JSON.parse(output.stdout);
    const skipped = (report.warnings as Warning[]).filter((w) => w.code === 'item-skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ operation: 'tag:GetResources', region: 'us-east-1', partial: true });
    expect(skipped[0]?.message).toContain('2 unreadable items skipped');
    expect(skipped[0]?.message).toContain('"not-an-arn\uFFFD[31m"');
    expect(skipped[0]?.message).not.toContain('\u001b');
    const arns = report.recommendations.flatMap((r: { resources: { arn: string }[] }) =>
      r.resources.map((resource) => resource.arn),
    );
    expect(arns.sort()).toEqual([
      arn('eu-west-1', 'function:beta-west'),
      arn('us-east-1', 'function:beta-east'),
    ]);
  });
});

describe('a region that is not enabled', () => {
  it('is skipped with one warning, not an error', async () => {
    const folder = await policies('disabled-region', ['us-east-1', 'ap-east-1']);
    for (const operation of ['GetResources', 'DescribeVolumes', 'DescribeAddresses', 'DescribeNatGateways']) {
      server.fault(operation, 'region-disabled', { region: 'ap-east-1' });
    }
    const output = await liveRun(folder);
    expect(output.stderr).toBe('');
    expect(output.code).toBe(0);
    const report = JSON.parse(output.stdout);
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'region-unavailable', region: 'ap-east-1', partial: false }),
    ]);
    expect(report.warnings[0].message).toMatch(/^ap-east-1 skipped: the region is not enabled/);
    expect(report.recommendations[0].resources.map((r: { arn: string }) => r.arn)).toEqual([
      arn('us-east-1', 'function:beta-east'),
    ]);
  });
});

describe('Cost Explorer denied', () => {
  it('exits 1 and raises one operational alert a day, however many runs fail', async () => {
    server.fault('GetCostAndUsage', 'deny');
    const state = join(dir, 'blind.json');
    const first = await liveRun(twoRegions, { notify: true, state });
    const second = await liveRun(twoRegions, { notify: true, state });
    for (const output of [first, second]) {
      expect(output.code).toBe(1);
      expect(output.stdout).toBe('');
      expect(output.stderr).toContain('missing IAM permission ce:GetCostAndUsage');
    }
    expect(first.stderr).toContain('notified: operational alert sent');
    expect(second.stderr).toContain('notified: operational alert already sent today');
    const sent = await drain(alerts.queueUrl);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.kind).toBe('operational');
    expect(sent[0]?.Subject).toContain('budgets not checked');
    expect(sent[0]?.Message).toContain('could not check any budget');
    expect(sent[0]?.Message).toContain('ce:GetCostAndUsage');
    expect(await drain(digests.queueUrl)).toEqual([]);
  });
});

describe('a permanently throttled SNS', () => {
  it('is called until its circuit opens, then not again in the run', async () => {
    // SNS on the fault-injecting server for this test: every Publish is throttled.
    const restoreSns = useFakeAwsEnv({
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_SNS: endpoint,
      AWS_ENDPOINT_URL_SQS: fauxqsUrl,
      POCKETWATCH_AWS_MAX_ATTEMPTS: '1',
    });
    try {
      server.fault('Publish', 'throttle');
      const output = await liveRun(twoRegions, { notify: true });
      // alpha's alerts, beta's recommendation and the digest: several messages, one circuit.
      expect(output.code).toBe(5);
      const failed = Number(/notified: 0 sent, 0 already sent, (\d+) failed/.exec(output.stderr)?.[1]);
      expect(failed).toBeGreaterThanOrEqual(3);
      expect(output.stderr).toContain('circuit open after 3 consecutive failures');
      expect(server.calls('Publish')).toHaveLength(3);
    } finally {
      restoreSns();
    }
  }, 20_000);
});
