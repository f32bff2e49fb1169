import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { Output } from '../../../src/cli/output.js';
import { addDaysIso, eachDay, todayIso } from '../../../src/core/calendar.js';
import { callerIdentity, dailyMetrics, ec2State, taggedResources } from '../../support/fake-account.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { awsJsonError, FakeAwsServer, type FakeHandler } from '../../support/fake-aws-server.js';

// Cost Explorer serves resource-level data for the 14 days before the real today, so the run's
// as-of day is today and every date here is relative to it.
const TODAY = todayIso();
const ACCOUNT = '111122223333';
const arn = (resource: string, service = 'lambda') => `arn:aws:${service}:us-east-1:${ACCOUNT}:${resource}`;
const BUSY = arn('function:alpha-api');
const IDLE = arn('function:alpha-idle');
const NAT_ID = 'nat-0123456789abcdef0';
const NAT = arn(`natgateway/${NAT_ID}`, 'ec2');
const TAGS: Record<string, string> = { [BUSY]: 'alpha', [IDLE]: 'alpha', [NAT]: 'old' };

/** What the Tagging API lists, per test. */
let listed: string[] = [];
/** The GetCostAndUsageWithResources fake, per test. */
let resourceCosts: FakeHandler;

/** A resource-level page: each group keyed by one resource id, as the API documents. */
function resourcePage(days: string[], groups: Array<[string, string]>, nextPageToken?: string) {
  return {
    GroupDefinitions: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
    ResultsByTime: days.map((day) => ({
      TimePeriod: { Start: day, End: addDaysIso(day, 1) },
      Total: {},
      Estimated: true,
      Groups: groups.map(([id, amount]) => ({
        Keys: [id],
        Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } },
      })),
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
    .on('GetCostAndUsage', () => ({
      body: { GroupDefinitions: [], ResultsByTime: [], DimensionValueAttributes: [] },
    }))
    .on('GetCostAndUsageWithResources', (request, index) => resourceCosts(request, index))
    .on(
      'GetResources',
      taggedResources(() => listed.map((arn) => ({ arn, tags: { poc: TAGS[arn] as string } }))),
    )
    .on(
      'GetMetricData',
      dailyMetrics((dimensions) => (dimensions.some((d) => d.Value === 'alpha-api') ? 1000 : undefined)),
    );
  ec2State(server);
  const endpoint = await server.start();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: endpoint, POCKETWATCH_AWS_MAX_ATTEMPTS: '1' });
});

afterAll(async () => {
  restoreEnv();
  await server.stop();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-resource-costs-'));
  listed = [BUSY, IDLE, NAT];
  await writeFile(join(dir, 'settings.yaml'), 'resourceCosts: true\n');
  await writeFile(join(dir, 'alpha.yaml'), 'poc: alpha\nowners: [a@example.com]\nbudget: { monthly: 100 }\n');
  await writeFile(
    join(dir, 'old.yaml'),
    `poc: old\nowners: [o@example.com]\nbudget: { monthly: 50 }\nexpires: ${addDaysIso(TODAY, -30)}\n`,
  );
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture() {
  const output: Output & { stdout: string; stderr: string } = {
    stdout: '',
    stderr: '',
    out: (text) => {
      output.stdout += text;
    },
    err: (text) => {
      output.stderr += text;
    },
    interactive: false,
    color: false,
    columns: 120,
  };
  return output;
}

interface JsonResource {
  arn: string;
  monthlyCost: number;
  costSource: string;
}

async function run() {
  const output = capture();
  const code = await main(
    [
      'node',
      'pocketwatch',
      'run',
      '--source',
      'aws',
      '--policies',
      dir,
      '--as-of',
      TODAY,
      '--format',
      'json',
      '--state',
      join(dir, 'state.json'),
    ],
    output,
  );
  expect(output.stderr).toBe('');
  expect(code).toBe(0);
  const report = JSON.parse(output.stdout);
  const resources = new Map<string, JsonResource>(
    report.recommendations.flatMap((r: { resources: JsonResource[] }) => r.resources.map((x) => [x.arn, x])),
  );
  return { report, resources };
}

function resourceCalls() {
  return server.calls('GetCostAndUsageWithResources');
}

describe('resource-level costs from Cost Explorer, over the wire', () => {
  it('prices idle resources with one query, one call per page, keyed by ARN', async () => {
    const before = resourceCalls().length;
    resourceCosts = (request) => {
      const { Start, End } = (request.body as { TimePeriod: { Start: string; End: string } }).TimePeriod;
      const days = eachDay(Start, End);
      // The NAT gateway comes back under its bare id, the function under its ARN.
      return request.body.NextPageToken === 'page-2'
        ? { body: resourcePage(days, [[IDLE, '0.07']]) }
        : {
            body: resourcePage(
              days,
              [
                [NAT_ID, '1.0800000001'],
                ['NoResourceId', '5'],
              ],
              'page-2',
            ),
          };
    };
    const { report, resources } = await run();

    const calls = resourceCalls().slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.body).toEqual({
      TimePeriod: { Start: addDaysIso(TODAY, -14), End: TODAY },
      Granularity: 'DAILY',
      Filter: { Not: { Tags: { Key: 'poc', MatchOptions: ['ABSENT'] } } },
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
    });
    expect(calls[1]?.body.NextPageToken).toBe('page-2');
    expect(report.apiCalls['ce:GetCostAndUsageWithResources']).toBe(2);

    // 14 days of 1.0800000001 a day, over 30 days: 32.400000003.
    expect(resources.get(NAT)).toMatchObject({ costSource: 'cost-explorer-resource' });
    expect(resources.get(NAT)?.monthlyCost).toBeCloseTo(32.400000003, 9);
    expect(resources.get(IDLE)).toMatchObject({ costSource: 'cost-explorer-resource' });
    expect(resources.get(IDLE)?.monthlyCost).toBeCloseTo(2.1, 9);
    expect(resources.has(BUSY)).toBe(false);
    expect(report.warnings.filter((w: { code: string }) => w.code === 'resource-costs-unavailable')).toEqual(
      [],
    );
  });

  it('falls back to the price table with a warning when the account has not opted in', async () => {
    const before = resourceCalls().length;
    resourceCosts = () =>
      awsJsonError(
        400,
        'DataUnavailableException',
        'Data is not available. Please try to adjust the time period.',
      );
    const { report, resources } = await run();

    expect(resourceCalls().length - before).toBe(1);
    expect(resources.get(NAT)).toMatchObject({ costSource: 'price-table' });
    expect(resources.get(NAT)?.monthlyCost).toBeCloseTo(0.045 * 730, 6);
    const warning = report.warnings.find((w: { code: string }) => w.code === 'resource-costs-unavailable');
    expect(warning).toMatchObject({ where: 'ce:GetCostAndUsageWithResources' });
    expect(warning.partial).toBeUndefined();
    expect(warning.message).toMatch(/Resource-level data at daily granularity/);
    expect(report.source.partial).toBe(false);
  });

  it('is not called when nothing is recommended', async () => {
    const before = resourceCalls().length;
    listed = [BUSY];
    resourceCosts = () => {
      throw new Error('must not be called');
    };
    const { report } = await run();
    expect(report.recommendations).toEqual([]);
    expect(resourceCalls().length).toBe(before);
    expect(report.apiCalls['ce:GetCostAndUsageWithResources']).toBeUndefined();
  });

  it('is not called unless settings turn it on', async () => {
    const before = resourceCalls().length;
    await writeFile(join(dir, 'settings.yaml'), 'tagKey: poc\n');
    resourceCosts = () => {
      throw new Error('must not be called');
    };
    const { report, resources } = await run();
    expect(resourceCalls().length).toBe(before);
    expect(resources.get(NAT)).toMatchObject({ costSource: 'price-table' });
    expect(report.apiCalls['ce:GetCostAndUsageWithResources']).toBeUndefined();
  });
});
