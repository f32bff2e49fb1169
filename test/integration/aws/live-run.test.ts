import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDaysIso, eachDay, todayIso } from '../../../src/core/calendar.js';
import { runCli } from '../../support/cli.js';
import { callerIdentity, dailyMetrics, ec2State, taggedResources } from '../../support/fake-account.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';

const ACCOUNT = '111122223333';
const arn = (resource: string, service = 'lambda') => `arn:aws:${service}:us-east-1:${ACCOUNT}:${resource}`;
const RESOURCES: Array<{ arn: string; tags: Record<string, string> }> = [
  { arn: arn('function:alpha-api'), tags: { poc: 'alpha' } },
  { arn: arn('function:alpha-idle'), tags: { poc: 'alpha' } },
  { arn: arn('function:alpha-keep'), tags: { poc: 'alpha', 'pocketwatch:protect': 'true' } },
  { arn: arn('natgateway/nat-0123456789abcdef0', 'ec2'), tags: { poc: 'old' } },
];

/** Daily invocations per function name; anything unlisted has no datapoints (zero activity). */
const INVOCATIONS: Record<string, number> = { 'alpha-api': 10_000 };

function costPage(days: string[], nextPageToken?: string) {
  return {
    GroupDefinitions: [
      { Type: 'TAG', Key: 'poc' },
      { Type: 'DIMENSION', Key: 'SERVICE' },
    ],
    ResultsByTime: days.map((day, i) => ({
      TimePeriod: { Start: day, End: eachDay(day, '2027-01-01')[1] },
      Total: {},
      Estimated: i >= days.length - 2 && nextPageToken === undefined,
      Groups: [
        {
          Keys: ['poc$alpha', 'AWS Lambda'],
          Metrics: { UnblendedCost: { Amount: '2.0000000001', Unit: 'USD' } },
        },
        {
          Keys: ['poc$old', 'Amazon Virtual Private Cloud'],
          Metrics: { UnblendedCost: { Amount: '1.08', Unit: 'USD' } },
        },
        { Keys: ['poc$', 'AWS CloudTrail'], Metrics: { UnblendedCost: { Amount: '0.5', Unit: 'USD' } } },
      ],
    })),
    DimensionValueAttributes: [],
    ...(nextPageToken ? { NextPageToken: nextPageToken } : {}),
  };
}

let server: FakeAwsServer;
let restoreEnv: () => void;
let dir: string;

beforeAll(async () => {
  server = new FakeAwsServer()
    .on('GetCallerIdentity', callerIdentity(ACCOUNT))
    .on('GetCostAndUsage', (request) => {
      const { Start, End } = (request.body as { TimePeriod: { Start: string; End: string } }).TimePeriod;
      const days = eachDay(Start, End);
      const half = Math.ceil(days.length / 2);
      return request.body.NextPageToken === 'page-2'
        ? { body: costPage(days.slice(half)) }
        : { body: costPage(days.slice(0, half), 'page-2') };
    })
    .on(
      'GetResources',
      taggedResources(() => RESOURCES),
    )
    .on(
      'GetMetricData',
      dailyMetrics(
        (dimensions) => INVOCATIONS[dimensions.find((d) => d.Name === 'FunctionName')?.Value ?? ''],
      ),
    );
  ec2State(
    server,
    '<item><natGatewayId>nat-0123456789abcdef0</natGatewayId><state>available</state><createTime>2026-08-01T00:00:00.000Z</createTime><vpcId>vpc-1</vpcId><subnetId>subnet-1</subnetId><tagSet><item><key>poc</key><value>old</value></item></tagSet></item>',
  );
  const endpoint = await server.start();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: endpoint, POCKETWATCH_AWS_MAX_ATTEMPTS: '1' });
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-live-'));
  await writeFile(
    join(dir, 'alpha.yaml'),
    [
      'poc: alpha',
      'owners: [a@example.com]',
      'budget:',
      '  monthly: 100',
      '  perUse:',
      '    signal: { resource: alpha-api }',
      '    per: 1000',
      '    max: 0.1',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'old.yaml'),
    'poc: old\nowners: [o@example.com]\nbudget: { monthly: 50 }\nexpires: 2026-10-31\n',
  );
});

afterAll(async () => {
  restoreEnv();
  await server.stop();
});

/** `pocketwatch run --source aws` on the test policies, JSON out, one state file for every run. */
function liveRun(asOf: string) {
  return runCli(
    'run',
    '--source',
    'aws',
    '--policies',
    dir,
    '--as-of',
    asOf,
    '--format',
    'json',
    '--state',
    join(dir, 'state.json'),
  );
}

describe('pocketwatch run --source aws, over the wire', () => {
  it('reports costs, idle resources, cost per use and what the run cost', async () => {
    const output = await liveRun('2026-11-19');
    expect(output.stderr).toBe('');
    expect(output.code).toBe(0);
    const report = JSON.parse(output.stdout);

    expect(report.source).toMatchObject({ kind: 'cost-explorer', estimated: true, partial: false });
    const alpha = report.pocs.find((p: { poc: string }) => p.poc === 'alpha');
    expect(alpha.monthToDate).toBeCloseTo(18 * 2.0000000001, 9);
    expect(report.unattributed.monthToDate).toBeCloseTo(9, 9);

    // One query for all PoCs, two pages; every other API once per region.
    expect(report.apiCalls).toMatchObject({
      'ce:GetCostAndUsage': 2,
      'sts:GetCallerIdentity': 1,
      'tag:GetResources': 1,
      'cloudwatch:GetMetricData': 1,
      'ec2:DescribeVolumes': 1,
      'ec2:DescribeAddresses': 1,
      'ec2:DescribeNatGateways': 1,
    });
    const metrics = server.calls('GetMetricData')[0]?.body.MetricDataQueries as unknown[];
    expect(report.apiCost).toBeCloseTo(0.02 + metrics.length * 0.00001, 10);

    // Idle: alpha-idle (no invocations); never the protected one, nor the busy one.
    const byPoc = Object.fromEntries(
      report.recommendations.map((r: { poc: string; reason: string; resources: { arn: string }[] }) => [
        r.poc,
        { reason: r.reason, arns: r.resources.map((x) => x.arn) },
      ]),
    );
    expect(byPoc.alpha).toEqual({ reason: 'idle', arns: [arn('function:alpha-idle')] });
    expect(byPoc.old).toEqual({ reason: 'expired', arns: [arn('natgateway/nat-0123456789abcdef0', 'ec2')] });
    const nat = report.recommendations.find((r: { poc: string }) => r.poc === 'old').resources[0];
    expect(nat).toMatchObject({ costSource: 'price-table', holdsData: false });
    expect(nat.monthlyCost).toBeCloseTo(0.045 * 730, 6);

    // Pay-per-use: 10,000 invocations a day against 2.0000000001/day is 0.2 per 1,000, over 0.1.
    expect(alpha.perUse).toMatchObject({ per: 1000, breached: true });
    expect(alpha.perUse.costPerUnit).toBeCloseTo(0.2, 6);
    expect(
      report.alerts.some((a: { kind: string; poc: string }) => a.kind === 'per-use' && a.poc === 'alpha'),
    ).toBe(true);
  });

  it('makes no Cost Explorer call for closed days already cached', async () => {
    const before = server.calls('GetCostAndUsage').length;
    const output = await liveRun('2026-11-19');
    const report = JSON.parse(output.stdout);
    const fetched = server.calls('GetCostAndUsage').slice(before);
    // Only the open days (the last three before today) are asked for again; the rest of the month,
    // estimated or final, comes from the state file.
    const openFrom = addDaysIso(todayIso(), -3);
    expect(fetched.length).toBeLessThan(before);
    for (const call of fetched) {
      expect((call.body.TimePeriod as { Start: string }).Start >= openFrom).toBe(true);
    }
    expect(report.apiCalls['ce:GetCostAndUsage'] ?? 0).toBe(fetched.length);
    expect(report.pocs.find((p: { poc: string }) => p.poc === 'alpha').monthToDate).toBeCloseTo(
      18 * 2.0000000001,
      9,
    );
  });
});

describe('the activity cache', () => {
  it('does not read metrics again for a resource proven busy inside its window', async () => {
    const metricCalls = server.calls('GetMetricData');
    const first = metricCalls[0]?.body.MetricDataQueries as Array<{ Id: string; MetricStat: unknown }>;
    const before = metricCalls.length;
    const output = await liveRun('2026-11-20');
    expect(output.code).toBe(0);
    const next = server.calls('GetMetricData').slice(before);
    const queries = next.flatMap(
      (call) => call.body.MetricDataQueries as Array<{ Id: string; MetricStat: unknown }>,
    );
    const functionsQueried = (list: typeof queries) =>
      list
        .filter((query) => !query.Id.startsWith('peruse'))
        .map((query) => JSON.stringify(query.MetricStat))
        .filter((text) => text.includes('FunctionName'))
        .map((text) => /"Value":"([^"]+)"/.exec(text)?.[1]);
    expect(functionsQueried(first)).toContain('alpha-api');
    expect(functionsQueried(queries)).not.toContain('alpha-api');
    expect(functionsQueried(queries)).toContain('alpha-idle');
    const report = JSON.parse(output.stdout);
    expect(report.recommendations.find((r: { poc: string }) => r.poc === 'alpha').resources).toHaveLength(1);
    expect(report.apiCalls['cloudwatch:GetMetricData']).toBe(1);
  });
});
