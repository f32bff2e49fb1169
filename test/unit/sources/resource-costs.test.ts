import {
  CostExplorerClient,
  GetCostAndUsageWithResourcesCommand,
  type GetCostAndUsageWithResourcesCommandOutput,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { AwsCallError } from '../../../src/aws/aws-errors.js';
import { addDaysIso, type IsoDate } from '../../../src/core/calendar.js';
import { parseMoney, scaleMoney } from '../../../src/core/money.js';
import {
  fetchResourceMonthlyCosts,
  RESOURCE_COSTS_UNAVAILABLE,
  type ResourceCostOptions,
  resourceCostWindow,
  resourceIdsToArns,
  taggedSpendFilter,
} from '../../../src/sources/resource-costs.js';

const ceMock = mockClient(CostExplorerClient);

/** 2026-11-25 noon UTC: Cost Explorer serves resource-level days from 2026-11-11. */
const NOW = new Date('2026-11-25T12:00:00Z');
const TODAY = '2026-11-25';
const ACCOUNT = '111122223333';
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:x`;
const INSTANCE = `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0abc1234567890def`;
const NAT = `arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-0123456789abcdef0`;

/** One day of the documented response: ResultsByTime[].Groups[].Keys = [resource id]. */
function day(date: IsoDate, groups: Array<[string, string]>, metric = 'UnblendedCost'): ResultByTime {
  return {
    TimePeriod: { Start: date, End: addDaysIso(date, 1) },
    Total: {},
    Groups: groups.map(([id, amount]) => ({
      Keys: [id],
      Metrics: { [metric]: { Amount: amount, Unit: 'USD' } },
    })),
    Estimated: true,
  };
}

function page(results: ResultByTime[], nextPageToken?: string): GetCostAndUsageWithResourcesCommandOutput {
  return {
    $metadata: { httpStatusCode: 200, requestId: 'req' },
    GroupDefinitions: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
    ResultsByTime: results,
    DimensionValueAttributes: [],
    ...(nextPageToken ? { NextPageToken: nextPageToken } : {}),
  };
}

function fetchCosts(options: Partial<ResourceCostOptions> = {}) {
  return fetchResourceMonthlyCosts({
    client: new CostExplorerClient({ region: 'us-east-1' }),
    meter: new ApiMeter(),
    tagKey: 'poc',
    asOf: TODAY,
    now: () => NOW,
    ...options,
  });
}

function sentInputs() {
  return ceMock.commandCalls(GetCostAndUsageWithResourcesCommand).map((call) => call.args[0].input);
}

function sdkError(name: string, message: string) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, attempts: 1 } });
}

/** 14 days of `total` scaled to 30 days, exactly. */
const monthly = (total: string, days = 14) => scaleMoney(parseMoney(total), 30n, BigInt(days));

describe('fetchResourceMonthlyCosts', () => {
  beforeEach(() => ceMock.reset());

  it('makes one daily query grouped by RESOURCE_ID over the last 14 full days, filtered to the tag', async () => {
    ceMock.on(GetCostAndUsageWithResourcesCommand).resolves(page([]));
    const result = await fetchCosts({ metric: 'AmortizedCost' });
    expect(result).toEqual({ costs: new Map() });
    expect(sentInputs()).toEqual([
      {
        TimePeriod: { Start: '2026-11-11', End: '2026-11-25' },
        Granularity: 'DAILY',
        Filter: { Not: { Tags: { Key: 'poc', MatchOptions: ['ABSENT'] } } },
        Metrics: ['AmortizedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
      },
    ]);
  });

  it('sums each resource exactly over every page and scales 14 days to a 30-day month', async () => {
    ceMock
      .on(GetCostAndUsageWithResourcesCommand)
      .resolvesOnce(
        page(
          [
            day('2026-11-11', [
              [FN, '0.0000023487'],
              [NAT, '1.08'],
            ]),
            day('2026-11-12', [
              [FN, '40.3543773134'],
              ['NoResourceId', '3'],
            ]),
          ],
          'page-2',
        ),
      )
      .resolvesOnce(page([day('2026-11-13', [[NAT, '1.08']])]));
    const { costs, warning } = await fetchCosts({ arns: [FN, NAT] });
    expect(warning).toBeUndefined();
    expect(costs).toEqual(
      new Map([
        [FN, { cost: monthly('40.3543796621'), source: 'cost-explorer-resource' }],
        [NAT, { cost: monthly('2.16'), source: 'cost-explorer-resource' }],
      ]),
    );
    // 2.16 over 14 days is 4.628571428571428571 (18 decimals) a month.
    expect(costs.get(NAT)?.cost).toBe(parseMoney('4.628571428571428571'));
    const inputs = sentInputs();
    expect(inputs).toHaveLength(2);
    expect(inputs[0]?.NextPageToken).toBeUndefined();
    expect(inputs[1]).toEqual({ ...inputs[0], NextPageToken: 'page-2' });
  });

  it('keys bare resource ids by the ARN of the tagged resource that ends with them', async () => {
    ceMock.on(GetCostAndUsageWithResourcesCommand).resolves(
      page([
        day('2026-11-20', [
          ['i-0abc1234567890def', '2.8'],
          ['nat-0123456789abcdef0', '1.4'],
          // Its ARN too: both ids add up to one resource.
          [NAT, '1.4'],
          ['vol-0unknown', '9'],
          ['shared', '5'],
        ]),
      ]),
    );
    const bucket = 'arn:aws:s3:::shared';
    const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shared`;
    const { costs } = await fetchCosts({ arns: [INSTANCE, NAT, bucket, fn] });
    expect([...costs.keys()].sort()).toEqual([INSTANCE, NAT]);
    expect(costs.get(INSTANCE)?.cost).toBe(monthly('2.8'));
    expect(costs.get(NAT)?.cost).toBe(monthly('2.8'));
  });

  it('asks only for the days Cost Explorer serves when the as-of day is in the past', async () => {
    ceMock.on(GetCostAndUsageWithResourcesCommand).resolves(page([day('2026-11-15', [[FN, '9']])]));
    const { costs } = await fetchCosts({ asOf: '2026-11-20', arns: [FN] });
    expect(sentInputs()[0]?.TimePeriod).toEqual({ Start: '2026-11-11', End: '2026-11-20' });
    expect(costs.get(FN)?.cost).toBe(monthly('9', 9));
  });

  it('makes no call when the as-of day leaves none of the 14 days', async () => {
    const result = await fetchCosts({ asOf: '2026-11-01' });
    expect(sentInputs()).toEqual([]);
    expect(result.costs.size).toBe(0);
    expect(result.warning).toMatchObject({ code: RESOURCE_COSTS_UNAVAILABLE });
    expect(result.warning?.partial).toBeUndefined();
  });

  it.each([
    ['DataUnavailableException', 'Data is not available. Please try to adjust the time period.'],
    [
      'ValidationException',
      'Start date is more than 14 days ago for hourly granularity. Please adjust start date as we support only 14 days of data at hourly granularity.',
    ],
    ['ValidationException', 'Hourly timePeriod is not supported for this request'],
    ['ValidationException', 'You have not opted in to resource-level data'],
  ])('turns %s "%s" (no opt-in) into a warning that says how to opt in', async (name, message) => {
    ceMock.on(GetCostAndUsageWithResourcesCommand).rejects(sdkError(name, message));
    const result = await fetchCosts({ arns: [FN] });
    expect(result.costs.size).toBe(0);
    expect(result.warning).toMatchObject({
      code: RESOURCE_COSTS_UNAVAILABLE,
      where: 'ce:GetCostAndUsageWithResources',
    });
    expect(result.warning?.partial).toBeUndefined();
    expect(result.warning?.message).toContain(name);
    expect(result.warning?.message).toContain('price table');
    expect(result.warning?.message).toContain('Resource-level data at daily granularity');
    expect(result.warning?.message).toContain('Cost Management preferences');
  });

  it('fails on AccessDenied, naming the IAM action', async () => {
    ceMock
      .on(GetCostAndUsageWithResourcesCommand)
      .rejects(
        sdkError(
          'AccessDeniedException',
          `User: arn:aws:iam::${ACCOUNT}:user/dev is not authorized to perform: ce:GetCostAndUsageWithResources`,
        ),
      );
    const failure = await fetchCosts().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect((failure as AwsCallError).message).toMatch(
      /^missing IAM permission ce:GetCostAndUsageWithResources \(AccessDeniedException: /,
    );
  });

  it('fails on other validation errors', async () => {
    ceMock
      .on(GetCostAndUsageWithResourcesCommand)
      .rejects(sdkError('ValidationException', 'Expression has more than one roots.'));
    await expect(fetchCosts()).rejects.toThrow(/rejected ce:GetCostAndUsageWithResources as invalid/);
  });

  it('stops a pagination loop', async () => {
    ceMock.on(GetCostAndUsageWithResourcesCommand).resolves(page([], 'same'));
    await expect(fetchCosts()).rejects.toThrow(/pagination loop/);
    expect(sentInputs()).toHaveLength(2);
  });

  it('warns about groups it cannot read, and uses the rest', async () => {
    ceMock.on(GetCostAndUsageWithResourcesCommand).resolves(
      page([
        day('2026-11-20', [
          [FN, 'n/a'],
          [NAT, '1'],
        ]),
      ]),
    );
    const { costs, warning } = await fetchCosts({ arns: [FN, NAT] });
    expect([...costs.keys()]).toEqual([NAT]);
    expect(warning).toMatchObject({ code: 'malformed-group', partial: true });
  });
});

describe('resourceCostWindow', () => {
  it('is the 14 days before the as-of day, clamped to the 14 days before today', () => {
    expect(resourceCostWindow(TODAY, TODAY)).toEqual({ start: '2026-11-11', end: TODAY, days: 14 });
    expect(resourceCostWindow('2026-12-31', TODAY)).toEqual({ start: '2026-11-11', end: TODAY, days: 14 });
    expect(resourceCostWindow('2026-11-12', TODAY)).toEqual({
      start: '2026-11-11',
      end: '2026-11-12',
      days: 1,
    });
    expect(resourceCostWindow('2026-11-11', TODAY)).toBeUndefined();
  });
});

describe('resourceIdsToArns', () => {
  it('keeps ARNs and maps unambiguous bare ids by their last segment', () => {
    const arns = [INSTANCE, 'arn:aws:s3:::bucket-a', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`];
    expect(
      resourceIdsToArns(
        [FN, 'i-0abc1234567890def', 'bucket-a', 't', 'instance/i-0abc1234567890def', 'x'],
        arns,
      ),
    ).toEqual(
      new Map([
        [FN, FN],
        ['i-0abc1234567890def', INSTANCE],
        ['bucket-a', 'arn:aws:s3:::bucket-a'],
        ['t', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`],
        ['instance/i-0abc1234567890def', INSTANCE],
      ]),
    );
  });

  it('leaves out a bare id that two resources end with', () => {
    const arns = [
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`,
      `arn:aws:lambda:us-east-1:${ACCOUNT}:function:t`,
    ];
    expect(resourceIdsToArns(['t'], arns)).toEqual(new Map());
  });
});

describe('taggedSpendFilter', () => {
  it('is NOT tag ABSENT, since tags have no PRESENT match option', () => {
    expect(taggedSpendFilter('team:poc')).toEqual({
      Not: { Tags: { Key: 'team:poc', MatchOptions: ['ABSENT'] } },
    });
  });
});
